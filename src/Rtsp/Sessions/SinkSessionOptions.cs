using Miraflow.Rtsp.Messages;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Sessions;

/// <summary>Settings of a <see cref="SinkSession"/> (the sink emulator's protocol side).</summary>
public sealed class SinkSessionOptions
{
    /// <summary>What we answer M3 with. Default <see cref="SinkCapabilities.CreateDefault"/>.</summary>
    public WfdParameterSet Capabilities { get; init; } = SinkCapabilities.CreateDefault();

    /// <summary>The RTP port we ask for in SETUP; null takes the first port of <c>wfd_client_rtp_ports</c> (else 19000).</summary>
    public int? RtpPort { get; init; }

    /// <summary>
    /// Decides whether we accept an M4 format; false answers 303 (protocol doc §1.9). Null accepts
    /// any format whose resolution bits are all in our capabilities' bitmaps.
    /// </summary>
    public Func<WfdVideoFormats, bool>? AcceptFormat { get; init; }

    /// <summary>How long we wait for answers to our requests. Default 5 s.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long past the advertised session timeout we wait for the source's next message (M16)
    /// before ending with <see cref="SessionEndReason.MissingKeepAlive"/>. Default 10 s.
    /// </summary>
    public TimeSpan KeepAliveGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The product token sent in <c>User-Agent</c> headers.</summary>
    public string UserAgent { get; init; } = "Miraflow-Sink/1.0";

    /// <summary>Limits for every message the source sends.</summary>
    public RtspLimits Limits { get; init; } = RtspLimits.Default;

    /// <summary>Throws <see cref="ArgumentException"/> for values outside their documented ranges.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Capabilities);
        ArgumentNullException.ThrowIfNull(Limits);
        ArgumentException.ThrowIfNullOrWhiteSpace(UserAgent);
        if (RtpPort is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(RtpPort), RtpPort, "Not a UDP port.");
        }

        if (ResponseTimeout <= TimeSpan.Zero || KeepAliveGrace < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ResponseTimeout), "Timeouts must be positive.");
        }
    }
}
