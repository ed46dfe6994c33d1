using System.Text;
using Miraflow.Rtsp.Messages;
using Miraflow.Rtsp.Sessions;
using Miraflow.Rtsp.Tests.TestSupport;

namespace Miraflow.Rtsp.Tests.Sessions;

/// <summary>
/// The source state machine driven byte by byte by a scripted sink (no sockets): the orderings,
/// quirks and timeouts of protocol doc §1 and §5 that our own sink never produces.
/// </summary>
[Trait("Category", "unit")]
public sealed class SourceSessionScriptTests
{
    private const string SamsungCaps =
        "wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00\r\n" +
        "wfd_video_formats: 40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none, 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none\r\n" +
        "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n" +
        "wfd_connector_type: 05\r\n";

    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void M3_WaitsForTheSinksM2()
    {
        SourceSession source = Start(out RtspMessage m1);
        Assert.Equal("OPTIONS", m1.Method);
        Assert.Equal("*", m1.Uri);
        Assert.Equal("org.wfa.wfd1.0", m1.Headers["Require"]);

        Feed(source, "RTSP/1.0 200 OK\nCSeq: 1\nPublic: org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER\n\n");
        Assert.Empty(SessionScript.Drain(source));

        Feed(source, "OPTIONS * RTSP/1.0\nCSeq: 1\nRequire: org.wfa.wfd1.0\n\n");
        List<RtspMessage> sent = SessionScript.Drain(source);
        Assert.Equal(2, sent.Count);
        Assert.Equal(200, sent[0].StatusCode);
        Assert.Equal("1", sent[0].Headers["CSeq"]);
        Assert.Equal(SourceSession.PublicMethods, sent[0].Headers["Public"]);
        Assert.Equal("GET_PARAMETER", sent[1].Method);
        Assert.Equal("text/parameters", sent[1].Headers["Content-Type"]);
        Assert.Contains("wfd_video_formats\r\n", sent[1].BodyText, StringComparison.Ordinal);
        Assert.Equal(SourceSessionState.QueryingCapabilities, source.State);
    }

    [Fact]
    public void M3_IsSentTwoSecondsAfterM1WhenTheSinkNeverSendsM2()
    {
        SourceSession source = Start(out _);
        Feed(source, "RTSP/1.0 200 OK\nCSeq: 1\nPublic: \"org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER\"\n\n");

        _clock.Advance(TimeSpan.FromMilliseconds(1999));
        source.OnTimer();
        Assert.Empty(SessionScript.Drain(source));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        source.OnTimer();
        RtspMessage m3 = Assert.Single(SessionScript.Drain(source));
        Assert.Equal("GET_PARAMETER", m3.Method);
    }

    [Fact]
    public void M2BeforeTheM1Answer_IsAnsweredAndM3FollowsTheM1Answer()
    {
        SourceSession source = Start(out _);
        Feed(source, "OPTIONS * RTSP/1.0\nCSeq: 0\nRequire: org.wfa.wfd1.0\n\n");
        Assert.Equal(200, Assert.Single(SessionScript.Drain(source)).StatusCode);

        Feed(source, "RTSP/1.0 200 OK\nCSeq: 1\n\n");
        Assert.Equal("GET_PARAMETER", Assert.Single(SessionScript.Drain(source)).Method);
    }

    [Fact]
    public void ResponseWithWrongCSeq_IsTakenWhenOneRequestIsOutstanding()
    {
        // lazycast answers CSeq 1 with "CSeq: 2" (protocol doc §1.4).
        SourceSession source = Start(out _);
        Feed(source, "RTSP/1.0 200 OK\nCSeq: 2\n\\Public: org.wfa.wfd1.0, SET_PARAMETER, GET_PARAMETER\n\n");
        Feed(source, "OPTIONS * RTSP/1.0\nCSeq: 100\nRequire: org.wfa.wfd1.0\n\n");

        List<RtspMessage> sent = SessionScript.Drain(source);
        Assert.Equal("100", sent[0].Headers["CSeq"]);
        Assert.Equal("GET_PARAMETER", sent[1].Method);
    }

