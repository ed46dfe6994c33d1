namespace Miraflow.Rtsp.Sessions;

/// <summary>Where a <see cref="SourceSession"/> is in the WFD sequence (protocol doc §1.2, §6).</summary>
public enum SourceSessionState
{
    /// <summary>Not started.</summary>
    Created,
    /// <summary>M1 sent; waiting for its answer and the sink's M2.</summary>
    Options,
    /// <summary>M3 sent; waiting for the sink's capabilities.</summary>
    QueryingCapabilities,
    /// <summary>M4 sent; waiting for the sink to accept the format.</summary>
    SettingFormat,
    /// <summary>M5 SETUP trigger sent.</summary>
    TriggeringSetup,
    /// <summary>Waiting for the sink's SETUP (M6).</summary>
    AwaitingSetup,
    /// <summary>SETUP answered; waiting for PLAY (M7).</summary>
    AwaitingPlay,
    /// <summary>Streaming.</summary>
    Playing,
    /// <summary>The sink paused (M9); the session is kept.</summary>
    Paused,
    /// <summary>The sink accepted standby (M12); the session is kept.</summary>
    Standby,
    /// <summary>TEARDOWN trigger sent; waiting up to 2 s for the sink's M8.</summary>
    TearingDown,
    /// <summary>Over; see <see cref="SourceSession.EndReason"/>.</summary>
    Ended,
}
