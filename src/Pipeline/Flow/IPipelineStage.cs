using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Flow;

/// <summary>
/// A custom step between encode and send (<c>AddBlock</c>): it sees every encoded access unit
/// in order and returns the unit to send — the same one, or another it made — or null to drop it.
/// </summary>
/// <remarks>
/// Stages run in registration order on the send block's thread, before the TS muxer, one unit
/// at a time; a slow stage holds up sending (and so backs the pipeline up, as a slow network
/// would). Ownership moves with the unit: when a stage returns another unit or null, the
/// pipeline disposes the one it passed in. An exception faults the pipeline and ends the session.
/// A registered stage is a singleton shared by every session: keep per-session state out of it.
/// </remarks>
public interface IPipelineStage
{
    /// <summary>Processes one encoded access unit.</summary>
    EncodedFrame? Process(EncodedFrame unit);
}
