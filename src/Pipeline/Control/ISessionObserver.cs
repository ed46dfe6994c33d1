using System.Net;
using Miraflow.Pipeline.Media;
using Miraflow.Rtsp.Negotiation;

namespace Miraflow.Pipeline.Control;

/// <summary>
/// What a <see cref="SessionController"/> reports as it happens (the driver turns these into
/// ReportStatistic and ReportSessionStatus calls; the simulator into its live view). Every method
/// has an empty default, so an observer implements only what it needs.
/// </summary>
/// <remarks>
/// Calls come on the controller's and the pipeline's threads and may overlap; implementations
/// must return quickly and must not throw.
/// </remarks>
public interface ISessionObserver
{
    /// <summary>The sink answered M3 and accepted our M4 format.</summary>
    void OnNegotiated(SessionNegotiated negotiated)
    {
    }

    /// <summary>The sink sent PLAY: media now flows to <paramref name="sink"/> in <paramref name="format"/>.</summary>
    void OnStreamingStarted(NegotiatedFormat format, IPEndPoint sink)
    {
    }

    /// <summary>Sending stopped, the session is kept: the sink paused (M9) or accepted standby (M12).</summary>
    void OnPaused(bool standby)
    {
    }

    /// <summary>Sending resumed after a pause or standby (it starts with an IDR).</summary>
    void OnResumed()
    {
    }

    /// <summary>The sink asked for an IDR (M13); the encoder was asked for one.</summary>
    void OnIdrRequested()
    {
    }

    /// <summary>The sink reported its monitor unplugged (<c>wfd_connector_type: none</c>); the session ends next, with SinkDisconnectRequest.</summary>
    void OnMonitorDeparted()
    {
    }

    /// <summary>The sink accepted a mid-session format change; the encoder is rebuilt at the next IDR.</summary>
    void OnFormatChanged(NegotiatedFormat format)
    {
    }

    /// <summary>The capture edge dropped picture <paramref name="frameNumber"/> (FRAME_DROPPED).</summary>
    void OnFrameDropped(ulong frameNumber)
    {
    }

    /// <summary>Picture <paramref name="frameNumber"/> passed the capture edge but will not be sent (encoder skip, or a stale unit discarded before a recovery IDR).</summary>
    void OnFrameDiscarded(ulong frameNumber)
    {
    }

    /// <summary>Access unit <paramref name="unit"/> is about to be sent (CHUNK_SENT); valid only during the call.</summary>
    void OnUnitSending(EncodedFrame unit)
    {
    }

    /// <summary>The session is over: media stopped, the RTSP session ended. Called once, last.</summary>
    void OnEnded(SessionOutcome outcome)
    {
    }
}
