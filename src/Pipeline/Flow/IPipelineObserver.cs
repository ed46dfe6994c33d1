using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Flow;

/// <summary>
/// What a <see cref="MediaPipeline"/> reports as it happens: one observer per pipeline instead
/// of lists of events (house rule 11). The session controller turns these into the driver's
/// statistics (FRAME_DROPPED) and session status.
/// </summary>
/// <remarks>
/// Calls come on pipeline threads: <see cref="OnFrameDropped"/> on the thread that called
/// <see cref="MediaPipeline.Post"/> (a capture or chunk thread), <see cref="OnFault"/> on a pool
/// thread. Implementations must return quickly and must not throw.
/// </remarks>
public interface IPipelineObserver
{
    /// <summary>The capture edge dropped picture <paramref name="frameNumber"/> because the encoder was busy.</summary>
    void OnFrameDropped(ulong frameNumber);

    /// <summary>
    /// Picture <paramref name="frameNumber"/> got past the capture edge but will not be sent: the
    /// encoder skipped it, or its unit was stale and discarded while the stream waited for a
    /// recovery IDR (the driver reports FRAME_DROPPED for it too). Called on the encode or send thread.
    /// </summary>
    void OnFrameDiscarded(ulong frameNumber)
    {
    }

    /// <summary>
    /// Video access unit <paramref name="unit"/> is muxed and its first datagram is about to be
    /// sent (the driver's CHUNK_SENT point). Called on the send thread; the unit is valid only
    /// during the call.
    /// </summary>
    void OnUnitSending(EncodedFrame unit)
    {
    }

    /// <summary>A block faulted; the pipeline is ending and <see cref="MediaPipeline.Completion"/> carries <paramref name="exception"/>.</summary>
    void OnFault(Exception exception);
}
