using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Encoders;

/// <summary>
/// The encoder's duties in the pipeline, in one place: raw pictures go through the
/// <see cref="IVideoEncoder"/>, GPU-encoded access units through the
/// <see cref="PassThroughEncoder"/>, and every lost picture (a drop at the capture edge, a
/// FRAME_DROPPED chunk, a chunk-queue reset) makes the next picture an IDR.
/// </summary>
/// <remarks>
/// <see cref="Process"/> runs on one stage thread; <see cref="OnPictureLost"/> and
/// <see cref="SetBitrate"/> may be called from any thread (the chunk thread, the data-rate
/// notification) and take effect at the next picture, within one frame interval.
/// <see cref="ReplaceEncoder"/> (a mid-session format change) takes effect at the first picture
/// of the new encoder's size, whose unit is the new encoder's first IDR.
/// </remarks>
public sealed class EncodeStage : IDisposable
{
    private readonly PassThroughEncoder _passThrough;
    private IVideoEncoder? _encoder;
    private IVideoEncoder? _pending;
    private long _picturesLost;
    private long _idrsRequested;

    /// <summary>Creates the stage; <paramref name="encoder"/> may be null when only GPU-encoded units arrive.</summary>
    public EncodeStage(IVideoEncoder? encoder, PassThroughEncoder? passThrough = null)
    {
        _encoder = encoder;
        _passThrough = passThrough ?? new PassThroughEncoder();
    }

    /// <summary>Pictures reported lost so far.</summary>
    public long PicturesLost => Interlocked.Read(ref _picturesLost);

    /// <summary>IDRs asked of the encoder (losses and sink requests).</summary>
    public long IdrsRequested => Interlocked.Read(ref _idrsRequested);

    /// <summary>
    /// Encodes or passes on one frame; returns the access unit to mux, or null when there is
    /// nothing to send (rate control skipped the picture, or a pass-through unit was held back).
    /// The caller still owns <paramref name="frame"/> when it is raw; an encoded frame's ownership
    /// moves to the stage (it is returned or disposed).
    /// </summary>
    /// <exception cref="InvalidOperationException">A raw picture arrived but the stage has no encoder.</exception>
    public EncodedFrame? Process(MediaFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        return frame switch
        {
            VideoFrame picture => EncoderFor(picture).Encode(picture),
            EncodedFrame unit => _passThrough.Process(unit),
            _ => throw new ArgumentException($"Unknown frame type {frame.GetType().Name}.", nameof(frame)),
        };
    }

    /// <summary>A picture was lost before it reached the encoder or the sink: the next picture is an IDR.</summary>
    public void OnPictureLost()
    {
        Interlocked.Increment(ref _picturesLost);
        _passThrough.OnPictureLost();
        RequestIdr();
    }

    /// <summary>The sink asked for an IDR (M13), or the session resumed.</summary>
    public void RequestIdr()
    {
        Interlocked.Increment(ref _idrsRequested);
        Volatile.Read(ref _encoder)?.RequestIdr();
    }

    /// <summary>
    /// Rebuilds the encoder for a new format (a mid-session M4): <paramref name="encoder"/>
    /// replaces the current one at the first picture of its size (pictures of the old size still
    /// queued finish on the old encoder), and the old one is disposed then. A replacement still
    /// pending is disposed. The stage owns <paramref name="encoder"/> from here on.
    /// </summary>
    public void ReplaceEncoder(IVideoEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Interlocked.Exchange(ref _pending, encoder)?.Dispose();
    }

    /// <summary>The bitrate controller's new target, applied at the next picture.</summary>
    public void SetBitrate(int targetBitrate, int maxBitrate = 0)
    {
        Volatile.Read(ref _pending)?.SetBitrate(targetBitrate, maxBitrate);
        Volatile.Read(ref _encoder)?.SetBitrate(targetBitrate, maxBitrate);
    }

    /// <summary>Disposes the encoder (and a pending replacement).</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _pending, null)?.Dispose();
        Interlocked.Exchange(ref _encoder, null)?.Dispose();
    }

    /// <summary>The encoder for <paramref name="picture"/>: the pending replacement once pictures of its size arrive.</summary>
    private IVideoEncoder EncoderFor(VideoFrame picture)
    {
        if (Volatile.Read(ref _pending) is { } pending
            && pending.Settings.Width == picture.Width
            && pending.Settings.Height == picture.Height
            && Interlocked.CompareExchange(ref _pending, null, pending) == pending)
        {
            Interlocked.Exchange(ref _encoder, pending)?.Dispose();
        }

        return _encoder ?? throw new InvalidOperationException("A raw picture arrived, but this stage was built without an encoder.");
    }
}
