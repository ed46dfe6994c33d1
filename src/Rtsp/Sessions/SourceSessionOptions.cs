using Miraflow.Rtsp.Messages;
using Miraflow.Rtsp.Negotiation;

namespace Miraflow.Rtsp.Sessions;

/// <summary>Settings of a <see cref="SourceSession"/>. Every default follows protocol doc §1 and §6.</summary>
public sealed class SourceSessionOptions
{
    /// <summary>What we can encode and send. Default <see cref="SourceCapabilities.Default"/>.</summary>
    public SourceCapabilities Capabilities { get; init; } = SourceCapabilities.Default;

    /// <summary>The OS's suggested encode rate in bit/s (modes it cannot carry are not offered), or null.</summary>
    public long? SuggestedBitrate { get; init; }

    /// <summary>End the session with <see cref="SessionEndReason.InsufficientBandwidth"/> when no common mode fits <see cref="SuggestedBitrate"/>. Default true.</summary>
    public bool EndOnInsufficientBandwidth { get; init; } = true;

    /// <summary>The session timeout we advertise in <c>Session: id;timeout=N</c>, 10–120 s. Default 30 (AOSP, GND). M16 keep-alives go every N − 5 s.</summary>
    public int SessionTimeoutSeconds { get; init; } = 30;

    /// <summary>How long we wait for the answer to M1, M3 and the M5 triggers. Default 5 s (libwds).</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long we wait for the answer to an M4 (setup or mid-session). Default 15 s (HLK: the sink sets the mode within 15 s).</summary>
    public TimeSpan FormatResponseTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long we wait for the answer to an M16 keep-alive before ending with <see cref="SessionEndReason.MissingKeepAlive"/>. Default 10 s: late answers are tolerated.</summary>
    public TimeSpan KeepAliveResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long M3 waits for the sink's M2 once M1 is answered (protocol doc §1.2). Default 2 s.</summary>
    public TimeSpan M2Fallback { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long we wait for the sink's SETUP (M6) after the SETUP trigger, and for PLAY (M7) after SETUP. Default 15 s.</summary>
    public TimeSpan SetupTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long we wait for the sink's TEARDOWN (M8), PAUSE or PLAY after our trigger. Default 2 s (AOSP).</summary>
    public TimeSpan TriggerTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The parameters M3 asks for (protocol doc §1.3 recommendation plus EDID, connector and standby).</summary>
    public IReadOnlyList<string> QueriedParameters { get; init; } =
    [
        "wfd_video_formats",
        "wfd_audio_codecs",
        "wfd_client_rtp_ports",
        "wfd_content_protection",
        "wfd_display_edid",
        "wfd_connector_type",
        "wfd_idr_request_capability",
        "wfd_standby_resume_capability",
        "wfd_uibc_capability",
    ];

    /// <summary>The host in <c>wfd_presentation_URL</c>; null uses the connection's local address.</summary>
    public string? PresentationHost { get; init; }

    /// <summary>Our RTP source port, announced as <c>server_port</c> in the SETUP answer. Default 15550.</summary>
    public int ServerRtpPort { get; init; } = 15550;

    /// <summary>The product token sent in <c>Server</c> headers.</summary>
    public string ServerName { get; init; } = "Miraflow/1.0";

    /// <summary>Limits for every message the sink sends.</summary>
    public RtspLimits Limits { get; init; } = RtspLimits.Default;

    /// <summary>Source of session ids (≤ 9 decimal digits). Default <see cref="Random.Shared"/>; tests pass a seeded one.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>Throws <see cref="ArgumentException"/> for values outside their documented ranges.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Capabilities);
        ArgumentNullException.ThrowIfNull(QueriedParameters);
        ArgumentNullException.ThrowIfNull(Limits);
        ArgumentNullException.ThrowIfNull(Random);
        ArgumentException.ThrowIfNullOrWhiteSpace(ServerName);
        if (SessionTimeoutSeconds is < 10 or > 120)
        {
            throw new ArgumentOutOfRangeException(nameof(SessionTimeoutSeconds), SessionTimeoutSeconds, "The advertised session timeout must be 10-120 s.");
        }

        if (ServerRtpPort is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(ServerRtpPort), ServerRtpPort, "Not a UDP port.");
        }

        if (SuggestedBitrate is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SuggestedBitrate), SuggestedBitrate, "The suggested bitrate must be positive.");
        }

        foreach (TimeSpan timeout in (ReadOnlySpan<TimeSpan>)[ResponseTimeout, FormatResponseTimeout, KeepAliveResponseTimeout, M2Fallback, SetupTimeout, TriggerTimeout])
        {
            if (timeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(ResponseTimeout), timeout, "Timeouts must be positive.");
            }
        }
    }
}