    [Fact]
    public void FullSequence_ProducesTheMessagesRealTvsAccept()
    {
        SourceSession source = ThroughM3(out RtspMessage m4);

        // M4: one entry, one profile, one level, one mode bit, "none none"; audio never "none".
        // Samsung's CBP entry allows level 4.0: the highest-scoring mode it carries is VESA
        // 1360x768p60 (bit 11), just above 1920x1080p30 (protocol doc §2.8 score).
        Assert.Equal("SET_PARAMETER", m4.Method);
        Assert.Equal(SourceSession.ControlUri, m4.Uri);
        string body = m4.BodyText;
        Assert.Contains("wfd_video_formats: 00 00 01 04 00000000 00000800 00000000 00 0000 0000 00 none none\r\n", body, StringComparison.Ordinal);
        Assert.Contains("wfd_audio_codecs: LPCM 00000002 00\r\n", body, StringComparison.Ordinal);
        Assert.Contains("wfd_presentation_URL: rtsp://192.0.2.1/wfd1.0/streamid=0 none\r\n", body, StringComparison.Ordinal);
        Assert.Contains("wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n", body, StringComparison.Ordinal);

        Feed(source, Ok(m4));
        RtspMessage m5 = Assert.Single(SessionScript.Drain(source));
        Assert.Equal("wfd_trigger_method: SETUP\r\n", m5.BodyText);
        Feed(source, Ok(m5));

        Feed(source, "SETUP rtsp://localhost/wfd1.0 RTSP/1.0\nCSeq: 2\nUser-Agent: SEC-WDH/ME29\nTransport: RTP/AVP/UDP;unicast;client_port=19000\n\n");
        RtspMessage setupAnswer = Assert.Single(SessionScript.Drain(source));
        Assert.Equal(200, setupAnswer.StatusCode);
        Assert.Matches("^[0-9]{1,9};timeout=30$", setupAnswer.Headers["Session"]);
        Assert.Equal("RTP/AVP/UDP;unicast;client_port=19000;server_port=15550", setupAnswer.Headers["Transport"]);
        string id = setupAnswer.SessionId!;

        Feed(source, $"PLAY rtsp://localhost/wfd1.0 RTSP/1.0\nCSeq: 3\nSession: {id}\n\n");
        RtspMessage playAnswer = Assert.Single(SessionScript.Drain(source));
        Assert.Equal($"{id};timeout=30", playAnswer.Headers["Session"]);
        Assert.Equal("npt=now-", playAnswer.Headers["Range"]);
        Assert.Equal(SourceSessionState.Playing, source.State);

        // M16 at 25 s, exactly as real TVs accept it (protocol doc §5.5–5.6).
        _clock.Advance(TimeSpan.FromSeconds(25));
        source.OnTimer();
        RtspMessage m16 = Assert.Single(SessionScript.Drain(source));
        Assert.Equal("GET_PARAMETER", m16.Method);
        Assert.Equal("rtsp://localhost/wfd1.0", m16.Uri);
        Assert.Equal(id, m16.Headers["Session"]);
        Assert.Null(m16.Headers["Content-Type"]);
        Assert.True(m16.Body.IsEmpty);
        Feed(source, Ok(m16));

        // Samsung's M13, addressed to the presentation URL.
        Feed(source, $"SET_PARAMETER rtsp://192.168.173.1/wfd1.0/streamid=0 RTSP/1.0\nCSeq: 4\nSession: {id}\nContent-Type: text/parameters\nContent-Length: 17\n\nwfd_idr_request\r\n");
        Assert.Equal(200, Assert.Single(SessionScript.Drain(source)).StatusCode);
        Assert.Contains(SessionScript.Events(source), e => e is IdrRequested);
    }

