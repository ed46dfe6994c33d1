namespace Miraflow.Pipeline.Media;

/// <summary>
/// Reuses <see cref="VideoFrame"/>s of one geometry, so steady-state capture allocates nothing.
/// Thread-safe: frames are rented on the capture thread and returned wherever they are disposed.
/// </summary>
/// <remarks>
/// The pool keeps at most <c>capacity</c> idle frames; more are created when all are out (and
/// freed when they come back to a full pool). A frame lost to a fault is reclaimed by the GC.
/// </remarks>
public sealed class VideoFramePool
{
    private readonly IdleQueue<VideoFrame> _idle;
    private int _outstanding;

    /// <summary>Creates a pool of frames of one geometry.</summary>
    public VideoFramePool(int width, int height, PixelFormat format, int lumaStride = 0, int chromaStride = 0, int capacity = 8)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        (LumaStride, ChromaStride) = CheckGeometry(width, height, format, lumaStride, chromaStride);
        Width = width;
        Height = height;
        Format = format;
        _idle = new IdleQueue<VideoFrame>(capacity);
    }

    /// <summary>Width of the pool's frames.</summary>
    public int Width { get; }

    /// <summary>Height of the pool's frames.</summary>
    public int Height { get; }

    /// <summary>Layout of the pool's frames.</summary>
    public PixelFormat Format { get; }

    /// <summary>Y stride of the pool's frames.</summary>
    public int LumaStride { get; }

    /// <summary>Chroma stride of the pool's frames.</summary>
    public int ChromaStride { get; }

    /// <summary>Frames created so far (a measure of how many were in flight at once).</summary>
    public int Created { get; private set; }

    /// <summary>Frames rented and not yet disposed: zero once every owner has given its frame back.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Rents a frame; its pixels are whatever the last user left.</summary>
    public VideoFrame Rent()
    {
        if (!_idle.TryTake(out VideoFrame? frame))
        {
            frame = new VideoFrame(this, Width, Height, Format, LumaStride, ChromaStride);
            Created++;
        }

        frame.Lease();
        Interlocked.Increment(ref _outstanding);
        return frame;
    }

    internal bool Return(VideoFrame frame)
    {
        Interlocked.Decrement(ref _outstanding);
        return _idle.TryAdd(frame);
    }

    internal static (int Luma, int Chroma) CheckGeometry(int width, int height, PixelFormat format, int lumaStride, int chromaStride)
    {
        if (width <= 0 || height <= 0 || (width & 1) != 0 || (height & 1) != 0 || width > 8192 || height > 8192)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"A 4:2:0 picture needs an even size up to 8192×8192; {width}×{height} is not.");
        }

        int minChroma = format == PixelFormat.I420 ? width / 2 : width;
        lumaStride = lumaStride == 0 ? width : lumaStride;
        chromaStride = chromaStride == 0 ? minChroma : chromaStride;
        if (lumaStride < width || chromaStride < minChroma)
        {
            throw new ArgumentOutOfRangeException(nameof(lumaStride), $"Strides {lumaStride}/{chromaStride} are narrower than a {width}-pixel {format} row.");
        }

        return (lumaStride, chromaStride);
    }
}
