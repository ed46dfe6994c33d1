namespace Miraflow.Exports.Driver;

/// <summary>
/// The RTSP keep-alive settings of the driver's sessions. The installed driver uses the defaults;
/// a host that builds the driver's services (the tests, through <see cref="DriverHooks"/>) may
/// register others with <c>services.Configure&lt;DriverSessionOptions&gt;(…)</c>.
/// </summary>
internal sealed class DriverSessionOptions
{
    /// <summary>
    /// The session timeout advertised in M6 (<c>Session: id;timeout=N</c>), which the HLK "Sink
    /// Disconnect" test wants within 10–120 s. M16 keep-alives go every N − 5 s. Default 30.
    /// </summary>
    public int SessionTimeoutSeconds { get; set; } = 30;

    /// <summary>How long an M16 may stay unanswered before the session ends with MISSING_KEEPALIVE. Default 10 s.</summary>
    public TimeSpan KeepAliveResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
