using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Miraflow.Rtsp.Messages;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Sessions;

/// <summary>
/// The WFD source side of one RTSP connection, sans-IO (protocol doc §1):
/// <code>
///  source                                   sink
///  M1  OPTIONS *  ───────────────────────►
///                 ◄───────────────────────  200 (Public)
///                 ◄───────────────────────  M2 OPTIONS *
///      200 (Public) ─────────────────────►
///  M3  GET_PARAMETER (names) ────────────►  (only after M2 is answered, or 2 s after M1's 200)
///                 ◄───────────────────────  200 (wfd_* values)      → negotiate
///  M4  SET_PARAMETER (chosen format) ────►  303/4xx ⇒ next candidate
///  M5  SET_PARAMETER trigger SETUP ──────►  403 ⇒ next candidate
///                 ◄───────────────────────  M6 SETUP (client_port)
///      200 Session: id;timeout=N ────────►
///                 ◄───────────────────────  M7 PLAY                 → stream
///  M16 GET_PARAMETER (keep-alive) every N − 5 s; M13 from the sink ⇒ IDR; M8/M9 from the sink
/// </code>
/// Source-side PAUSE/PLAY/TEARDOWN triggers, M12 standby and a mid-session M4 are methods.
/// Every way the session ends is one <see cref="SessionEndReason"/>. Not thread-safe; see
/// <see cref="IRtspSession"/>.
/// </summary>
public sealed class SourceSession : RtspSessionBase
{
    /// <summary>The URI of M3, M4, M5 and M16 requests (GND cfc07e3: the keep-alive URL real TVs accept).</summary>
    public const string ControlUri = "rtsp://localhost/wfd1.0";

    /// <summary>What we answer M2 with (AOSP's list, protocol doc §1.7).</summary>
    public const string PublicMethods = "org.wfa.wfd1.0, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER";

    private const string WfdRequire = "org.wfa.wfd1.0";
    private const int DefaultRtpPort = 19000;

    // Named timers (indexes into the endpoint's timer table).
    private const int M3FallbackTimer = 0;
    private const int KeepAliveTimer = 1;
    private const int SetupTimer = 2;
    private const int TriggerTimer = 3;
    private const int TimerCount = 4;

    // Labels of requests awaiting an answer.
    private const string M1 = "M1";
    private const string M3 = "M3";
    private const string M4 = "M4";
    private const string M4Change = "M4 (format change)";
    private const string M5Setup = "M5 SETUP";
    private const string M5Play = "M5 PLAY";
    private const string M5Pause = "M5 PAUSE";
    private const string M5Teardown = "M5 TEARDOWN";
    private const string M12 = "M12";
    private const string M16 = "M16";

    private readonly SourceSessionOptions _options;
    private bool _m1Answered;
    private bool _m2Answered;
    private IReadOnlyList<NegotiatedFormat> _candidates = [];
    private int _candidateIndex;
    private NegotiatedFormat? _pendingChange;
    private int _sinkRtpPort;
    private int? _sinkRtcpPort;
    private WfdClientRtpPorts? _sinkPorts;
    private string? _presentationHost;
    private bool _teardownTriggered;

    public SourceSession(SourceSessionOptions? options = null, TimeProvider? timeProvider = null, ILogger<SourceSession>? logger = null)
        : base(Validated(options ??= new SourceSessionOptions()).Limits, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance, TimerCount, "Server", options.ServerName)
    {
        _options = options;
        KeepAliveInterval = TimeSpan.FromSeconds(_options.SessionTimeoutSeconds - 5);
    }

    public SourceSessionState State { get; private set; } = SourceSessionState.Created;

    /// <summary>The session id we gave in the SETUP answer (≤ 9 decimal digits), once set up.</summary>
    public string? SessionId { get; private set; }

    /// <summary>The sink's M3 answer, once received.</summary>
    public WfdParameterSet? SinkParameters { get; private set; }

    /// <summary>The negotiation made from the M3 answer.</summary>
    public NegotiationResult? Negotiation { get; private set; }

    /// <summary>The format the sink accepted last (null before M4 is answered).</summary>
    public NegotiatedFormat? Format { get; private set; }

    /// <summary>The interval between M16 keep-alives: the advertised timeout − 5 s.</summary>
    public TimeSpan KeepAliveInterval { get; }

