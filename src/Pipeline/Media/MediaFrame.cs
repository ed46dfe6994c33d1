namespace Miraflow.Pipeline.Media;

/// <summary>
/// One unit of media travelling through the pipeline: a raw <see cref="VideoFrame"/>, an encoded
/// <see cref="EncodedFrame"/> or an <see cref="Audio.AudioFrame"/>. A frame is a pooled lease with
/// exactly one owner; whoever holds it last disposes it, which returns its buffer (house style
/// §5.3, rule 13).
/// </summary>
public abstract class MediaFrame : IDisposable
{
    private int _leased;

    /// <summary>When the picture (or the first audio sample) was captured, on the session's <see cref="MediaClock"/>.</summary>
    public MediaTime CaptureTime { get; set; }

    /// <summary>The desktop frame number (the chunk identity's 40-bit FrameNumber).</summary>
    public ulong FrameNumber { get; set; }

    /// <summary>The part within the frame (the chunk identity's 24-bit PartNumber; the last part is 0).</summary>
    public uint PartNumber { get; set; }

    /// <summary>Returns the frame to its pool. A second call is ignored.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _leased, 0) == 1)
        {
            Release();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Marks the frame as handed out by its pool.</summary>
    private protected void MarkLeased() => Volatile.Write(ref _leased, 1);

    /// <summary>Gives the frame's storage back; called once per lease.</summary>
    private protected abstract void Release();
}
