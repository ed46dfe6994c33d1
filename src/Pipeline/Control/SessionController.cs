using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Miraflow.Pipeline.Composition;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Sessions;
using Miraflow.Rtsp.Transport;

namespace Miraflow.Pipeline.Control;

/// <summary>
/// Binds one WFD source session (M1–M16 over the RTSP socket) to one media pipeline, and owns
/// the lifecycle of both (design.md "Data flow of one frame"):
/// <code>
///  RTSP event                 media
///  M3/M4 answered          ⇒  Negotiated completes (the driver's Start returns)
///  PLAY (M7)               ⇒  pipeline created to the sink's RTP port, sources started
///  PAUSE (M9), standby     ⇒  Pause: nothing sent, session and encoder kept
///  PLAY after either       ⇒  Resume: the next unit sent is an IDR
///  IDR request (M13)       ⇒  encoder makes an IDR
///  mid-session M4 accepted ⇒  new source and encoder; the switch happens at an IDR
///  TEARDOWN, end, Stop     ⇒  drain and release within StopBudget (3 s)
///  pipeline or source fault ⇒ TEARDOWN, ends with CriticalError
///  bandwidth too low       ⇒  TEARDOWN, ends with InsufficientBandwidth
/// </code>
/// </summary>
/// <remarks>
/// <para>Every end goes one way (<see cref="Completion"/>): the first cause sets the
/// <see cref="SessionOutcome"/>; media stops and TEARDOWN runs side by side within
/// <see cref="SessionControllerOptions.StopBudget"/>; the observer hears
/// <see cref="ISessionObserver.OnEnded"/> last.</para>
/// <para>The controller never closes the RTSP socket (on Windows the OS owns it).</para>
/// <para>Public methods are thread-safe; RTSP commands run on the socket runner's loop.</para>
/// </remarks>
public sealed partial class SessionController : IAsyncDisposable
{
    private readonly IMediaPipelineFactory _factory;
    private readonly SessionControllerOptions _options;
    private readonly ISessionObserver? _observer;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RtspSocketRunner<SourceSession> _runner;
    private readonly IPAddress _sinkAddress;
    private readonly PipelineObserver _pipelineObserver;
    private readonly TaskCompletionSource<SessionNegotiated> _negotiated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SessionOutcome> _endRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SessionOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private CapabilitiesReceived? _capabilities;
    private NegotiatedFormat? _format;
    private MediaSession? _media;
    private volatile bool _rtspEnded;
    private bool _ending;
    private int _started;

    /// <summary>Creates the controller for one connected RTSP socket (the sink's connection, or the one the OS accepted).</summary>
    /// <param name="rtspSocket">The connected TCP socket; the controller never closes it.</param>
    /// <param name="factory">Makes the session's pipeline (from <c>AddMiraflow</c>).</param>
    /// <param name="options">Tunables; defaults when null.</param>
    /// <param name="observer">Told what happens; may be null.</param>
    /// <param name="timeProvider">Timers and budgets; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Logs of the controller and the RTSP session; none when null.</param>
    /// <exception cref="ArgumentException">The socket is not connected, or an option is out of range.</exception>
    public SessionController(
        Socket rtspSocket,
        IMediaPipelineFactory factory,
        SessionControllerOptions? options = null,
        ISessionObserver? observer = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(rtspSocket);
        ArgumentNullException.ThrowIfNull(factory);
        _options = options ?? new SessionControllerOptions();
        _options.Validate();
        _sinkAddress = (rtspSocket.RemoteEndPoint as IPEndPoint)?.Address
            ?? throw new ArgumentException("The RTSP socket must be connected to the sink.", nameof(rtspSocket));
        _factory = factory;
        _observer = observer;
        _time = timeProvider ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<SessionController>();
        _pipelineObserver = new PipelineObserver(this);
        var session = new SourceSession(_options.Rtsp, _time, loggerFactory.CreateLogger<SourceSession>());
        _runner = new RtspSocketRunner<SourceSession>(rtspSocket, session, _time, loggerFactory.CreateLogger<RtspSocketRunner<SourceSession>>());
    }

    /// <summary>Completes when the sink has answered M3 and accepted an M4 format; fails with <see cref="SessionEndedException"/> if the session ends first.</summary>
    public Task<SessionNegotiated> Negotiated => _negotiated.Task;

    /// <summary>Completes, never faulted, when the session is over and everything is released.</summary>
    public Task<SessionOutcome> Completion => _completion.Task;

    /// <summary>The running media session, between PLAY and the end; null otherwise.</summary>
    public MediaSession? Media
    {
        get
        {
            lock (_lock)
            {
                return _media;
            }
        }
    }

