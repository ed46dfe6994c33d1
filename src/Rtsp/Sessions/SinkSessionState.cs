namespace Miraflow.Rtsp.Sessions;

/// <summary>Where a <see cref="SinkSession"/> is in the WFD sequence.</summary>
public enum SinkSessionState
{
    /// <summary>Waiting for the source's M1.</summary>
    WaitingForOptions,
    /// <summary>M1 answered, M2 sent; waiting for M3/M4.</summary>
    Negotiating,
    /// <summary>SETUP (M6) sent.</summary>
    SettingUp,
    /// <summary>PLAY (M7) sent.</summary>
    StartingPlay,
    /// <summary>Receiving media.</summary>
    Playing,
    /// <summary>Paused (M9 answered).</summary>
    Paused,
    /// <summary>In standby after the source's M12.</summary>
    Standby,
    /// <summary>TEARDOWN (M8) sent.</summary>
    TearingDown,
    /// <summary>Over.</summary>
    Ended,
}
