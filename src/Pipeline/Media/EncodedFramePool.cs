namespace Miraflow.Pipeline.Media;

/// <summary>
/// Reuses <see cref="EncodedFrame"/>s; their buffers keep the size they grew to, so steady-state
/// encoding allocates nothing. Thread-safe.
/// </summary>
public sealed class EncodedFramePool(int capacity = 8, int initialBytes = 64 * 1024)
{
    private readonly IdleQueue<EncodedFrame> _idle = new(capacity);
    private int _outstanding;

    /// <summary>Frames rented and not yet disposed: zero once every owner has given its frame back.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Rents an empty frame.</summary>
    public EncodedFrame Rent()
    {
        if (!_idle.TryTake(out EncodedFrame? frame))
        {
            frame = new EncodedFrame(this, initialBytes);
        }

        frame.Lease();
        Interlocked.Increment(ref _outstanding);
        return frame;
    }

    internal bool Return(EncodedFrame frame)
    {
        Interlocked.Decrement(ref _outstanding);
        return _idle.TryAdd(frame);
    }
}