    private NegotiatedFormat CurrentCandidate => _candidates[_candidateIndex];

    private protected override string Peer => "sink";

    private static SourceSessionOptions Validated(SourceSessionOptions options)
    {
        options.Validate();
        return options;
    }

    private protected override string? SessionHeader =>
        SessionId is null ? null : string.Create(CultureInfo.InvariantCulture, $"{SessionId};timeout={_options.SessionTimeoutSeconds}");

    public override void Bind(EndPoint? localEndPoint, EndPoint? remoteEndPoint) =>
        _presentationHost = _options.PresentationHost ?? (localEndPoint as IPEndPoint)?.Address switch
        {
            null => null,
            { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } v6 => $"[{v6}]",
            var v4 => v4.ToString(),
        };

    /// <summary>Sends M1.</summary>
    public override void Start()
    {
        if (State != SourceSessionState.Created)
        {
            throw new InvalidOperationException("The session has already started.");
        }

        State = SourceSessionState.Options;
        RtspMessage m1 = NewRequest(RtspMethod.Options, "*");
        m1.Headers.Add("Require", WfdRequire);
        Endpoint.SendRequest(m1, M1, _options.ResponseTimeout);
    }

    public override void ReceiveEndOfStream()
    {
        if (IsEnded)
        {
            return;
        }

        if (State == SourceSessionState.TearingDown)
        {
            End(SessionEndReason.Stopped, "the sink closed the connection after our TEARDOWN trigger");
            return;
        }

        End(SessionEndReason.SinkDisconnectRequest, $"the sink closed the RTSP connection (state {State})");
    }

    private protected override void OnTimersDue()
    {
        if (!IsEnded && Endpoint.TakeIfDue(M3FallbackTimer) && State == SourceSessionState.Options)
        {
            SessionLog.M2FallbackElapsed(Logger, _options.M2Fallback);
            SendM3();
        }

        if (!IsEnded && Endpoint.TakeIfDue(SetupTimer))
        {
            End(SessionEndReason.CriticalError, State == SourceSessionState.AwaitingPlay
                ? "the sink did not send PLAY (M7) after SETUP"
                : "the sink did not send SETUP (M6) after the SETUP trigger");
        }

        if (!IsEnded && Endpoint.TakeIfDue(TriggerTimer))
        {
            if (State == SourceSessionState.TearingDown)
            {
                End(SessionEndReason.Stopped, $"no TEARDOWN from the sink within {_options.TriggerTimeout.TotalSeconds:0.#} s of our trigger; disconnecting");
            }
            else
            {
                SessionLog.TriggerNotActedOn(Logger, State.ToString(), _options.TriggerTimeout);
            }
        }

        if (!IsEnded && Endpoint.TakeIfDue(KeepAliveTimer))
        {
            SendKeepAlive();
        }
    }

    // ---- source-side commands -----------------------------------------------------------------

    /// <summary>Asks the sink to pause (M5 <c>wfd_trigger_method: PAUSE</c>); it answers with M9.</summary>
    public void TriggerPause()
    {
        if (State == SourceSessionState.Playing)
        {
            SendTrigger(WfdTrigger.Pause, M5Pause);
        }
    }

    /// <summary>Asks the sink to play again after PAUSE or standby (M5 <c>wfd_trigger_method: PLAY</c>); it answers with M7.</summary>
    public void TriggerPlay()
    {
        if (State is SourceSessionState.Paused or SourceSessionState.Standby)
        {
            SendTrigger(WfdTrigger.Play, M5Play);
        }
    }

    /// <summary>Resumes from standby or pause: the same as <see cref="TriggerPlay"/>.</summary>
    public void Resume() => TriggerPlay();

    /// <summary>
    /// Ends the session from our side: M5 <c>wfd_trigger_method: TEARDOWN</c>, then up to
    /// <see cref="SourceSessionOptions.TriggerTimeout"/> for the sink's M8 (AOSP), then
    /// <see cref="SessionEndReason.Stopped"/> either way. Before SETUP there is nothing to tear
    /// down and the session ends at once.
    /// </summary>
    public void TriggerTeardown()
    {
        if (IsEnded || State == SourceSessionState.TearingDown)
        {
            return;
        }

        if (SessionId is null)
        {
            End(SessionEndReason.Stopped, $"stopped by the source before SETUP (state {State})");
            return;
        }

        _teardownTriggered = true;
        Endpoint.CancelTimer(KeepAliveTimer);
        Endpoint.CancelTimer(SetupTimer);
        SendTrigger(WfdTrigger.Teardown, M5Teardown);
        State = SourceSessionState.TearingDown;
    }