    [Theory]
    [InlineData("wfd_idr_request\r\n", 200, true)]
    [InlineData("wfd_idr_request", 200, true)] // no final line end
    [InlineData("WFD_IDR_REQUEST\n", 200, true)] // names compare case-insensitively
    [InlineData("intel_overscan_comp: 0\r\n", 200, false)]
    [InlineData("wfd_idr_request\0\r\n", 400, false)] // a control byte: malformed body
    public void SetParameterFromTheSink_RaisesIdrRequestedOnlyForM13(string body, int status, bool idr)
    {
        SourceSession source = Playing(out string id);
        source.Receive(Encoding.ASCII.GetBytes(
            $"SET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 9\r\nSession: {id}\r\nContent-Type: text/parameters\r\nContent-Length: {body.Length}\r\n\r\n{body}"));

        Assert.Equal(status, Assert.Single(SessionScript.Drain(source)).StatusCode);
        Assert.Equal(idr, SessionScript.Events(source).OfType<IdrRequested>().Any());
        Assert.False(source.IsEnded);
    }

    [Fact]
    public void SetupTrigger403_RetriesM4WithTheNextCandidate()
    {
        SourceSession source = ThroughM3(out RtspMessage m4);
        Feed(source, Ok(m4));
        RtspMessage m5 = Assert.Single(SessionScript.Drain(source));

        Feed(source, $"RTSP/1.0 403 Forbidden\nCSeq: {m5.CSeq}\n\n");

        RtspMessage retry = Assert.Single(SessionScript.Drain(source));
        Assert.Equal("SET_PARAMETER", retry.Method);
        // Next best for Samsung's CBP level 4.0 entry after 1360x768p60: 1920x1080p30 at level 4.0.
        Assert.Contains("wfd_video_formats: 00 00 01 04 00000080 00000000 00000000 ", retry.BodyText, StringComparison.Ordinal);
        Assert.Contains(SessionScript.Events(source), e => e is FormatRefused { StatusCode: 403 });
    }

    [Fact]
    public void UnansweredM4_EndsWithSinkFailedModeChangeAfter15Seconds()
    {
        SourceSession source = ThroughM3(out _);
        _clock.Advance(TimeSpan.FromSeconds(14.9));
        source.OnTimer();
        Assert.False(source.IsEnded);

        _clock.Advance(TimeSpan.FromSeconds(0.1));
        source.OnTimer();
        Assert.Equal(SessionEndReason.SinkFailedModeChange, source.EndReason);
    }

    [Fact]
    public void UnansweredM3_EndsWithCriticalError()
    {
        SourceSession source = Start(out _);
        Feed(source, "OPTIONS * RTSP/1.0\nCSeq: 1\n\n");
        Feed(source, "RTSP/1.0 200 OK\nCSeq: 1\n\n");
        SessionScript.Drain(source);

        _clock.Advance(TimeSpan.FromSeconds(5));
        source.OnTimer();
        Assert.Equal(SessionEndReason.CriticalError, source.EndReason);
        Assert.Equal(SourceSessionState.Ended, source.State);
    }

