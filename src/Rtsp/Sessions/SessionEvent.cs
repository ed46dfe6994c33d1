using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Sessions;

/// <summary>
/// Something a session state machine reports to its owner. Sessions queue events; the owner
/// takes them with <see cref="IRtspSession.TryDequeueEvent"/> (the socket runner forwards them to
/// a channel). Events carry no control flow back into the session.
/// </summary>
public abstract record SessionEvent;

/// <summary>Source: the sink answered M3. <paramref name="Negotiation"/> is our choice from it.</summary>
public sealed record CapabilitiesReceived(WfdParameterSet SinkParameters, NegotiationResult Negotiation, bool MonitorConnected) : SessionEvent;

/// <summary>Source: the sink accepted this format in M4 (also after a mid-session change).</summary>
public sealed record FormatAccepted(NegotiatedFormat Format, bool MidSession) : SessionEvent;

/// <summary>Source: the sink refused a format (303/4xx to M4, 403 to the SETUP trigger); the next candidate follows if any.</summary>
public sealed record FormatRefused(NegotiatedFormat Format, int StatusCode) : SessionEvent;

/// <summary>
/// Source: the sink sent PLAY (M7): media may flow to <paramref name="RtpPort"/> on the sink's
/// address (and RTCP to <paramref name="RtcpPort"/> when given). <paramref name="Resumed"/> is
/// true for a PLAY after PAUSE or standby, which must start with an IDR.
/// </summary>
public sealed record PlayStarted(string SessionId, int RtpPort, int? RtcpPort, bool Resumed) : SessionEvent;

/// <summary>Source: the sink paused (M9); stop sending, keep the session.</summary>
public sealed record PlayPaused : SessionEvent;

/// <summary>Source: the sink accepted M12 standby; stop sending, keep the session.</summary>
public sealed record StandbyEntered : SessionEvent;

/// <summary>Source: the sink asked for an IDR picture (M13).</summary>
public sealed record IdrRequested : SessionEvent;

/// <summary>
/// Source: the sink reported that its monitor was unplugged (a <c>SET_PARAMETER</c> with
/// <c>wfd_connector_type: none</c>); the session then ends with SinkDisconnectRequest.
/// </summary>
public sealed record MonitorDeparted : SessionEvent;

/// <summary>Sink: the source set this format in M4.</summary>
public sealed record FormatSet(WfdVideoFormats? Video, WfdAudioCodecs? Audio, string? PresentationUrl) : SessionEvent;

/// <summary>Sink: PLAY was answered; the source streams to our RTP port.</summary>
public sealed record SinkPlaying(string SessionId, int TimeoutSeconds) : SessionEvent;

/// <summary>Sink: the source asked us to enter standby (M12).</summary>
public sealed record SinkStandby : SessionEvent;

/// <summary>Sink: the source sent a keep-alive (M16); <paramref name="Answered"/> is false while keep-alives are ignored.</summary>
public sealed record KeepAliveReceived(bool Answered) : SessionEvent;

/// <summary>The session is over. <paramref name="Detail"/> is one line for the log.</summary>
public sealed record SessionEnded(SessionEndReason Reason, string Detail) : SessionEvent;
