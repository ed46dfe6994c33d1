using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Miraflow.Rtsp.Messages;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Sessions;

/// <summary>
/// The WFD sink side of one RTSP connection, sans-IO: our sink emulator and our second,
/// independent reading of the protocol. It answers M1 and sends M2, answers M3 from
/// <see cref="SinkSessionOptions.Capabilities"/>, accepts (or 303s) M4, sends SETUP (M6) and PLAY
/// (M7) on the source's SETUP trigger, PAUSE/PLAY/TEARDOWN on the other triggers, answers M16
/// keep-alives and M12 standby, and sends M13 IDR requests and TEARDOWN on demand.
/// Not thread-safe; see <see cref="IRtspSession"/>.
/// </summary>
public sealed class SinkSession : RtspSessionBase
{
    /// <summary>What we answer M1 with (Samsung, LG, Microsoft adapters, protocol doc §1.7).</summary>
    public const string PublicMethods = "org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER";

    private const int LivenessTimer = 0;
    private const int TimerCount = 1;
    private const int DefaultRtpPort = 19000;

    private const string M2 = "M2";
    private const string M6 = "M6";
    private const string M7 = "M7";
    private const string M8 = "M8";
    private const string M9 = "M9";
    private const string M13 = "M13";
    private const string ConnectorReport = "connector report";

    private readonly SinkSessionOptions _options;
    private string _presentationUrl = "rtsp://localhost/wfd1.0/streamid=0";
    private string? _aggregateUrl; // where PLAY, PAUSE and TEARDOWN go once the source answered 460 for the stream URL
    private int _timeoutSeconds = 60;

    public SinkSession(SinkSessionOptions? options = null, TimeProvider? timeProvider = null, ILogger<SinkSession>? logger = null)
        : base(Validated(options ??= new SinkSessionOptions()).Limits, timeProvider ?? TimeProvider.System, (ILogger?)logger ?? NullLogger.Instance, TimerCount, "User-Agent", options.UserAgent)
    {
        _options = options;
        RtpPort = _options.RtpPort ?? ReadFirstPort(_options.Capabilities) ?? DefaultRtpPort;
    }

    public SinkSessionState State { get; private set; } = SinkSessionState.WaitingForOptions;

    /// <summary>The RTP port we ask the source to stream to.</summary>
    public int RtpPort { get; }

    /// <summary>The session id the source gave in its SETUP answer.</summary>
    public string? SessionId { get; private set; }

    /// <summary>The video format the source set in its last M4.</summary>
    public WfdVideoFormats? VideoFormat { get; private set; }

    /// <summary>The audio codec the source set in its last M4.</summary>
    public WfdAudioCodecs? AudioCodec { get; private set; }

    /// <summary>Keep-alives (M16) answered so far.</summary>
    public int KeepAlivesAnswered { get; private set; }

    /// <summary>Whether M16 keep-alives are answered. Tests turn it off to play a sink that went silent.</summary>
    public bool AnswerKeepAlives { get; set; } = true;

    private protected override string Peer => "source";

    private protected override string? SessionHeader => SessionId;

    /// <summary>Nothing to send: the source speaks first (M1); it must do so within twice the response timeout.</summary>
    public override void Start() => Endpoint.SetTimer(LivenessTimer, _options.ResponseTimeout + _options.ResponseTimeout);

    private protected override void OnMessage(RtspMessage message) => TouchLiveness();

    public override void ReceiveEndOfStream()
    {
        if (!IsEnded)
        {
            End(State == SinkSessionState.TearingDown ? SessionEndReason.Stopped : SessionEndReason.CriticalError,
                $"the source closed the RTSP connection (state {State})");
        }
    }

    private protected override void OnAnswerTimeout(PendingRequest request) =>
        End(request.Label == M8 ? SessionEndReason.Stopped : SessionEndReason.CriticalError,
            string.Create(CultureInfo.InvariantCulture, $"no answer to {request.Label} (CSeq {request.CSeq}) in time"));

    private protected override void OnTimersDue()
    {
        if (Endpoint.TakeIfDue(LivenessTimer))
        {
            End(SessionEndReason.MissingKeepAlive, State is SinkSessionState.WaitingForOptions
                ? "the source never sent M1"
                : "no keep-alive (or any message) from the source within the session timeout");
        }
    }

    // ---- sink-side commands -------------------------------------------------------------------

    /// <summary>Asks the source for an IDR picture (M13).</summary>
    public void RequestIdr()
    {
        if (State is not (SinkSessionState.Playing or SinkSessionState.Paused))
        {
            throw new InvalidOperationException($"An IDR request needs a playing session (state {State}).");
        }

        var body = new WfdParameterSet();
        body.Set(WfdIdrRequest.Instance);
        SendParameters(body, M13);
    }

