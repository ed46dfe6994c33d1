using System.Text;
using Miraflow.Rtsp.Messages;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Sessions;
using Miraflow.Rtsp.Tests.TestSupport;

namespace Miraflow.Rtsp.Tests.Sessions;

/// <summary>The sink emulator's state machine driven by a scripted source.</summary>
[Trait("Category", "unit")]
public sealed class SinkSessionScriptTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void M1_IsAnsweredAndFollowedByM2()
    {
        SinkSession sink = Start();
        Feed(sink, "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nRequire: org.wfa.wfd1.0\r\n\r\n");

        List<RtspMessage> sent = SessionScript.Drain(sink);
        Assert.Equal(2, sent.Count);
        Assert.Equal(200, sent[0].StatusCode);
        Assert.Equal("1", sent[0].Headers["CSeq"]);
        Assert.Equal(SinkSession.PublicMethods, sent[0].Headers["Public"]);
        Assert.Equal("OPTIONS", sent[1].Method);
        Assert.Equal("org.wfa.wfd1.0", sent[1].Headers["Require"]);
    }

    [Fact]
    public void M3_AnswersExactlyTheNamesAskedThatWeKnow()
    {
        SinkSession sink = Start();
        Feed(sink, "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n");
        SessionScript.Drain(sink);

        const string names = "wfd_video_formats\r\nwfd_client_rtp_ports\r\nmicrosoft_cursor\r\n";
        Feed(sink, $"GET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 2\r\nContent-Type: text/parameters\r\nContent-Length: {names.Length}\r\n\r\n{names}");

        RtspMessage answer = Assert.Single(SessionScript.Drain(sink));
        Assert.Equal("text/parameters", answer.Headers["Content-Type"]);
        Assert.Equal(
            "wfd_video_formats: 00 00 03 10 0001ffff 1fffffff 00000fff 00 0000 0000 00 none none\r\n" +
            "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n",
            answer.BodyText);
    }

    [Fact]
    public void M4OutsideOurCapabilities_Gets303()
    {
        WfdParameterSet caps = SinkCapabilities.Parse(
            "wfd_video_formats: 00 00 01 01 00000001 00000000 00000000 00 0000 0000 00 none none\n" +
            "wfd_audio_codecs: LPCM 00000002 00\n");
        SinkSession sink = Start(new SinkSessionOptions { Capabilities = caps });
        Feed(sink, "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n");
        SessionScript.Drain(sink);

        // 1080p30 (CEA bit 7) is not in a 640x480-only sink's bitmap.
        const string m4 = "wfd_video_formats: 00 00 01 08 00000080 00000000 00000000 00 0000 0000 00 none none\r\n";
        Feed(sink, $"SET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 3\r\nContent-Type: text/parameters\r\nContent-Length: {m4.Length}\r\n\r\n{m4}");
        RtspMessage refused = Assert.Single(SessionScript.Drain(sink));
        Assert.Equal(303, refused.StatusCode);
        Assert.Equal("wfd_video_formats: 415\r\n", refused.BodyText);

        const string ok = "wfd_video_formats: 00 00 01 01 00000001 00000000 00000000 00 0000 0000 00 none none\r\n";
        Feed(sink, $"SET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 4\r\nContent-Type: text/parameters\r\nContent-Length: {ok.Length}\r\n\r\n{ok}");
        Assert.Equal(200, Assert.Single(SessionScript.Drain(sink)).StatusCode);
    }

    [Fact]
    public void TeardownRefusedForTheStreamUrl_IsSentAgainToTheAggregateUrl()
    {
        // GNOME Network Displays' RTSP server (GStreamer) controls a session only at its aggregate URL.
        SinkSession sink = Playing("rtsp://127.0.0.1:7236/wfd1.0/streamid=0");
        sink.Teardown();
        RtspMessage m8 = Assert.Single(SessionScript.Drain(sink));
        Assert.Equal("TEARDOWN rtsp://127.0.0.1:7236/wfd1.0/streamid=0", $"{m8.Method} {m8.Uri}");
        Feed(sink, $"RTSP/1.0 460 Only aggregate operation allowed\r\nCSeq: {m8.Headers["CSeq"]}\r\n\r\n");

        RtspMessage again = Assert.Single(SessionScript.Drain(sink));
        Assert.Equal("TEARDOWN rtsp://127.0.0.1:7236/wfd1.0", $"{again.Method} {again.Uri}");
        Assert.Equal("abc", again.Headers["Session"]);
        Assert.False(sink.IsEnded);
        Feed(sink, $"RTSP/1.0 200 OK\r\nCSeq: {again.Headers["CSeq"]}\r\nSession: abc\r\n\r\n");

        Assert.Equal(SessionEndReason.Stopped, sink.EndReason);
        SessionEnded ended = Assert.Single(SessionScript.Events(sink).OfType<SessionEnded>());
        Assert.Equal("teardown answered by the source (at its aggregate URL rtsp://127.0.0.1:7236/wfd1.0)", ended.Detail);
    }

    [Theory]
    [InlineData("rtsp://127.0.0.1:7236/wfd1.0/streamid=0", 460, 2)] // refused at the aggregate URL too: asked once more, no further
    [InlineData("rtsp://127.0.0.1:7236/wfd1.0", 460, 1)] // no stream suffix: nothing else to try
    [InlineData("rtsp://127.0.0.1:7236/wfd1.0/streamid=0", 454, 1)] // another refusal is not about the URL
    public void TeardownRefused_EndsTheSessionAndSaysSo(string presentationUrl, int status, int teardownsSent)
    {
        SinkSession sink = Playing(presentationUrl);
        sink.Teardown();
        for (int i = 0; i < teardownsSent; i++)
        {
            RtspMessage m8 = Assert.Single(SessionScript.Drain(sink));
            Assert.Equal("TEARDOWN", m8.Method);
            Feed(sink, $"RTSP/1.0 {status} Refused\r\nCSeq: {m8.Headers["CSeq"]}\r\n\r\n");
        }

        Assert.Empty(SessionScript.Drain(sink));
        Assert.Equal(SessionEndReason.Stopped, sink.EndReason);
        SessionEnded ended = Assert.Single(SessionScript.Events(sink).OfType<SessionEnded>());
        Assert.Equal($"the source refused the teardown ({status} Refused); the sink left all the same", ended.Detail);
    }

    [Fact]
    public void PauseRefusedForTheStreamUrl_MovesEveryLaterRequestToTheAggregateUrl()
    {
        SinkSession sink = Playing("rtsp://127.0.0.1:7236/wfd1.0/streamid=0");
        sink.Pause();
        RtspMessage m9 = Assert.Single(SessionScript.Drain(sink));
        Feed(sink, $"RTSP/1.0 460 Only aggregate operation allowed\r\nCSeq: {m9.Headers["CSeq"]}\r\n\r\n");
        RtspMessage again = Assert.Single(SessionScript.Drain(sink));
        Assert.Equal("PAUSE rtsp://127.0.0.1:7236/wfd1.0", $"{again.Method} {again.Uri}");
        Feed(sink, $"RTSP/1.0 200 OK\r\nCSeq: {again.Headers["CSeq"]}\r\nSession: abc\r\n\r\n");
        Assert.Equal(SinkSessionState.Paused, sink.State);

        sink.Play();
        RtspMessage m7 = Assert.Single(SessionScript.Drain(sink));
        Assert.Equal("PLAY rtsp://127.0.0.1:7236/wfd1.0", $"{m7.Method} {m7.Uri}");
    }

    [Fact]
    public void SilentSource_EndsWithMissingKeepAliveAfterTimeoutPlusGrace()
    {
        SinkSession sink = StartPastM2();

        _clock.Advance(TimeSpan.FromSeconds(69.9)); // no session yet: 60 s default + 10 s grace
        sink.OnTimer();
        Assert.False(sink.IsEnded);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        sink.OnTimer();
        Assert.Equal(SessionEndReason.MissingKeepAlive, sink.EndReason);
    }

    [Fact]
    public void CapabilityFiles_KeepParameterLinesOnly()
    {
        WfdParameterSet caps = SinkCapabilities.Parse(
            "# a Samsung TV\n" +
            "[FluxCast WFD RTSP] <- response: RTSP/1.0 200 OK\n" +
            "   wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00\n" +
            "CSeq: 2\n" +
            "intel_interactivity_mode: HIGH\n" +
            "\n");

        Assert.Equal(["wfd_audio_codecs", "intel_interactivity_mode"], caps.Select(p => p.Name));
    }

    private SinkSession Start(SinkSessionOptions? options = null)
    {
        var sink = new SinkSession(options, _clock);
        sink.Start();
        Assert.True(sink.PendingOutput.IsEmpty);
        return sink;
    }

    /// <summary>A sink that answered the source's M1 and had its own M2 answered.</summary>
    /// <summary>A sink that the source set up with <paramref name="presentationUrl"/> (session <c>abc</c>) and that is playing.</summary>
    private SinkSession Playing(string presentationUrl)
    {
        SinkSession sink = StartPastM2();
        string m4 = "wfd_video_formats: 00 00 01 01 00000020 00000000 00000000 00 0000 0000 00 none none\r\n" +
            $"wfd_presentation_URL: {presentationUrl} none\r\n";
        Feed(sink, $"SET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 3\r\nContent-Type: text/parameters\r\nContent-Length: {m4.Length}\r\n\r\n{m4}");
        const string m5 = "wfd_trigger_method: SETUP\r\n";
        Feed(sink, $"SET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 4\r\nContent-Type: text/parameters\r\nContent-Length: {m5.Length}\r\n\r\n{m5}");
        RtspMessage m6 = SessionScript.Drain(sink).Single(m => m.Method == "SETUP");
        Assert.Equal(presentationUrl, m6.Uri);
        Feed(sink, $"RTSP/1.0 200 OK\r\nCSeq: {m6.Headers["CSeq"]}\r\nSession: abc;timeout=30\r\nTransport: RTP/AVP/UDP;unicast;client_port=19000;server_port=5000\r\n\r\n");
        RtspMessage m7 = SessionScript.Drain(sink).Single(m => m.Method == "PLAY");
        Assert.Equal(presentationUrl, m7.Uri);
        Feed(sink, $"RTSP/1.0 200 OK\r\nCSeq: {m7.Headers["CSeq"]}\r\nSession: abc\r\n\r\n");
        Assert.Equal(SinkSessionState.Playing, sink.State);
        return sink;
    }

    private SinkSession StartPastM2()
    {
        SinkSession sink = Start();
        Feed(sink, "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n");
        SessionScript.Drain(sink);
        Feed(sink, "RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n"); // the M2 answer
        return sink;
    }

    private static void Feed(SinkSession sink, string wire) => sink.Receive(Encoding.ASCII.GetBytes(wire));
}
