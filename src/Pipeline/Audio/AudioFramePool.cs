using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Audio;

/// <summary>
/// Reuses <see cref="AudioFrame"/>s of one format and size, so steady-state audio capture
/// allocates nothing. Thread-safe: frames are rented by the source and returned wherever they are
/// disposed.
/// </summary>
/// <remarks>
/// The pool keeps at most <c>capacity</c> idle frames; more are created when all are out (and
/// freed when they come back to a full pool). A frame lost to a fault is reclaimed by the GC.
/// </remarks>
public sealed class AudioFramePool
{
    private readonly IdleQueue<AudioFrame> _idle;
    private int _created;
    private int _outstanding;

    /// <summary>Creates a pool of frames of one format and size.</summary>
    /// <param name="sampleRate">Sample frames per second (8 kHz to 192 kHz).</param>
    /// <param name="channels">Interleaved channels, 1 or 2.</param>
    /// <param name="sampleFrames">Sample frames per frame; at most <see cref="Ts.TsMuxer.MaxAudioFrameSize"/> bytes.</param>
    /// <param name="capacity">Idle frames kept.</param>
    public AudioFramePool(int sampleRate, int channels, int sampleFrames, int capacity = 8)
    {
        AudioFormat.Validate(sampleRate, channels, sampleFrames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        SampleRate = sampleRate;
        Channels = channels;
        SampleFrames = sampleFrames;
        _idle = new IdleQueue<AudioFrame>(capacity);
    }

    /// <summary>Sample rate of the pool's frames.</summary>
    public int SampleRate { get; }

    /// <summary>Channels of the pool's frames.</summary>
    public int Channels { get; }

    /// <summary>Sample frames per frame.</summary>
    public int SampleFrames { get; }

    /// <summary>Frames created so far (a measure of how many were in flight at once).</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>Frames rented and not yet disposed: zero once every owner has given its frame back.</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>Rents a frame; its samples are whatever the last user left.</summary>
    public AudioFrame Rent()
    {
        if (!_idle.TryTake(out AudioFrame? frame))
        {
            frame = new AudioFrame(this, SampleRate, Channels, SampleFrames);
            Interlocked.Increment(ref _created);
        }

        frame.Lease();
        Interlocked.Increment(ref _outstanding);
        return frame;
    }

    internal bool Return(AudioFrame frame)
    {
        Interlocked.Decrement(ref _outstanding);
        return _idle.TryAdd(frame);
    }
}