    /// <summary>
    /// Tells the source that the monitor behind this sink was unplugged: a <c>SET_PARAMETER</c> with
    /// <c>wfd_connector_type: none</c>, the value that means "no monitor" in the M3 answer.
    /// </summary>
    public void ReportMonitorUnplugged()
    {
        if (State is not (SinkSessionState.Playing or SinkSessionState.Paused))
        {
            throw new InvalidOperationException($"A monitor report needs a playing session (state {State}).");
        }

        var body = new WfdParameterSet();
        body.Set(WfdConnectorType.None);
        SendParameters(body, ConnectorReport);
    }

    /// <summary>A sink-initiated <c>SET_PARAMETER</c> to the presentation URL, in the session.</summary>
    private void SendParameters(WfdParameterSet body, string label)
    {
        RtspMessage request = NewRequest(RtspMethod.SetParameter, _presentationUrl);
        request.Headers.Add("Session", SessionId!);
        request.Headers.Add("Content-Type", "text/parameters");
        request.Body = body.ToArray();
        Endpoint.SendRequest(request, label, _options.ResponseTimeout);
    }

    /// <summary>Pauses the stream (M9).</summary>
    public void Pause()
    {
        if (State == SinkSessionState.Playing)
        {
            SendSessionRequest(RtspMethod.Pause, M9);
        }
    }

    /// <summary>Resumes the stream (M7).</summary>
    public void Play()
    {
        if (State is SinkSessionState.Paused or SinkSessionState.Standby)
        {
            SendSessionRequest(RtspMethod.Play, M7);
            State = SinkSessionState.StartingPlay;
        }
    }

    /// <summary>Ends the session from the sink (M8 TEARDOWN); it ends when the source answers.</summary>
    public void Teardown()
    {
        if (IsEnded || State == SinkSessionState.TearingDown)
        {
            return;
        }

        if (SessionId is null)
        {
            End(SessionEndReason.Stopped, "torn down before SETUP");
            return;
        }

        SendSessionRequest(RtspMethod.Teardown, M8);
        State = SinkSessionState.TearingDown;
    }

    // ---- requests from the source -------------------------------------------------------------

    private protected override void HandleRequest(RtspMessage request)
    {
        if (request.CSeq is null)
        {
            Answer(request, RtspStatus.BadRequest);
            return;
        }

        switch (request.KnownMethod)
        {
            case RtspMethod.Options:
                OnOptions(request);
                break;
            case RtspMethod.GetParameter:
                OnGetParameter(request);
                break;
            case RtspMethod.SetParameter:
                OnSetParameter(request);
                break;
            case RtspMethod.Teardown:
                Answer(request, RtspStatus.Ok);
                End(SessionEndReason.Stopped, "the source sent TEARDOWN");
                break;
            default:
                Answer(request, RtspStatus.MethodNotAllowed);
                break;
        }
    }

    private void OnOptions(RtspMessage request)
    {
        RtspMessage response = RtspMessage.CreateResponse(RtspStatus.Ok);
        response.Headers.Add("Public", PublicMethods);
        Send(request, response);
        if (State == SinkSessionState.WaitingForOptions)
        {
            State = SinkSessionState.Negotiating;
            RtspMessage m2 = NewRequest(RtspMethod.Options, "*");
            m2.Headers.Add("Require", "org.wfa.wfd1.0");
            Endpoint.SendRequest(m2, M2, _options.ResponseTimeout);
        }
    }

    private void OnGetParameter(RtspMessage request)
    {
        if (request.Body.IsEmpty)
        {
            // M16 keep-alive.
            if (AnswerKeepAlives)
            {
                KeepAlivesAnswered++;
                Answer(request, RtspStatus.Ok, withSession: true);
            }

            Endpoint.Raise(new KeepAliveReceived(AnswerKeepAlives));
            return;
        }

        WfdParameterSet asked;
        try
        {
            asked = WfdParameterSet.Parse(request.Body.Span);
        }
        catch (WfdParameterException)
        {
            Answer(request, RtspStatus.BadRequest);
            return;
        }

        // M3: answer every name we know; names we do not know are left out.
        var answer = new WfdParameterSet();
        foreach (WfdParameter name in asked)
        {
            if (_options.Capabilities[name.Name] is { } value)
            {
                answer.SetRaw(CanonicalName(name.Name), value);
            }
        }

        RtspMessage response = RtspMessage.CreateResponse(RtspStatus.Ok);
        response.Headers.Add("Content-Type", "text/parameters");
        response.Body = answer.ToArray();
        Send(request, response);
    }

