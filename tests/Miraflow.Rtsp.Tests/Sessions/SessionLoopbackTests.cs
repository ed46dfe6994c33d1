using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Sessions;
using Miraflow.Rtsp.Tests.TestSupport;

namespace Miraflow.Rtsp.Tests.Sessions;

/// <summary>
/// Our source and sink state machines talking over a real loopback TCP connection through the
/// socket runner, with a manual clock for keep-alives and timeouts.
/// </summary>
[Trait("Category", "integration")]
public sealed class SessionLoopbackTests
{
    [Fact]
    public async Task M1ToM7_NegotiatesAndStartsPlaying()
    {
        await using LoopbackSession session = await LoopbackSession.StartAsync();

        PlayStarted play = await session.WaitUntilPlayingAsync();

        CapabilitiesReceived capabilities = await session.SourceEvents.WaitFor<CapabilitiesReceived>();
        Assert.True(capabilities.MonitorConnected);
        FormatAccepted accepted = await session.SourceEvents.WaitFor<FormatAccepted>();
        Assert.False(accepted.MidSession);
        // The default sink: CBP+CHP to level 4.2, every CEA mode: the best progressive mode is 1080p60 CBP 4.2.
        Assert.Equal(new VideoMode(ResolutionTable.Cea, 8, 1920, 1080, 60, true), accepted.Format.Mode);
        Assert.Equal(H264Profiles.ConstrainedBaseline, accepted.Format.Profile);
        Assert.Equal(H264Levels.Level42, accepted.Format.Level);

        Assert.Equal(19000, play.RtpPort);
        Assert.Null(play.RtcpPort);
        Assert.False(play.Resumed);
        Assert.Matches("^[0-9]{1,9}$", play.SessionId);

        FormatSet set = await session.SinkEvents.WaitFor<FormatSet>();
        Assert.Equal(accepted.Format.ToVideoFormats(), set.Video);
        Assert.Equal("rtsp://127.0.0.1/wfd1.0/streamid=0", set.PresentationUrl);
        Assert.Equal(play.SessionId, session.Sink.Session.SessionId);
        Assert.Equal(SourceSessionState.Playing, session.Source.Session.State);
        Assert.Equal(SinkSessionState.Playing, session.Sink.Session.State);
    }

    [Fact]
    public async Task KeepAlives_GoEveryTimeoutMinusFiveSeconds_AndKeepTheSessionUp()
    {
        await using LoopbackSession session = await LoopbackSession.StartAsync();
        await session.WaitUntilPlayingAsync();

        // Nothing is due before 25 s (timeout 30 − 5).
        session.Clock.Advance(TimeSpan.FromSeconds(24));
        await Task.Delay(100);
        Assert.Equal(0, session.SinkEvents.Count<KeepAliveReceived>());

        for (int i = 1; i <= 5; i++)
        {
            session.Clock.Advance(i == 1 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(25));
            KeepAliveReceived keepAlive = await session.SinkEvents.WaitFor<KeepAliveReceived>(i);
            Assert.True(keepAlive.Answered);
        }

        Assert.Equal(5, session.Sink.Session.KeepAlivesAnswered);
        Assert.False(session.Source.Session.IsEnded);
        Assert.False(session.Sink.Session.IsEnded);
    }

