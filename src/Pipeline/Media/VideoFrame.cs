using System.Buffers;

namespace Miraflow.Pipeline.Media;

/// <summary>
/// A raw 4:2:0 picture in one pooled buffer, with any stride.
/// </summary>
/// <remarks>
/// <code>
/// I420: | Y: LumaStride × Height | U: ChromaStride × Height/2 | V: ChromaStride × Height/2 |
/// NV12: | Y: LumaStride × Height | UV: ChromaStride × Height/2 (U and V interleaved)      |
/// </code>
/// Rent frames from a <see cref="VideoFramePool"/>; <see cref="MediaFrame.Dispose"/> returns them.
/// </remarks>
public sealed class VideoFrame : MediaFrame
{
    private readonly VideoFramePool? _pool;
    private byte[] _buffer;

    internal VideoFrame(VideoFramePool? pool, int width, int height, PixelFormat format, int lumaStride, int chromaStride)
    {
        _pool = pool;
        Width = width;
        Height = height;
        Format = format;
        LumaStride = lumaStride;
        ChromaStride = chromaStride;
        _buffer = ArrayPool<byte>.Shared.Rent(ByteCount);
    }

    /// <summary>Width in pixels (even).</summary>
    public int Width { get; }

    /// <summary>Height in pixels (even).</summary>
    public int Height { get; }

    /// <summary>The plane layout.</summary>
    public PixelFormat Format { get; }

    /// <summary>Bytes per row of the Y plane (at least <see cref="Width"/>).</summary>
    public int LumaStride { get; }

    /// <summary>Bytes per row of each chroma plane (I420: at least Width/2; NV12: at least Width).</summary>
    public int ChromaStride { get; }

    /// <summary>The size of the picture's storage.</summary>
    public int ByteCount => (LumaStride * Height) + (ChromaPlanes * ChromaStride * (Height / 2));

    /// <summary>The Y plane.</summary>
    public Span<byte> Y => _buffer.AsSpan(0, LumaStride * Height);

    /// <summary>The U plane (I420) or the interleaved UV plane (NV12).</summary>
    public Span<byte> U => _buffer.AsSpan(LumaStride * Height, ChromaStride * (Height / 2));

    /// <summary>The V plane (I420 only).</summary>
    public Span<byte> V => Format == PixelFormat.I420
        ? _buffer.AsSpan((LumaStride * Height) + (ChromaStride * (Height / 2)), ChromaStride * (Height / 2))
        : throw new InvalidOperationException("An NV12 picture has no separate V plane; U holds UV interleaved.");

    /// <summary>The whole picture's storage.</summary>
    public Span<byte> Data => _buffer.AsSpan(0, ByteCount);

    private int ChromaPlanes => Format == PixelFormat.I420 ? 2 : 1;

    /// <summary>
    /// Creates a frame outside any pool (for tools and tests); disposing it frees its buffer. Its
    /// pixels are undefined (the buffer is rented): write every plane before encoding it.
    /// </summary>
    public static VideoFrame Create(int width, int height, PixelFormat format, int lumaStride = 0, int chromaStride = 0)
    {
        (lumaStride, chromaStride) = VideoFramePool.CheckGeometry(width, height, format, lumaStride, chromaStride);
        var frame = new VideoFrame(null, width, height, format, lumaStride, chromaStride);
        frame.Lease();
        return frame;
    }

    internal void Lease() => MarkLeased();

    private protected override void Release()
    {
        if (_pool is null || !_pool.Return(this))
        {
            byte[] buffer = _buffer;
            _buffer = [];
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
