using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Sessions;

namespace Miraflow.Pipeline.Control;

/// <summary>How a session ended: the reason (numbered as Windows' MIRACAST_STATUS) and one line for the log.</summary>
/// <param name="Reason">Why it ended; <see cref="SessionEndReason.Stopped"/> when our side ended it normally.</param>
/// <param name="Detail">One line saying what happened.</param>
public sealed record SessionOutcome(SessionEndReason Reason, string Detail);

/// <summary>The sink's capabilities (M3) and the format it accepted (M4): what the driver's Start reports.</summary>
/// <param name="Capabilities">The M3 answer and the negotiation made from it.</param>
/// <param name="Format">The format the sink accepted.</param>
public sealed record SessionNegotiated(CapabilitiesReceived Capabilities, NegotiatedFormat Format);
