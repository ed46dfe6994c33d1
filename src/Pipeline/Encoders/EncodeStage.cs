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
/// </remarks>
public sealed class EncodeStage : IDisposable
{
    private readonly IVideoEncoder? _encoder;
    private readonly PassThroughEncoder _passThrough;
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
            VideoFrame picture => (_encoder ?? throw new InvalidOperationException("A raw picture arrived, but this stage was built without an encoder.")).Encode(picture),
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
        _encoder?.RequestIdr();
    }

    /// <summary>The bitrate controller's new target, applied at the next picture.</summary>
    public void SetBitrate(int targetBitrate, int maxBitrate = 0) => _encoder?.SetBitrate(targetBitrate, maxBitrate);

    /// <summary>Disposes the encoder.</summary>
    public void Dispose() => _encoder?.Dispose();
}
