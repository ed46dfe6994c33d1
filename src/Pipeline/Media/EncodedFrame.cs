using System.Buffers;

namespace Miraflow.Pipeline.Media;

/// <summary>
/// One H.264 access unit (Annex-B byte stream) in a pooled, growable buffer: what an encoder or
/// the pass-through path hands to the muxer.
/// </summary>
public sealed class EncodedFrame : MediaFrame, IBufferWriter<byte>
{
    /// <summary>The largest access unit accepted (a bound on bad input).</summary>
    public const int MaxSize = 16 * 1024 * 1024;

    private readonly EncodedFramePool? _pool;
    private byte[] _buffer;
    private int _length;

    internal EncodedFrame(EncodedFramePool? pool, int initialCapacity)
    {
        _pool = pool;
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>The access unit's bytes.</summary>
    public ReadOnlySpan<byte> Data => _buffer.AsSpan(0, _length);

    /// <summary>The access unit's bytes as memory.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>The access unit's size.</summary>
    public int Length => _length;

    /// <summary>Whether the access unit is an IDR picture.</summary>
    public bool IsIdr { get; set; }

    /// <summary>The decode time when it differs from the capture time (reordered frames); otherwise null.</summary>
    public MediaTime? DecodeTime { get; set; }

    /// <summary>Time spent encoding, for statistics (ENCODE_COMPLETE's ProcessingTime).</summary>
    public TimeSpan EncodeDuration { get; set; }

    /// <summary>Creates a frame outside any pool (for tools and tests).</summary>
    public static EncodedFrame Create(ReadOnlySpan<byte> accessUnit = default)
    {
        var frame = new EncodedFrame(null, Math.Max(256, accessUnit.Length));
        frame.Lease();
        frame.Write(accessUnit);
        return frame;
    }

    /// <summary>Appends bytes.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    /// <summary>Empties the frame and clears its flags, keeping its buffer.</summary>
    public void Reset()
    {
        _length = 0;
        IsIdr = false;
        DecodeTime = null;
        EncodeDuration = TimeSpan.Zero;
        PartNumber = 0;
    }

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _length);
        _length += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_length);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_length);
    }

    internal void Lease() => MarkLeased();

    private protected override void Release()
    {
        Reset();
        if (_pool is null || !_pool.Return(this))
        {
            byte[] buffer = _buffer;
            _buffer = [];
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        int needed = _length + Math.Max(sizeHint, 1);
        if (needed <= _buffer.Length)
        {
            return;
        }

        if (needed > MaxSize)
        {
            throw new InvalidDataException($"An access unit is limited to {MaxSize} bytes.");
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxSize, Math.Max(needed, _buffer.Length * 2)));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
