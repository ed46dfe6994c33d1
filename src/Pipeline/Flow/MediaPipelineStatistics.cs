namespace Miraflow.Pipeline.Flow;

/// <summary>A snapshot of a <see cref="MediaPipeline"/>'s counters since it was created.</summary>
/// <remarks>Each counter is read atomically; the snapshot as a whole is not taken under a lock.</remarks>
/// <param name="FramesIn">Pictures and access units accepted at the capture edge.</param>
/// <param name="FramesDropped">Pictures dropped at the capture edge because the encode block was full.</param>
/// <param name="FramesEncoded">Access units the encode stage produced.</param>
/// <param name="FramesSkipped">Frames the encode stage returned nothing for (rate control, or a pass-through unit held back until an IDR).</param>
/// <param name="VideoUnitsSent">Video access units muxed and sent.</param>
/// <param name="IdrUnitsSent">IDR access units among <paramref name="VideoUnitsSent"/>.</param>
/// <param name="AudioFramesSent">Audio frames muxed and sent.</param>
/// <param name="UnitsDiscarded">Video units and audio frames the send block discarded: everything while paused, and stale non-IDR units after a lost picture or a resume until the recovery IDR.</param>
/// <param name="DatagramsSent">Datagrams the sender's kernel accepted (the sender's own counter).</param>
/// <param name="BytesSent">UDP payload bytes the sender's kernel accepted (the sender's own counter).</param>
public readonly record struct MediaPipelineStatistics(
    long FramesIn,
    long FramesDropped,
    long FramesEncoded,
    long FramesSkipped,
    long VideoUnitsSent,
    long IdrUnitsSent,
    long AudioFramesSent,
    long UnitsDiscarded,
    long DatagramsSent,
    long BytesSent);