    /// <summary>Asks the sink to enter standby (M12 <c>wfd_standby</c>); media stops once it accepts.</summary>
    public void EnterStandby()
    {
        if (State is not (SourceSessionState.Playing or SourceSessionState.Paused))
        {
            return;
        }

        var body = new WfdParameterSet();
        body.Set(WfdStandby.Instance);
        RtspMessage m12 = NewParameterRequest(body.ToArray());
        m12.Headers.Add("Session", SessionId!);
        Endpoint.SendRequest(m12, M12, _options.ResponseTimeout);
    }

    /// <summary>
    /// A mid-session format change (M4 with <c>wfd_av_format_change_timing</c>, protocol doc
    /// §1.2): the sink must accept within <see cref="SourceSessionOptions.FormatResponseTimeout"/>
    /// or the session ends with <see cref="SessionEndReason.SinkFailedModeChange"/>.
    /// </summary>
    /// <param name="format">The new format; it should be one of <see cref="NegotiationResult.Candidates"/>.</param>
    /// <param name="pts">The 90 kHz PTS (40 bits) of the first picture in the new format.</param>
    /// <param name="dts">Its DTS (equal to the PTS without B-frames).</param>
    public void ChangeFormat(NegotiatedFormat format, ulong pts, ulong dts)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (State is not (SourceSessionState.Playing or SourceSessionState.Paused or SourceSessionState.Standby))
        {
            throw new InvalidOperationException($"A format change needs a running session (state {State}).");
        }

        var body = new WfdParameterSet();
        body.Set(format.ToVideoFormats());
        if (format.ToAudioCodecs() is { } audio)
        {
            body.Set(audio);
        }