    private void OnSetParameter(RtspMessage request)
    {
        WfdParameterSet body;
        try
        {
            body = WfdParameterSet.Parse(request.Body.Span);
        }
        catch (WfdParameterException)
        {
            Answer(request, RtspStatus.BadRequest);
            return;
        }

        if (body.Contains(WfdTriggerMethod.Name))
        {
            if (body.TryGet(out WfdTriggerMethod? trigger, out _) && trigger is not null)
            {
                OnTrigger(request, trigger.Method);
            }
            else
            {
                Answer(request, RtspStatus.BadRequest, withSession: true);
            }

            return;
        }

        if (body.Contains(WfdStandby.Name))
        {
            Answer(request, RtspStatus.Ok, withSession: true);
            State = SinkSessionState.Standby;
            Endpoint.Raise(new SinkStandby());
            return;
        }

        if (body.Contains(WfdVideoFormats.Name) || body.Contains(WfdAudioCodecs.Name))
        {
            OnSetFormat(request, body);
            return;
        }

        Answer(request, RtspStatus.Ok, withSession: true);
    }

    private void OnSetFormat(RtspMessage request, WfdParameterSet body)
    {
        WfdVideoFormats? video;
        WfdAudioCodecs? audio;
        WfdPresentationUrl? url;
        try
        {
            video = body.Get<WfdVideoFormats>();
            audio = body.Get<WfdAudioCodecs>();
            url = body.Get<WfdPresentationUrl>();
        }
        catch (WfdParameterException ex)
        {
            RefuseFormat(request, ex.ParameterName ?? WfdVideoFormats.Name);
            return;
        }

        if (video is not null && !(_options.AcceptFormat ?? IsWithinCapabilities)(video))
        {
            SessionLog.FormatRejected(Logger);
            RefuseFormat(request, WfdVideoFormats.Name);
            return;
        }

        VideoFormat = video ?? VideoFormat;
        AudioCodec = audio ?? AudioCodec;
        _presentationUrl = url?.Url0 ?? _presentationUrl;

        Answer(request, RtspStatus.Ok, withSession: true);
        Endpoint.Raise(new FormatSet(video, audio, _presentationUrl));
    }

    private void RefuseFormat(RtspMessage request, string parameter)
    {
        // 303 with the offending parameter and a status code per line (libwds' form, protocol doc §1.9).
        RtspMessage response = RtspMessage.CreateResponse(RtspStatus.SeeOther);
        response.Headers.Add("Content-Type", "text/parameters");
        response.Body = Encoding.ASCII.GetBytes($"{parameter}: 415\r\n");
        Send(request, response);
    }

    private void OnTrigger(RtspMessage request, WfdTrigger method)
    {
        switch (method)
        {
            case WfdTrigger.Setup when State == SinkSessionState.Negotiating:
                Answer(request, RtspStatus.Ok);
                RtspMessage m6 = NewRequest(RtspMethod.Setup, _presentationUrl);
                m6.Headers.Add("Transport", string.Create(CultureInfo.InvariantCulture, $"RTP/AVP/UDP;unicast;client_port={RtpPort}"));
                Endpoint.SendRequest(m6, M6, _options.ResponseTimeout);
                State = SinkSessionState.SettingUp;
                break;
            case WfdTrigger.Play when State is SinkSessionState.Paused or SinkSessionState.Standby:
                Answer(request, RtspStatus.Ok, withSession: true);
                Play();
                break;
            case WfdTrigger.Pause when State == SinkSessionState.Playing:
                Answer(request, RtspStatus.Ok, withSession: true);
                Pause();
                break;
            case WfdTrigger.Teardown:
                Answer(request, RtspStatus.Ok, withSession: true);
                Teardown();
                break;
            default:
                Answer(request, RtspStatus.MethodNotValidInThisState, withSession: true);
                break;
        }
    }

    // ---- answers to our requests --------------------------------------------------------------

    private protected override void HandleResponse(RtspMessage response, PendingRequest request)
    {
        if (RetriedOnAggregateUrl(response, request.Label))
        {
            return;
        }

        switch (request.Label)
        {
            case M6:
                OnSetupAnswered(response);
                break;
            case M7:
                if (!response.IsSuccess)
                {
                    End(SessionEndReason.CriticalError, $"the source refused PLAY with {response.StatusCode}");
                    return;
                }

                State = SinkSessionState.Playing;
                Endpoint.Raise(new SinkPlaying(SessionId!, _timeoutSeconds));
                break;
            case M9:
                if (response.IsSuccess)
                {
                    State = SinkSessionState.Paused;
                }

                break;
            case M8:
                // The session is over either way; an error answer is said.
                End(SessionEndReason.Stopped, response.IsSuccess
                    ? (_aggregateUrl is null ? "teardown answered by the source" : $"teardown answered by the source (at its aggregate URL {_aggregateUrl})")
                    : string.Create(CultureInfo.InvariantCulture, $"the source refused the teardown ({response.StatusCode} {response.ReasonPhrase}); the sink left all the same"));
                break;
            case M2 or M13 or ConnectorReport:
                if (!response.IsSuccess)
                {
                    SessionLog.Refused(Logger, request.Label, response.StatusCode);
                }

                break;
        }
    }

