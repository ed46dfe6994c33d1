namespace Miraflow.Rtsp.Sessions;

/// <summary>
/// Why a WFD session ended. The first five values are numbered exactly as Windows'
/// <c>MIRACAST_STATUS</c> (contract doc §1.2), so the driver reports them as they are;
/// <see cref="Stopped"/> is a normal end the local side asked for and is not reported.
/// </summary>
public enum SessionEndReason
{
    /// <summary>MIRACAST_STATUS_CRITICAL_ERROR: malformed or timed-out protocol, a refused setup step, a socket error.</summary>
    CriticalError = 0,

    /// <summary>MIRACAST_STATUS_MISSING_KEEPALIVE: the peer did not answer a keep-alive (M16) in time.</summary>
    MissingKeepAlive = 1,

    /// <summary>MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST: the sink sent TEARDOWN or closed the connection.</summary>
    SinkDisconnectRequest = 2,

    /// <summary>MIRACAST_STATUS_INSUFFICIENT_BANDWIDTH: the suggested bitrate cannot carry any common mode.</summary>
    InsufficientBandwidth = 3,

    /// <summary>MIRACAST_STATUS_SINK_FAILED_STANDARD_MODE_CHANGE: the sink refused (or never answered) every M4 format.</summary>
    SinkFailedModeChange = 4,

    /// <summary>The local side ended the session (TEARDOWN trigger, Stop). Not an error; not reported.</summary>
    Stopped = 100,
}