    [Fact]
    public void MalformedBytes_EndWithCriticalErrorAndNoException()
    {
        SourceSession source = Start(out _);
        source.Receive("RTSP/1.0 200 OK\r\nCSeq: 1\r\nContent-Length: -1\r\n\r\n"u8);
        Assert.Equal(SessionEndReason.CriticalError, source.EndReason);
        SessionEnded ended = Assert.IsType<SessionEnded>(Assert.Single(SessionScript.Events(source)));
        Assert.Contains("InvalidContentLength", ended.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TrickledMessage_TimesOut()
    {
        SourceSession source = Start(out _);
        Feed(source, "RTSP/1.0 200 OK\nCSeq: 1\n");
        _clock.Advance(TimeSpan.FromSeconds(4.9)); // the M1 answer deadline is 5 s, the message limit 10 s
        source.OnTimer();
        Assert.False(source.IsEnded);
        Assert.NotNull(source.NextTimerDue);
    }

    [Fact]
    public void SinkTeardownBeforePlay_EndsWithSinkDisconnectRequest()
    {
        SourceSession source = Start(out _);
        Feed(source, "TEARDOWN rtsp://10.42.0.1:7236/wfd1.0/streamid=0 RTSP/1.0\nCSeq: 310\nSession: 5861219\n\n");
        RtspMessage answer = Assert.Single(SessionScript.Drain(source));
        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("310", answer.Headers["CSeq"]);
        Assert.Equal(SessionEndReason.SinkDisconnectRequest, source.EndReason);
    }

    [Fact]
    public void ClosedConnection_EndsWithSinkDisconnectRequest()
    {
        SourceSession source = Start(out _);
        source.ReceiveEndOfStream();
        Assert.Equal(SessionEndReason.SinkDisconnectRequest, source.EndReason);
    }

    [Theory]
    [InlineData("options * RTSP/1.0\nCSeq: 5\n\n", 405)]
    [InlineData("DESCRIBE rtsp://x/ RTSP/1.0\nCSeq: 5\n\n", 405)]
    [InlineData("OPTIONS * RTSP/2.0\nCSeq: 5\n\n", 505)]
    [InlineData("OPTIONS * RTSP/1.0\n\n", 400)]
    [InlineData("PLAY rtsp://localhost/wfd1.0 RTSP/1.0\nCSeq: 5\n\n", 454)]
    [InlineData("SETUP rtsp://localhost/wfd1.0 RTSP/1.0\nCSeq: 5\nTransport: RTP/AVP/UDP;unicast;client_port=1991\n\n", 455)]
    public void UnexpectedRequests_GetTheRightStatus(string request, int status)
    {
        SourceSession source = Start(out _);
        Feed(source, request);
        Assert.Equal(status, Assert.Single(SessionScript.Drain(source)).StatusCode);
        Assert.False(source.IsEnded);
    }

    [Theory]
    [InlineData("RTP/AVP/UDP;unicast;client_port=19000", 19000, null)]
    [InlineData("RTP/AVP/UDP;unicast;client_port=1028-1029", 1028, 1029)]
    [InlineData("RTP/AVP;unicast;client_port=1991", 1991, null)]
    [InlineData("RTP/AVP/UDP;unicast", 19000, null)]
    public void SetupTransportForms_AreAccepted(string transport, int rtp, int? rtcp)
    {
        SourceSession source = ThroughM3(out RtspMessage m4);
        Feed(source, Ok(m4));
        RtspMessage m5 = Assert.Single(SessionScript.Drain(source));
        Feed(source, Ok(m5));

        Feed(source, $"SETUP rtsp://localhost/wfd1.0 RTSP/1.0\nCSeq: 2\nTransport: {transport}\n\n");
        RtspMessage answer = Assert.Single(SessionScript.Drain(source));
        Feed(source, $"PLAY rtsp://localhost/wfd1.0 RTSP/1.0\nCSeq: 3\n\n");
        SessionScript.Drain(source);

        Assert.Equal(200, answer.StatusCode);
        PlayStarted play = Assert.Single(SessionScript.Events(source).OfType<PlayStarted>());
        Assert.Equal(rtp, play.RtpPort);
        Assert.Equal(rtcp, play.RtcpPort);
    }

    [Fact]
    public void TcpTransport_IsRefusedWith461()
    {
        SourceSession source = ThroughM3(out RtspMessage m4);
        Feed(source, Ok(m4));
        Feed(source, Ok(Assert.Single(SessionScript.Drain(source))));
        Feed(source, "SETUP rtsp://localhost/wfd1.0 RTSP/1.0\nCSeq: 2\nTransport: RTP/AVP/TCP;interleaved=0-1\n\n");
        Assert.Equal(461, Assert.Single(SessionScript.Drain(source)).StatusCode);
    }

    [Fact]
    public void TeardownTriggerWithoutM8_EndsAsStoppedAfterTwoSeconds()
    {
        SourceSession source = Playing(out string _);
        source.TriggerTeardown();
        RtspMessage trigger = Assert.Single(SessionScript.Drain(source));
        Assert.Equal("wfd_trigger_method: TEARDOWN\r\n", trigger.BodyText);
        Feed(source, Ok(trigger));

        _clock.Advance(TimeSpan.FromSeconds(2));
        source.OnTimer();
        Assert.Equal(SessionEndReason.Stopped, source.EndReason);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(121)]
    public void SessionTimeoutOutside10To120Seconds_IsRejected(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SourceSession(new SourceSessionOptions { SessionTimeoutSeconds = seconds }));

    [Fact]
    public void SessionIds_HaveAtMostNineDecimalDigits()
    {
        for (int seed = 0; seed < 200; seed++)
        {
            var options = new SourceSessionOptions { Random = new Random(seed) };
            SourceSession source = Playing(out string id, options);
            Assert.Matches("^[1-9][0-9]{0,8}$", id);
            Assert.Equal(id, source.SessionId);
        }
    }

    // ---- script helpers -------------------------------------------------------------------------

    private SourceSession Start(out RtspMessage m1, SourceSessionOptions? options = null)
    {
        var source = new SourceSession(options ?? new SourceSessionOptions { Random = new Random(3) }, _clock);
        source.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Parse("192.0.2.1"), 7236), null);
        source.Start();
        m1 = Assert.Single(SessionScript.Drain(source));
        return source;
    }

