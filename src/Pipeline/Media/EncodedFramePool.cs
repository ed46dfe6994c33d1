using System.Collections.Concurrent;

namespace Miraflow.Pipeline.Media;

/// <summary>
/// Reuses <see cref="EncodedFrame"/>s; their buffers keep the size they grew to, so steady-state
/// encoding allocates nothing. Thread-safe.
/// </summary>
public sealed class EncodedFramePool(int capacity = 8, int initialBytes = 64 * 1024)
{
    private readonly ConcurrentQueue<EncodedFrame> _idle = new();
    private readonly int _capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
    private int _idleCount;

    /// <summary>Rents an empty frame.</summary>
    public EncodedFrame Rent()
    {
        if (_idle.TryDequeue(out EncodedFrame? frame))
        {
            Interlocked.Decrement(ref _idleCount);
        }
        else
        {
            frame = new EncodedFrame(this, initialBytes);
        }

        frame.Lease();
        return frame;
    }

    internal bool Return(EncodedFrame frame)
    {
        if (Interlocked.Increment(ref _idleCount) > _capacity)
        {
            Interlocked.Decrement(ref _idleCount);
            return false;
        }

        _idle.Enqueue(frame);
        return true;
    }
}
