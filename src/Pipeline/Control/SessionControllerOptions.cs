using Miraflow.Rtsp.Sessions;

namespace Miraflow.Pipeline.Control;

/// <summary>The tunables of a <see cref="SessionController"/>.</summary>
public sealed class SessionControllerOptions
{
    /// <summary>The WFD session's options (server name, timeouts, keep-alive, negotiation preferences).</summary>
    public SourceSessionOptions Rtsp { get; set; } = new();

    /// <summary>
    /// How long a stop may take, from the request to the return: TEARDOWN (with its wait for the
    /// sink's M8), draining the pipeline and releasing everything. 3 s by default, the Windows
    /// budget for StopMiracastSession; 0.5 to 30 s.
    /// </summary>
    public TimeSpan StopBudget { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The encoder's starting bitrate in bit/s; 0 for the composition's default.</summary>
    public int InitialBitrate { get; set; }

    /// <summary>
    /// How far ahead of now a mid-session format change announces the first picture in the new
    /// format (<c>wfd_av_format_change_timing</c>); 200 ms by default, at most 5 s.
    /// </summary>
    public TimeSpan FormatChangeLead { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    /// <exception cref="ArgumentNullException"><see cref="Rtsp"/> is null.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Rtsp);
        Rtsp.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(StopBudget, TimeSpan.FromMilliseconds(500));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(StopBudget, TimeSpan.FromSeconds(30));
        ArgumentOutOfRangeException.ThrowIfNegative(InitialBitrate);
        ArgumentOutOfRangeException.ThrowIfLessThan(FormatChangeLead, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(FormatChangeLead, TimeSpan.FromSeconds(5));
    }
}
