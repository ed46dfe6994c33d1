using Miraflow.Rtsp.Sessions;

namespace Miraflow.Simulator.Sink;

/// <summary>How a sink's session ended: the RTSP session's reason and one line of detail.</summary>
/// <param name="Reason">Why (<see cref="SessionEndReason.Stopped"/> for a teardown either side asked for).</param>
/// <param name="Detail">One line for logs and assertion messages.</param>
public sealed record SinkEnded(SessionEndReason Reason, string Detail);