    /// <summary>The format streamed (or to be streamed); null before M4 is accepted.</summary>
    public NegotiatedFormat? Format
    {
        get
        {
            lock (_lock)
            {
                return _media?.Format ?? _format;
            }
        }
    }

    /// <summary>Starts the WFD session: M1 goes out, and the rest follows the sink. Call once.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The session controller has already started.");
        }

        _runner.Start();
        _ = RunAsync();
    }

    /// <summary>Asks the sink to pause (M5 PAUSE trigger); sending stops when it sends M9.</summary>
    public Task PauseAsync() => _runner.InvokeAsync(static s => s.TriggerPause());

    /// <summary>Asks the sink to play again after a pause or standby (M5 PLAY trigger); sending resumes with an IDR at its M7.</summary>
    public Task ResumeAsync() => _runner.InvokeAsync(static s => s.Resume());

    /// <summary>Asks the sink to enter standby (M12, the display was powered off); sending stops when it accepts, the session is kept.</summary>
    public Task EnterStandbyAsync() => _runner.InvokeAsync(static s => s.EnterStandby());

    /// <summary>
    /// Changes the format mid-session (M4 with <c>wfd_av_format_change_timing</c>); when the sink
    /// accepts, the source and encoder are rebuilt and switch at the new encoder's first IDR. A
    /// sink that refuses or does not answer ends the session with SinkFailedModeChange.
    /// </summary>
    /// <exception cref="InvalidOperationException">The session is not streaming.</exception>
    public Task ChangeFormatAsync(NegotiatedFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        MediaSession media = Media ?? throw new InvalidOperationException("A format change needs a streaming session.");
        ulong pts = (ulong)(media.Clock.Now + _options.FormatChangeLead).Ticks90kHz & 0x1_FFFF_FFFF;
        return _runner.InvokeAsync(s => s.ChangeFormat(format, pts, pts));
    }

    /// <summary>Makes the next picture an IDR (a chunk-queue reset, the OS asking); M13 from the sink does this by itself.</summary>
    public void RequestIdr() => Media?.EncodeStage.RequestIdr();

    /// <summary>
    /// The OS's once-a-second data-rate figures: the bitrate controller follows them, and when
    /// the chosen mode can no longer be carried the session ends with InsufficientBandwidth.
    /// </summary>
    /// <returns>The controller's decision, or null when nothing is streaming.</returns>
    public BitrateDecision? OnDataRate(DataRateSample sample)
    {
        if (Media is not { } media)
        {
            return null;
        }

        BitrateDecision decision = media.BitrateController.OnDataRate(sample);
        if (decision.InsufficientBandwidth)
        {
            RequestEnd(SessionEndReason.InsufficientBandwidth, $"the link carries {sample.EncoderBitRate} bit/s; the mode needs {media.BitrateController.RequiredBitrate} bit/s");
        }

        return decision;
    }

    /// <summary>Ends the session from our side (TEARDOWN, drain, release) and waits for it: within <see cref="SessionControllerOptions.StopBudget"/>.</summary>
    public Task<SessionOutcome> StopAsync()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // Never started: no RTSP loop to tear down, nothing streaming.
            _rtspEnded = true;
            RequestEnd(SessionEndReason.Stopped, "stopped before it started");
            _ = RunAsync();
        }

        RequestEnd(SessionEndReason.Stopped, "stopped by the source");
        return Completion;
    }

    /// <summary>Stops the session (<see cref="StopAsync"/>). Idempotent.</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private void RequestEnd(SessionEndReason reason, string detail)
    {
        if (_endRequested.TrySetResult(new SessionOutcome(reason, detail)))
        {
            _negotiated.TrySetException(new SessionEndedException(reason, detail));
        }
    }

    private async Task RunAsync()
    {
        Task events = _rtspEnded ? Task.CompletedTask : HandleEventsAsync();
        SessionOutcome outcome = await _endRequested.Task.ConfigureAwait(false);
        long start = _time.GetTimestamp();
        MediaSession? media;
        lock (_lock)
        {
            _ending = true;
            media = _media;
        }

        try
        {
            // TEARDOWN (the session waits up to 2 s for the sink's M8) and the media drain run side by side.
            if (!_rtspEnded)
            {
                try
                {
                    await _runner.InvokeAsync(static s => s.TriggerTeardown()).WaitAsync(Remaining(start), _time).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
                {
                    // The runner has stopped (the connection is gone) or is stuck: there is nothing more to say to the sink.
                }
            }

            Task mediaStopped = media is null ? Task.CompletedTask : StopMediaAsync(media, start);
            try
            {
                await events.WaitAsync(Remaining(start), _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogTeardownUnanswered(_logger);
            }

            await mediaStopped.ConfigureAwait(false);
            lock (_lock)
            {
                _media = null;
            }

            await _runner.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Never let a failure in the shutdown hide the outcome; it is logged and the end goes on.
            LogShutdownFailed(_logger, ex);
        }

        double releasedIn = _time.GetElapsedTime(start).TotalMilliseconds;
        LogEnded(_logger, outcome.Reason, outcome.Detail, releasedIn);
        try
        {
            _observer?.OnEnded(outcome);
        }
        finally
        {
            _completion.TrySetResult(outcome);
        }
    }

    /// <summary>Stops the pumps and drains the pipeline within what is left of the budget (keeping 10 % for the rest), then releases the session.</summary>
    private async Task StopMediaAsync(MediaSession media, long start)
    {
        TimeSpan drain = Remaining(start) - (_options.StopBudget / 10);
        try
        {
            bool drained = await media.StopAsync(drain > TimeSpan.Zero ? drain : TimeSpan.FromMilliseconds(1)).ConfigureAwait(false);
            if (!drained)
            {
                LogDrainCut(_logger, drain.TotalMilliseconds);
            }
        }
        catch (Exception ex)
        {
            // A pipeline fault already decided the outcome; here it only must not stop the release.
            LogShutdownFailed(_logger, ex);
        }
        finally
        {
            await media.DisposeAsync().ConfigureAwait(false);
        }
    }

    private TimeSpan Remaining(long start)
    {
        TimeSpan left = _options.StopBudget - _time.GetElapsedTime(start);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task HandleEventsAsync()
    {
        try
        {
            await foreach (SessionEvent sessionEvent in _runner.Events.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    Handle(sessionEvent);
                }
                catch (Exception ex)
                {
                    RequestEnd(SessionEndReason.CriticalError, $"handling {sessionEvent.GetType().Name} failed: {ex.Message}");
                }
            }
        }
        finally
        {
            _rtspEnded = true;
            RequestEnd(SessionEndReason.CriticalError, "the RTSP connection stopped without a session end");
        }
    }

    private void Handle(SessionEvent sessionEvent)
    {
        switch (sessionEvent)
        {
            case CapabilitiesReceived capabilities:
                _capabilities = capabilities;
                LogCapabilities(_logger, capabilities.Negotiation.Reason);
                break;
            case FormatAccepted { MidSession: false } accepted:
                lock (_lock)
                {
                    _format = accepted.Format;
                }

                var negotiated = new SessionNegotiated(_capabilities!, accepted.Format);
                LogFormatAccepted(_logger, accepted.Format);
                if (_negotiated.TrySetResult(negotiated))
                {
                    _observer?.OnNegotiated(negotiated);
                }

                break;
            case FormatAccepted { MidSession: true } changed:
                OnFormatChanged(changed.Format);
                break;
            case FormatRefused refused:
                LogFormatRefused(_logger, refused.Format, refused.StatusCode);
                break;
            case PlayStarted play:
                OnPlay(play);
                break;
            case PlayPaused:
                Pause(standby: false);
                break;
            case StandbyEntered:
                Pause(standby: true);
                break;
            case IdrRequested:
                Media?.EncodeStage.RequestIdr();
                _observer?.OnIdrRequested();
                break;
            case MonitorDeparted:
                _observer?.OnMonitorDeparted();
                break;
            case SessionEnded ended:
                _rtspEnded = true;
                RequestEnd(ended.Reason, ended.Detail);
                break;
        }
    }

    private void OnPlay(PlayStarted play)
    {
        MediaSession? media;
        NegotiatedFormat format;
        lock (_lock)
        {
            if (_ending)
            {
                return;
            }

            media = _media;
            format = _format ?? throw new InvalidOperationException("PLAY arrived before a format was accepted.");
        }

        if (media is not null)
        {
            if (media.Pipeline.Paused)
            {
                media.Pipeline.Resume();
                LogResumed(_logger);
                _observer?.OnResumed();
            }

            return;
        }

        var sink = new IPEndPoint(_sinkAddress, play.RtpPort);
        try
        {
            media = _factory.Create(new PipelineRequest(sink, format, _options.InitialBitrate, _pipelineObserver));
        }
        catch (Exception ex)
        {
            RequestEnd(SessionEndReason.CriticalError, $"the media pipeline could not be created: {ex.Message}");
            return;
        }

        lock (_lock)
        {
            if (!_ending)
            {
                _media = media;
                media.Start();
            }
        }

        if (!ReferenceEquals(Media, media))
        {
            _ = media.DisposeAsync().AsTask();
            return;
        }

        LogStreaming(_logger, format, sink);
        _observer?.OnStreamingStarted(format, sink);
        _ = WatchMediaAsync(media);
    }

    private void Pause(bool standby)
    {
        Media?.Pipeline.Pause();
        LogPaused(_logger, standby ? "the sink entered standby" : "the sink paused");
        _observer?.OnPaused(standby);
    }

    private void OnFormatChanged(NegotiatedFormat format)
    {
        if (Media is { } media)
        {
            media.ChangeFormat(format);
        }
        else
        {
            lock (_lock)
            {
                _format = format;
            }
        }

        LogFormatChanged(_logger, format);
        _observer?.OnFormatChanged(format);
    }

    /// <summary>Ends the session when the pipeline faults or the frame source ends or fails.</summary>
    private async Task WatchMediaAsync(MediaSession media)
    {
        Task first = await Task.WhenAny(media.Pipeline.Completion, media.SourceCompletion).ConfigureAwait(false);
        if (first.IsFaulted)
        {
            Exception error = first.Exception!.InnerExceptions[0];
            string what = ReferenceEquals(first, media.SourceCompletion) ? "the frame source" : "the media pipeline";
            RequestEnd(SessionEndReason.CriticalError, $"{what} failed: {error.GetType().Name}: {error.Message}");
        }
        else if (ReferenceEquals(first, media.SourceCompletion))
        {
            RequestEnd(SessionEndReason.Stopped, "the frame source ended");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink capabilities received: {Reason}")]
    private static partial void LogCapabilities(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The sink accepted {Format}")]
    private static partial void LogFormatAccepted(ILogger logger, NegotiatedFormat format);

    [LoggerMessage(Level = LogLevel.Information, Message = "The sink refused {Format} with {StatusCode}; trying the next candidate")]
    private static partial void LogFormatRefused(ILogger logger, NegotiatedFormat format, int statusCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Streaming {Format} to {Sink}")]
    private static partial void LogStreaming(ILogger logger, NegotiatedFormat format, IPEndPoint sink);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending stopped, session kept: {Why}")]
    private static partial void LogPaused(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending resumed; the next picture is an IDR")]
    private static partial void LogResumed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Format changed mid-session to {Format}; the encoder switches at its first IDR")]
    private static partial void LogFormatChanged(ILogger logger, NegotiatedFormat format);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sink did not finish the TEARDOWN within the stop budget; the session is released anyway")]
    private static partial void LogTeardownUnanswered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The pipeline did not drain within {Milliseconds:F0} ms; queued frames were released unsent")]
    private static partial void LogDrainCut(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "A step of the session's shutdown failed; the release went on")]
    private static partial void LogShutdownFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Session ended ({Reason}): {Detail}; released in {Milliseconds:F0} ms")]
    private static partial void LogEnded(ILogger logger, SessionEndReason reason, string detail, double milliseconds);

    /// <summary>The pipeline's observer: drops and sends go to the session's observer, a fault ends the session at once.</summary>
    private sealed class PipelineObserver(SessionController controller) : IPipelineObserver
    {
        public void OnFrameDropped(ulong frameNumber) => controller._observer?.OnFrameDropped(frameNumber);

        public void OnFrameDiscarded(ulong frameNumber) => controller._observer?.OnFrameDiscarded(frameNumber);

        public void OnUnitSending(EncodedFrame unit) => controller._observer?.OnUnitSending(unit);

        public void OnFault(Exception exception) =>
            controller.RequestEnd(SessionEndReason.CriticalError, $"the media pipeline failed: {exception.GetType().Name}: {exception.Message}");
    }
}

/// <summary>The session ended before the awaited step (e.g. before the sink accepted a format).</summary>
public sealed class SessionEndedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionEndedException(SessionEndReason reason, string detail)
        : base($"The WFD session ended ({reason}): {detail}")
    {
        Reason = reason;
        Detail = detail;
    }

    /// <summary>Creates the exception with a message.</summary>
    public SessionEndedException()
        : this(SessionEndReason.CriticalError, "unknown")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SessionEndedException(string message)
        : base(message)
    {
        Detail = message;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public SessionEndedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Detail = message;
    }

    /// <summary>Why the session ended.</summary>
    public SessionEndReason Reason { get; }

    /// <summary>One line saying what happened.</summary>
    public string Detail { get; } = string.Empty;
}