    private SourceSession ThroughM3(out RtspMessage m4, SourceSessionOptions? options = null)
    {
        SourceSession source = Start(out _, options);
        Feed(source, "RTSP/1.0 200 OK\nCSeq: 1\nPublic: org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER\n\n");
        Feed(source, "OPTIONS * RTSP/1.0\nCSeq: 1\nRequire: org.wfa.wfd1.0\n\n");
        RtspMessage m3 = SessionScript.Drain(source)[1];
        Feed(source, $"RTSP/1.0 200 OK\nCSeq: {m3.CSeq}\nContent-Type: text/parameters\nContent-Length: {SamsungCaps.Length}\n\n{SamsungCaps}");
        m4 = Assert.Single(SessionScript.Drain(source));
        return source;
    }

    private SourceSession Playing(out string sessionId, SourceSessionOptions? options = null)
    {
        SourceSession source = ThroughM3(out RtspMessage m4, options);
        Feed(source, Ok(m4));
        Feed(source, Ok(Assert.Single(SessionScript.Drain(source))));
        Feed(source, "SETUP rtsp://localhost/wfd1.0 RTSP/1.0\nCSeq: 2\nTransport: RTP/AVP/UDP;unicast;client_port=19000\n\n");
        sessionId = Assert.Single(SessionScript.Drain(source)).SessionId!;
        Feed(source, $"PLAY rtsp://localhost/wfd1.0 RTSP/1.0\nCSeq: 3\nSession: {sessionId}\n\n");
        SessionScript.Drain(source);
        Assert.Equal(SourceSessionState.Playing, source.State);
        return source;
    }

    private static string Ok(RtspMessage request) => $"RTSP/1.0 200 OK\nCSeq: {request.CSeq}\n\n";

    /// <summary>Feeds text written with LF line ends as the wire's CRLF (bodies are passed as they are).</summary>
    private static void Feed(SourceSession source, string text)
    {
        int split = text.IndexOf("\n\n", StringComparison.Ordinal);
        string head = split < 0 ? text : text[..(split + 2)];
        string body = split < 0 ? string.Empty : text[(split + 2)..];
        source.Receive(Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n", StringComparison.Ordinal) + body));
    }
}