        body.Set(new WfdAvFormatChangeTiming(pts, dts));
        RtspMessage m4 = NewParameterRequest(body.ToArray());
        m4.Headers.Add("Session", SessionId!);
        _pendingChange = format;
        Endpoint.SendRequest(m4, M4Change, _options.FormatResponseTimeout);
    }

    // ---- requests from the sink ---------------------------------------------------------------

    private protected override void HandleRequest(RtspMessage request)
    {
        if (request.Version != RtspMessage.Rtsp10)
        {
            Answer(request, RtspStatus.VersionNotSupported);
            return;
        }

        if (request.CSeq is null)
        {
            Answer(request, RtspStatus.BadRequest); // AOSP: a request without CSeq is a 400
            return;
        }

        switch (request.KnownMethod)
        {
            case RtspMethod.Options:
                OnOptions(request);
                break;
            case RtspMethod.Setup:
                OnSetup(request);
                break;
            case RtspMethod.Play:
                OnPlay(request);
                break;
            case RtspMethod.Pause:
                OnPause(request);
                break;
            case RtspMethod.Teardown:
                OnTeardown(request);
                break;
            case RtspMethod.SetParameter:
                OnSetParameter(request);
                break;
            case RtspMethod.GetParameter:
                // A sink-side keep-alive or query: answer at any time (protocol doc §1.6).
                Answer(request, RtspStatus.Ok, withSession: true);
                break;
            default:
                RtspMessage notAllowed = RtspMessage.CreateResponse(RtspStatus.MethodNotAllowed);
                notAllowed.Headers.Add("Allow", "OPTIONS, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER");
                Send(request, notAllowed);
                break;
        }
    }

    private void OnOptions(RtspMessage request)
    {
        RtspMessage response = RtspMessage.CreateResponse(RtspStatus.Ok);
        response.Headers.Add("Public", PublicMethods);
        Send(request, response);
        if (_m2Answered)
        {
            return;
        }

        _m2Answered = true;
        if (_m1Answered && State == SourceSessionState.Options)
        {
            SendM3();
        }
    }

    private void OnSetup(RtspMessage request)
    {
        if (State is not (SourceSessionState.TriggeringSetup or SourceSessionState.AwaitingSetup or SourceSessionState.AwaitingPlay))
        {
            Answer(request, RtspStatus.MethodNotValidInThisState);
            return;
        }

        if (!TryReadClientPorts(request.Headers["Transport"], out int rtpPort, out int? rtcpPort, out bool unsupported))
        {
            if (unsupported)
            {
                Answer(request, RtspStatus.UnsupportedTransport);
                return;
            }

            // Older LG dongles send no client_port (protocol doc §1.10): take M3's port, else 19000.
            rtpPort = _sinkRtpPort != 0 ? _sinkRtpPort : DefaultRtpPort;
            rtcpPort = null;
        }

        _sinkRtpPort = rtpPort;
        _sinkRtcpPort = rtcpPort;
        SessionId ??= _options.Random.Next(1, 1_000_000_000).ToString(CultureInfo.InvariantCulture);
        RtspMessage response = RtspMessage.CreateResponse(RtspStatus.Ok);
        response.Headers.Add("Session", SessionHeader!);
        response.Headers.Add("Transport", rtcpPort is { } rtcp
            ? string.Create(CultureInfo.InvariantCulture, $"RTP/AVP/UDP;unicast;client_port={rtpPort}-{rtcp};server_port={_options.ServerRtpPort}-{_options.ServerRtpPort + 1}")
            : string.Create(CultureInfo.InvariantCulture, $"RTP/AVP/UDP;unicast;client_port={rtpPort};server_port={_options.ServerRtpPort}"));
        Send(request, response);

        State = SourceSessionState.AwaitingPlay;
        Endpoint.SetTimer(SetupTimer, _options.SetupTimeout);
        Endpoint.SetTimer(KeepAliveTimer, KeepAliveInterval); // AOSP: the first M16 one interval after M6
    }


    private void OnPlay(RtspMessage request)
    {
        if (!CheckSession(request))
        {
            return;
        }

        bool resumed;
        switch (State)
        {
            case SourceSessionState.AwaitingPlay:
                resumed = false;
                break;
            case SourceSessionState.Paused or SourceSessionState.Standby:
                resumed = true;
                break;
            case SourceSessionState.Playing:
                Answer(request, RtspStatus.Ok, withSession: true);
                return;
            default:
                Answer(request, RtspStatus.MethodNotValidInThisState);
                return;
        }

        RtspMessage response = RtspMessage.CreateResponse(RtspStatus.Ok);
        response.Headers.Add("Session", SessionHeader!);
        response.Headers.Add("Range", "npt=now-");
        Send(request, response);
        Endpoint.CancelTimer(SetupTimer);
        Endpoint.CancelTimer(TriggerTimer);
        State = SourceSessionState.Playing;
        Endpoint.Raise(new PlayStarted(SessionId!, _sinkRtpPort, _sinkRtcpPort, resumed));
    }

    private void OnPause(RtspMessage request)
    {
        if (!CheckSession(request))
        {
            return;
        }

        if (State is SourceSessionState.Paused)
        {
            Answer(request, RtspStatus.Ok, withSession: true);
            return;
        }

        if (State is not SourceSessionState.Playing)
        {
            Answer(request, RtspStatus.MethodNotValidInThisState);
            return;
        }

        Answer(request, RtspStatus.Ok, withSession: true);
        Endpoint.CancelTimer(TriggerTimer);
        State = SourceSessionState.Paused;
        Endpoint.Raise(new PlayPaused());
    }

    private void OnTeardown(RtspMessage request)
    {
        RtspMessage response = RtspMessage.CreateResponse(RtspStatus.Ok);
        if (SessionHeader is { } session)
        {
            response.Headers.Add("Session", session);
        }

        response.Headers.Add("Connection", "close");
        Send(request, response);
        if (_teardownTriggered)
        {
            End(SessionEndReason.Stopped, "the sink tore the session down after our TEARDOWN trigger");
        }
        else
        {
            End(SessionEndReason.SinkDisconnectRequest, "the sink sent TEARDOWN (M8)");
        }
    }

    private void OnSetParameter(RtspMessage request)
    {
        // M13 is a body holding the line wfd_idr_request (with or without CRLF, any case; protocol
        // doc §5.13). Samsung addresses it to the presentation URL with Session, lazycast to
        // rtsp://localhost/wfd1.0 without; both are fine. Other parameters are acknowledged.
        WfdParameterSet body;
        try
        {
            body = WfdParameterSet.Parse(request.Body.Span);
        }
        catch (WfdParameterException)
        {
            Answer(request, RtspStatus.BadRequest, withSession: true);
            return;
        }

        Answer(request, RtspStatus.Ok, withSession: true);
        if (body.Contains(WfdIdrRequest.Name))
        {
            Endpoint.Raise(new IdrRequested());
        }

        // A sink whose display was unplugged says so with the value that means "no monitor" at M3.
        if (body.Contains(WfdConnectorType.Name) && !IsMonitorConnected(body) && State is not (SourceSessionState.Ended or SourceSessionState.TearingDown))
        {
            Endpoint.Raise(new MonitorDeparted());
            End(SessionEndReason.SinkDisconnectRequest, "the sink reported its monitor unplugged (wfd_connector_type: none)");
        }
    }

    private bool CheckSession(RtspMessage request)
    {
        string? id = request.SessionId;
        if (SessionId is null || (id is not null && id != SessionId))
        {
            // AOSP: a wrong Session is 454; a missing one is tolerated (older dongles omit it).
            Answer(request, RtspStatus.SessionNotFound);
            return false;
        }

        return true;
    }

    // ---- answers to our requests --------------------------------------------------------------

    private protected override void HandleResponse(RtspMessage response, PendingRequest request)
    {
        switch (request.Label)
        {
            case M1:
                OnM1Answered(response);
                break;
            case M3:
                OnM3Answered(response);
                break;
            case M4:
                OnM4Answered(response);
                break;
            case M5Setup:
                OnSetupTriggerAnswered(response);
                break;
            case M5Teardown:
                if (!response.IsSuccess)
                {
                    End(SessionEndReason.Stopped, $"the sink refused the TEARDOWN trigger ({response.StatusCode}); disconnecting");
                }
                else
                {
                    Endpoint.SetTimer(TriggerTimer, _options.TriggerTimeout);
                }

                break;
            case M5Play or M5Pause:
                if (response.IsSuccess)
                {
                    Endpoint.SetTimer(TriggerTimer, _options.TriggerTimeout);
                }
                else
                {
                    SessionLog.Refused(Logger, request.Label, response.StatusCode);
                }

                break;
            case M12:
                if (response.IsSuccess && State is SourceSessionState.Playing or SourceSessionState.Paused)
                {
                    State = SourceSessionState.Standby;
                    Endpoint.Raise(new StandbyEntered());
                }
                else if (!response.IsSuccess)
                {
                    SessionLog.Refused(Logger, M12, response.StatusCode);
                }

                break;
            case M4Change:
                OnFormatChangeAnswered(response);
                break;
            case M16:
                // Any answer proves the sink alive; some LG TVs answer M16 with a non-200 (FluxCast).
                break;
        }
    }

    private void OnM1Answered(RtspMessage response)
    {
        if (!response.IsSuccess)
        {
            End(SessionEndReason.CriticalError, $"the sink refused M1 with {response.StatusCode} {response.ReasonPhrase}");
            return;
        }

        // Sinks quote the list (miraclecast) or print a mangled header name (lazycast "\Public");
        // a sink that lists only GET/SET_PARAMETER is normal (protocol doc §1.7).
        string publicMethods = (response.Headers["Public"] ?? string.Empty).Trim().Trim('"');
        if (!publicMethods.Contains(WfdRequire, StringComparison.Ordinal))
        {
            SessionLog.PublicWithoutWfd(Logger, publicMethods);
        }

        _m1Answered = true;
        if (_m2Answered)
        {
            SendM3();
        }
        else
        {
            Endpoint.SetTimer(M3FallbackTimer, _options.M2Fallback);
        }
    }

    private void OnM3Answered(RtspMessage response)
    {
        if (!response.IsSuccess)
        {
            End(SessionEndReason.CriticalError, $"the sink refused M3 with {response.StatusCode} {response.ReasonPhrase}");
            return;
        }

        WfdParameterSet sink;
        try
        {
            sink = WfdParameterSet.Parse(response.Body.Span);
        }
        catch (WfdParameterException ex)
        {
            End(SessionEndReason.CriticalError, $"the sink's M3 answer is malformed ({ex.Error}): {ex.Message}");
            return;
        }

        SinkParameters = sink;
        sink.TryGet(out _sinkPorts, out _);
        _sinkRtpPort = _sinkPorts?.Port0 ?? 0;
        NegotiationResult negotiation = FormatNegotiator.Negotiate(sink, _options.Capabilities, _options.SuggestedBitrate);
        Negotiation = negotiation;
        SessionLog.Negotiated(Logger, negotiation.Reason);
        Endpoint.Raise(new CapabilitiesReceived(sink, negotiation, IsMonitorConnected(sink)));

        if (negotiation.BandwidthInsufficient && _options.EndOnInsufficientBandwidth)
        {
            End(SessionEndReason.InsufficientBandwidth, $"the suggested {_options.SuggestedBitrate} bit/s cannot carry any mode the sink supports");
            return;
        }

        _candidates = negotiation.Candidates;
        _candidateIndex = 0;
        SendM4();
    }

    private void OnM4Answered(RtspMessage response)
    {
        if (!response.IsSuccess)
        {
            Endpoint.Raise(new FormatRefused(CurrentCandidate, response.StatusCode));
            TryNextCandidate($"M4 answered {response.StatusCode}");
            return;
        }

        Format = CurrentCandidate;
        Endpoint.Raise(new FormatAccepted(Format, MidSession: false));
        SendTrigger(WfdTrigger.Setup, M5Setup);
        State = SourceSessionState.TriggeringSetup;
    }

    private void OnSetupTriggerAnswered(RtspMessage response)
    {
        if (response.IsSuccess)
        {
            if (State == SourceSessionState.TriggeringSetup)
            {
                State = SourceSessionState.AwaitingSetup;
                Endpoint.SetTimer(SetupTimer, _options.SetupTimeout);
            }

            return;
        }

        // ActionTec answered the SETUP trigger with 403 after an M4 it disliked (protocol doc §5.11).
        Endpoint.Raise(new FormatRefused(CurrentCandidate, response.StatusCode));
        TryNextCandidate($"SETUP trigger answered {response.StatusCode}");
    }

    private void OnFormatChangeAnswered(RtspMessage response)
    {
        NegotiatedFormat? change = _pendingChange;
        _pendingChange = null;
        if (!response.IsSuccess || change is null)
        {
            End(SessionEndReason.SinkFailedModeChange, $"the sink refused the format change to {change} with {response.StatusCode}");
            return;
        }

        Format = change;
        Endpoint.Raise(new FormatAccepted(change, MidSession: true));
    }

    private void TryNextCandidate(string why)
    {
        if (_candidateIndex + 1 >= _candidates.Count)
        {
            End(SessionEndReason.SinkFailedModeChange, $"{why}; the sink refused every candidate format (last: {CurrentCandidate})");
            return;
        }

        _candidateIndex++;
        SessionLog.RetryingFormat(Logger, why, CurrentCandidate);
        SendM4();
    }

    private protected override void OnAnswerTimeout(PendingRequest request)
    {
        string late = string.Create(CultureInfo.InvariantCulture, $"no answer to {request.Label} (CSeq {request.CSeq}) in time");
        switch (request.Label)
        {
            case M16:
                End(SessionEndReason.MissingKeepAlive, late);
                break;
            case M4 or M4Change:
                End(SessionEndReason.SinkFailedModeChange, late);
                break;
            case M5Teardown:
                End(SessionEndReason.Stopped, late + "; disconnecting");
                break;
            case M5Play or M5Pause or M12:
                SessionLog.LateAnswer(Logger, request.Label, request.CSeq);
                break;
            default:
                End(SessionEndReason.CriticalError, late);
                break;
        }
    }

    // ---- what we send -------------------------------------------------------------------------

    private void SendM3()
    {
        Endpoint.CancelTimer(M3FallbackTimer);
        var names = new WfdParameterSet();
        foreach (string name in _options.QueriedParameters)
        {
            names.SetRaw(name, null);
        }

        // M3 must carry Content-Type: the RDK sink takes a GET_PARAMETER without it for a keep-alive.
        Endpoint.SendRequest(NewParameterRequest(names.ToArray(), RtspMethod.GetParameter), M3, _options.ResponseTimeout);
        State = SourceSessionState.QueryingCapabilities;
    }

    private void SendM4()
    {
        NegotiatedFormat format = CurrentCandidate;
        var body = new WfdParameterSet();
        body.Set(format.ToVideoFormats());
        if (format.ToAudioCodecs() is { } audio)
        {
            body.Set(audio); // never "none": Samsung ends the session on it (protocol doc §5.8)
        }

        body.Set(new WfdPresentationUrl($"rtsp://{_presentationHost ?? "localhost"}/wfd1.0/streamid=0", null));
        body.Set(_sinkPorts ?? new WfdClientRtpPorts("RTP/AVP/UDP;unicast", DefaultRtpPort, 0, "mode=play"));
        Endpoint.SendRequest(NewParameterRequest(body.ToArray()), M4, _options.FormatResponseTimeout);
        State = SourceSessionState.SettingFormat;
    }

    private void SendTrigger(WfdTrigger method, string label)
    {
        var body = new WfdParameterSet();
        body.Set(new WfdTriggerMethod(method));
        Endpoint.SendRequest(NewParameterRequest(body.ToArray()), label, _options.ResponseTimeout);
    }

    private void SendKeepAlive()
    {
        if (State is SourceSessionState.Ended or SourceSessionState.TearingDown || SessionId is null)
        {
            return;
        }

        // M16 exactly as real TVs accept it (protocol doc §5.5-§5.6): the control URI, Session
        // without ";timeout=", no body and no Content-Type.
        RtspMessage m16 = NewRequest(RtspMethod.GetParameter, ControlUri);
        m16.Headers.Add("Session", SessionId);
        if (!Endpoint.IsAwaiting(M16))
        {
            Endpoint.SendRequest(m16, M16, _options.KeepAliveResponseTimeout);
        }

        Endpoint.SetTimer(KeepAliveTimer, KeepAliveInterval);
    }

    private RtspMessage NewParameterRequest(ReadOnlySpan<byte> body, RtspMethod method = RtspMethod.SetParameter)
    {
        RtspMessage request = NewRequest(method, ControlUri);
        request.Headers.Add("Content-Type", "text/parameters");
        request.Body = body.ToArray();
        return request;
    }

    private protected override void OnEnded() => State = SourceSessionState.Ended;

    // ---- small parsers --------------------------------------------------------------------------

    /// <summary>
    /// Reads <c>client_port=p</c> or <c>client_port=p-q</c> from a SETUP <c>Transport</c> header
    /// (protocol doc §1.10). False when there is no usable port; <paramref name="unsupported"/>
    /// is set for transports we cannot serve (TCP or interleaved).
    /// </summary>
    internal static bool TryReadClientPorts(string? transport, out int rtpPort, out int? rtcpPort, out bool unsupported)
    {
        rtpPort = 0;
        rtcpPort = null;
        unsupported = false;
        if (transport is null)
        {
            return false;
        }

        if (transport.Contains("/TCP", StringComparison.OrdinalIgnoreCase) || transport.Contains("interleaved", StringComparison.OrdinalIgnoreCase))
        {
            unsupported = true;
            return false;
        }

        foreach (string part in transport.Split(';', StringSplitOptions.TrimEntries))
        {
            if (!part.StartsWith("client_port=", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            ReadOnlySpan<char> ports = part.AsSpan("client_port=".Length);
            int dash = ports.IndexOf('-');
            if (!TryParsePort(dash < 0 ? ports : ports[..dash], out rtpPort) || rtpPort == 0)
            {
                return false;
            }

            if (dash >= 0 && TryParsePort(ports[(dash + 1)..], out int second) && second != 0)
            {
                rtcpPort = second;
            }

            return true;
        }

        return false;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;

    /// <summary>
    /// Whether the sink reported a monitor behind it in M3 (contract doc §2.4). WFD has no
    /// explicit flag; we read <c>wfd_connector_type: none</c> (or <c>ff</c>, "no connector") as
    /// "no monitor", and anything else, absence included, as a connected one — a TV is its own
    /// monitor and most sinks never send the parameter.
    /// </summary>
    internal static bool IsMonitorConnected(WfdParameterSet sink)
    {
        string? connector = sink["wfd_connector_type"]?.Trim();
        return connector is null
            || !(connector.Equals("none", StringComparison.OrdinalIgnoreCase) || connector.Equals("ff", StringComparison.OrdinalIgnoreCase));
    }
}