    [Fact]
    public async Task SinkThatStopsAnsweringKeepAlives_EndsWithMissingKeepAlive()
    {
        await using LoopbackSession session = await LoopbackSession.StartAsync();
        await session.WaitUntilPlayingAsync();
        await session.Sink.InvokeAsync(s => s.AnswerKeepAlives = false);

        session.Clock.Advance(TimeSpan.FromSeconds(25));
        Assert.False((await session.SinkEvents.WaitFor<KeepAliveReceived>()).Answered);
        session.Clock.Advance(TimeSpan.FromSeconds(9));
        await Task.Delay(100);
        Assert.False(session.Source.Session.IsEnded); // late answers are tolerated up to 10 s

        session.Clock.Advance(TimeSpan.FromSeconds(1));
        SessionEnded ended = await session.SourceEvents.WaitFor<SessionEnded>();
        Assert.Equal(SessionEndReason.MissingKeepAlive, ended.Reason);
        await session.Source.Completion.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task IdrRequest_FromTheSink_IsReportedToTheSource()
    {
        await using LoopbackSession session = await LoopbackSession.StartAsync();
        await session.WaitUntilPlayingAsync();

        await session.Sink.InvokeAsync(s => s.RequestIdr());
        await session.SourceEvents.WaitFor<IdrRequested>();
        await session.Sink.InvokeAsync(s => s.RequestIdr());
        await session.SourceEvents.WaitFor<IdrRequested>(2);
        Assert.False(session.Source.Session.IsEnded);
    }

    [Fact]
    public async Task PauseAndPlayTriggers_PauseAndResumeTheStream()
    {
        await using LoopbackSession session = await LoopbackSession.StartAsync();
        await session.WaitUntilPlayingAsync();

        await session.Source.InvokeAsync(s => s.TriggerPause());
        await session.SourceEvents.WaitFor<PlayPaused>();
        Assert.Equal(SourceSessionState.Paused, session.Source.Session.State);

        await session.Source.InvokeAsync(s => s.TriggerPlay());
        PlayStarted resumed = await session.SourceEvents.WaitFor<PlayStarted>(2);
        Assert.True(resumed.Resumed);
        await session.SinkEvents.WaitFor<SinkPlaying>(2);
        Assert.Equal(SourceSessionState.Playing, session.Source.Session.State);
    }

    [Fact]
    public async Task StandbyAndResume_KeepTheSession()
    {
        await using LoopbackSession session = await LoopbackSession.StartAsync();
        await session.WaitUntilPlayingAsync();

        await session.Source.InvokeAsync(s => s.EnterStandby());
        await session.SourceEvents.WaitFor<StandbyEntered>();
        await session.SinkEvents.WaitFor<SinkStandby>();

        await session.Source.InvokeAsync(s => s.Resume());
        PlayStarted resumed = await session.SourceEvents.WaitFor<PlayStarted>(2);
        Assert.True(resumed.Resumed);
        Assert.False(session.Source.Session.IsEnded);
    }

    [Fact]
    public async Task TeardownTrigger_EndsBothSidesAsStopped()
    {
        await using LoopbackSession session = await LoopbackSession.StartAsync();
        await session.WaitUntilPlayingAsync();

        await session.Source.InvokeAsync(s => s.TriggerTeardown());

        Assert.Equal(SessionEndReason.Stopped, (await session.SourceEvents.WaitFor<SessionEnded>()).Reason);
        Assert.Equal(SessionEndReason.Stopped, (await session.SinkEvents.WaitFor<SessionEnded>()).Reason);
        await Task.WhenAll(session.Source.Completion, session.Sink.Completion).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task SinkTeardown_EndsWithSinkDisconnectRequest()
    {
        await using LoopbackSession session = await LoopbackSession.StartAsync();
        await session.WaitUntilPlayingAsync();

        await session.Sink.InvokeAsync(s => s.Teardown());

        SessionEnded ended = await session.SourceEvents.WaitFor<SessionEnded>();
        Assert.Equal(SessionEndReason.SinkDisconnectRequest, ended.Reason);
        Assert.Equal(SessionEndReason.Stopped, (await session.SinkEvents.WaitFor<SessionEnded>()).Reason);
    }

    [Fact]
    public async Task SinkMonitorUnplugged_IsReportedAndEndsWithSinkDisconnectRequest()
    {
        await using LoopbackSession session = await LoopbackSession.StartAsync();
        await session.WaitUntilPlayingAsync();

        await session.Sink.InvokeAsync(s => s.ReportMonitorUnplugged());

        SessionEnded ended = await session.SourceEvents.WaitFor<SessionEnded>();
        Assert.Equal(SessionEndReason.SinkDisconnectRequest, ended.Reason);
        Assert.Contains("monitor unplugged", ended.Detail, StringComparison.Ordinal);
        Assert.Equal(1, session.SourceEvents.Count<MonitorDeparted>());
        Assert.Equal(0, session.SourceEvents.Count<IdrRequested>());
    }

    [Fact]
    public async Task M4RefusedWith303_MovesToTheNextCandidate()
    {
        // This sink refuses anything above 30 fps: the source must walk down from 1080p60 past
        // every 50/60 fps candidate that scores above 1080p30, then settle on 1080p30.
        var sink = new SinkSessionOptions { AcceptFormat = formats => !HasMode(formats, m => m.FrameRate > 30) };
        await using LoopbackSession session = await LoopbackSession.StartAsync(sinkOptions: sink);
        await session.WaitUntilPlayingAsync();

        FormatRefused refused = await session.SourceEvents.WaitFor<FormatRefused>();
        Assert.Equal(303, refused.StatusCode);
        Assert.Equal("1920x1080p60", refused.Format.Mode.ToString());
        FormatAccepted accepted = await session.SourceEvents.WaitFor<FormatAccepted>();
        Assert.Equal("1920x1080p30", accepted.Format.Mode.ToString());
        Assert.All(session.SourceEvents.Snapshot().OfType<FormatRefused>(), r => Assert.True(r.Format.Mode.FrameRate > 30));
    }

    [Fact]
    public async Task M4RefusedForEveryCandidate_EndsWithSinkFailedModeChange()
    {
        var sink = new SinkSessionOptions { AcceptFormat = _ => false };
        await using LoopbackSession session = await LoopbackSession.StartAsync(sinkOptions: sink);

        SessionEnded ended = await session.SourceEvents.WaitFor<SessionEnded>();

        Assert.Equal(SessionEndReason.SinkFailedModeChange, ended.Reason);
        int candidates = session.Source.Session.Negotiation!.Candidates.Count;
        Assert.True(candidates > 1);
        Assert.Equal(candidates, session.SourceEvents.Count<FormatRefused>());
        Assert.Equal(0, session.SourceEvents.Count<FormatAccepted>());
    }

    [Fact]
    public async Task MidSessionFormatChange_IsAcceptedBySink()
    {
        await using LoopbackSession session = await LoopbackSession.StartAsync();
        await session.WaitUntilPlayingAsync();
        NegotiatedFormat next = session.Source.Session.Negotiation!.Candidates[1];

        await session.Source.InvokeAsync(s => s.ChangeFormat(next, pts: 0xbb800, dts: 0xbb800));

        FormatAccepted accepted = await session.SourceEvents.WaitFor<FormatAccepted>(2);
        Assert.True(accepted.MidSession);
        Assert.Equal(next, accepted.Format);
        Assert.Equal(next.ToVideoFormats(), (await session.SinkEvents.WaitFor<FormatSet>(2)).Video);
    }

    [Fact]
    public async Task InsufficientBandwidth_EndsAfterM3()
    {
        var source = new SourceSessionOptions { SuggestedBitrate = 10_000, Random = new Random(1) };
        await using LoopbackSession session = await LoopbackSession.StartAsync(sourceOptions: source);

        SessionEnded ended = await session.SourceEvents.WaitFor<SessionEnded>();

        Assert.Equal(SessionEndReason.InsufficientBandwidth, ended.Reason);
        Assert.True((await session.SourceEvents.WaitFor<CapabilitiesReceived>()).Negotiation.BandwidthInsufficient);
    }

    private static bool HasMode(WfdVideoFormats formats, Func<VideoMode, bool> predicate)
    {
        foreach (H264Codec codec in formats.Codecs)
        {
            foreach (ResolutionTable table in (ReadOnlySpan<ResolutionTable>)[ResolutionTable.Cea, ResolutionTable.Vesa, ResolutionTable.Hh])
            {
                for (int bit = 0; bit < 32; bit++)
                {
                    if ((codec.GetBitmap(table) & (1u << bit)) != 0 && VideoModes.TryGet(table, bit, out VideoMode mode) && predicate(mode))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    [Fact]
    public async Task Runner_NeverClosesTheSocketItWasHanded()
    {
        LoopbackSession session = await LoopbackSession.StartAsync();
        await session.WaitUntilPlayingAsync();
        await session.Source.InvokeAsync(s => s.TriggerTeardown());
        await session.Source.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        await session.Source.DisposeAsync();

        Assert.True(session.SourceSocketConnected);
        await session.DisposeAsync();
    }
}
