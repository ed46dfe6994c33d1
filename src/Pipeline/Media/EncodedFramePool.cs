namespace Miraflow.Pipeline.Media;

/// <summary>
/// Reuses <see cref="EncodedFrame"/>s; their buffers keep the size they grew to, so steady-state
/// encoding allocates nothing. Thread-safe.
/// </summary>
public sealed class EncodedFramePool(int capacity = 8, int initialBytes = 64 * 1024)
{
    private readonly IdleQueue<EncodedFrame> _idle = new(capacity);

    /// <summary>Rents an empty frame.</summary>
    public EncodedFrame Rent()
    {
        if (!_idle.TryTake(out EncodedFrame? frame))
        {
            frame = new EncodedFrame(this, initialBytes);
        }

        frame.Lease();
        return frame;
    }

    internal bool Return(EncodedFrame frame) => _idle.TryAdd(frame);
}
