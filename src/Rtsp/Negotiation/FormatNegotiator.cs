using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Negotiation;

/// <summary>
/// Chooses the video and audio format from the sink's M3 answer (protocol doc §2.8): mask reserved
/// bits; candidates are the modes of each H.264 entry that both sides support, with that entry's
/// profile and the lowest level that carries the mode (and both sides allow); progressive before
/// interlaced, then highest score; CBP unless configured; modes the suggested bitrate cannot carry
/// are dropped. Deterministic and allocation-light; never throws for sink data (a malformed or
/// missing <c>wfd_video_formats</c> falls back to the mandatory 640×480p60 CBP 3.1).
/// </summary>
public static class FormatNegotiator
{
    /// <summary>Negotiates against the sink's M3 answer.</summary>
    /// <param name="sink">The M3 answer body.</param>
    /// <param name="ours">Our capabilities.</param>
    /// <param name="suggestedBitrate">The OS's suggested encode rate in bit/s, or null for no limit.</param>
    public static NegotiationResult Negotiate(WfdParameterSet sink, SourceCapabilities ours, long? suggestedBitrate = null) =>
        throw new NotImplementedException();
}