    private void OnSetupAnswered(RtspMessage response)
    {
        string? session = response.Headers["Session"];
        if (!response.IsSuccess || session is null)
        {
            End(SessionEndReason.CriticalError, $"the source refused SETUP with {response.StatusCode} (Session: {session ?? "none"})");
            return;
        }

        SessionId = response.SessionId;
        int timeoutAt = session.IndexOf("timeout=", StringComparison.OrdinalIgnoreCase);
        if (timeoutAt >= 0
            && int.TryParse(session.AsSpan(timeoutAt + "timeout=".Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int timeout)
            && timeout > 0)
        {
            _timeoutSeconds = timeout;
        }

        TouchLiveness();
        SendSessionRequest(RtspMethod.Play, M7);
        State = SinkSessionState.StartingPlay;
    }

    // ---- helpers ------------------------------------------------------------------------------

    private bool IsWithinCapabilities(WfdVideoFormats requested)
    {
        WfdVideoFormats? ours;
        try
        {
            ours = _options.Capabilities.Get<WfdVideoFormats>();
        }
        catch (WfdParameterException)
        {
            return false;
        }

        if (ours is null || ours.IsNone)
        {
            return false;
        }

        foreach (H264Codec entry in requested.Codecs)
        {
            bool found = false;
            foreach (H264Codec mine in ours.Codecs)
            {
                if ((entry.Profile & mine.Profile) == entry.Profile
                    && (entry.Cea & ~mine.GetSupported(ResolutionTable.Cea)) == 0
                    && (entry.Vesa & ~mine.GetSupported(ResolutionTable.Vesa)) == 0
                    && (entry.Hh & ~mine.GetSupported(ResolutionTable.Hh)) == 0
                    && (byte)entry.Level <= HighestBit((byte)mine.Level))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    private static int HighestBit(byte bitmap) => bitmap == 0 ? 0 : 1 << (7 - byte.LeadingZeroCount(bitmap));

    private void TouchLiveness()
    {
        if (!IsEnded)
        {
            Endpoint.SetTimer(LivenessTimer, TimeSpan.FromSeconds(_timeoutSeconds) + _options.KeepAliveGrace);
        }
    }

    /// <summary>
    /// Sends PLAY, PAUSE or TEARDOWN again, once, to the aggregate URL when the source answered
    /// 460 Only Aggregate Operation Allowed for the stream URL: GStreamer's RTSP server (GNOME
    /// Network Displays) controls a session only through the URL without <c>/streamid=0</c>.
    /// </summary>
    private bool RetriedOnAggregateUrl(RtspMessage response, string label)
    {
        RtspMethod? method = label switch
        {
            M7 => RtspMethod.Play,
            M8 => RtspMethod.Teardown,
            M9 => RtspMethod.Pause,
            _ => null,
        };
        if (method is null || response.StatusCode != RtspStatus.OnlyAggregateOperationAllowed || _aggregateUrl is not null
            || AggregateUrl(_presentationUrl) is not { } aggregate)
        {
            return false;
        }

        _aggregateUrl = aggregate;
        SessionLog.RetryingOnAggregateUrl(Logger, label, aggregate);
        SendSessionRequest(method.Value, label);
        return true;
    }

    /// <summary>The presentation URL without its last path segment when that is <c>streamid=N</c>, else <see langword="null"/>.</summary>
    private static string? AggregateUrl(string presentationUrl)
    {
        int slash = presentationUrl.LastIndexOf('/');
        int authority = presentationUrl.IndexOf("://", StringComparison.Ordinal);
        return slash > authority + 3 && presentationUrl.AsSpan(slash + 1).StartsWith("streamid=", StringComparison.OrdinalIgnoreCase)
            ? presentationUrl[..slash]
            : null;
    }

    private void SendSessionRequest(RtspMethod method, string label)
    {
        RtspMessage request = NewRequest(method, _aggregateUrl ?? _presentationUrl);
        request.Headers.Add("Session", SessionId!);
        Endpoint.SendRequest(request, label, _options.ResponseTimeout);
    }

    private protected override void OnEnded() => State = SinkSessionState.Ended;

    private static SinkSessionOptions Validated(SinkSessionOptions options)
    {
        options.Validate();
        return options;
    }

    private static string CanonicalName(string name) =>
        name.Equals("wfd_presentation_url", StringComparison.OrdinalIgnoreCase) ? "wfd_presentation_URL" : name;

    private static int? ReadFirstPort(WfdParameterSet capabilities)
    {
        capabilities.TryGet(out WfdClientRtpPorts? ports, out _);
        return ports is { Port0: > 0 } ? ports.Port0 : null;
    }
}
