namespace Miraflow.Rtsp.Sessions;

/// <summary>A request we sent and whose answer we wait for.</summary>
/// <param name="CSeq">Our CSeq.</param>
/// <param name="Label">What it is, for logs and dispatch (<c>M3</c>, <c>M16</c>, …).</param>
/// <param name="Deadline">When a missing answer becomes a timeout.</param>
internal sealed record PendingRequest(int CSeq, string Label, DateTimeOffset Deadline);
