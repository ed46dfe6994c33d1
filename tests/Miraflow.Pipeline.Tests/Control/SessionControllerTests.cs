using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Miraflow.Pipeline.Composition;
using Miraflow.Pipeline.Control;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Tests.TestSupport;
using Miraflow.Pipeline.Ts;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Sessions;
using Xunit.Abstractions;

namespace Miraflow.Pipeline.Tests.Control;

/// <summary>
/// The whole source in one process: our sink state machine on loopback drives M1–M7, the test
/// picture goes through OpenH264, the TS muxer and RTP to the sink's port, and ffmpeg judges
/// what arrived.
/// </summary>
[Trait("Category", "integration")]
public sealed class SessionControllerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Ten_seconds_of_720p30_through_OpenH264_decode_to_the_frames_sent()
    {
        ExternalTool.Require("ffmpeg");
        await using ServiceProvider provider = ControllerRig.Compose(options: o => o.DefaultBitrate = 4_000_000);
        await using ControllerRig rig = await ControllerRig.StartAsync(provider.GetRequiredService<IMediaPipelineFactory>());

        SessionNegotiated negotiated = await rig.Controller.Negotiated.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal((1280, 720, 30), (negotiated.Format.Mode.Width, negotiated.Format.Mode.Height, negotiated.Format.Mode.FrameRate));
        MediaSession media = await rig.WaitUntilStreamingAsync();
        Assert.Equal(TsAudioCodec.Lpcm, media.Muxer.Audio.Codec);

        await Task.Delay(TimeSpan.FromSeconds(10));
        long stopStart = Stopwatch.GetTimestamp();
        SessionOutcome outcome = await rig.Controller.StopAsync();
        TimeSpan stopTook = Stopwatch.GetElapsedTime(stopStart);
        Assert.Equal(SessionEndReason.Stopped, outcome.Reason);
        Assert.True(stopTook < StopBudget, $"Stop took {stopTook.TotalMilliseconds:F0} ms");

        MediaPipelineStatistics stats = media.Pipeline.Statistics;
        long read = stats.FramesIn + stats.FramesDropped;
        long reportedLosses = stats.FramesDropped + stats.FramesSkipped + stats.UnitsDiscarded;
        output.WriteLine($"read {read}, sent {stats.VideoUnitsSent} (IDR {stats.IdrUnitsSent}), dropped {stats.FramesDropped}, skipped {stats.FramesSkipped}, discarded {stats.UnitsDiscarded}, audio {stats.AudioFramesSent}; latency {media.Pipeline.Latency}; stop {stopTook.TotalMilliseconds:F0} ms");
        var sends = rig.Recorder.Sent.ToArray();
        for (int i = 1; i < sends.Length; i++)
        {
            double gap = (sends[i].Timestamp - sends[i - 1].Timestamp) * 1000.0 / Stopwatch.Frequency;
            if (gap > 100)
            {
                output.WriteLine($"{gap:F0} ms without a send before unit {i} (frame {sends[i].FrameNumber})");
            }
        }

        // 10 s at 30 fps from PLAY to stop; a loaded machine delivers late pictures (never skipped), so fewer.
        Assert.InRange(read, 150, 320);
        Assert.Equal(read - reportedLosses, stats.VideoUnitsSent);
        Assert.Equal(stats.FramesDropped, rig.Recorder.FramesDropped);
        Assert.Equal(stats.VideoUnitsSent, rig.Recorder.Sent.Count);
        Assert.True(stats.AudioFramesSent > 900, $"{stats.AudioFramesSent} audio frames");
        Assert.Equal(0, media.Pipeline.OutstandingLeases);

        using var directory = new TempDirectory("session-720p30");
        string capture = Path.Combine(directory.Path, "capture.ts");
        byte[] ts = await rig.CaptureTsAsync(media); // also checks that no RTP sequence number is missing
        await File.WriteAllBytesAsync(capture, ts);
        FfprobeReport probe = await FfprobeReport.ProbeAsync(capture);
        Assert.Contains(probe.Streams, s => s.CodecName == "h264" && s.Width == 1280 && s.Height == 720);

        // ffmpeg 5.1 guesses at WFD LPCM (stream type 0x83; docs/media-transport.md): it judges the video alone.
        string video = Path.Combine(directory.Path, "video.ts");
        await File.WriteAllBytesAsync(video, TsPackets.WithoutPid(ts, 0x1100));
        ToolResult decode = await MediaJudges.DecodeToNullAsync(video);
        Assert.True(decode.ExitCode == 0 && decode.StandardError.Length == 0, decode.Describe());
        (ToolResult run, List<string> frames) = await MediaJudges.DecodeFrameHashesAsync(video);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal(stats.VideoUnitsSent, frames.Count);
    }

    [Fact]
    public async Task A_sender_stalled_for_2_s_keeps_memory_bounded_counts_drops_and_recovers_with_an_IDR()
    {
        ExternalTool.Require("ffmpeg");
        var stall = new StallingStage(stallAtUnit: 45, TimeSpan.FromSeconds(2));
        await using ServiceProvider provider = ControllerRig.Compose(b => b.AddBlock(stall), o => o.DefaultBitrate = 4_000_000);
        await using ControllerRig rig = await ControllerRig.StartAsync(provider.GetRequiredService<IMediaPipelineFactory>());
        MediaSession media = await rig.WaitUntilStreamingAsync();

        await stall.Started.WaitAsync(TimeSpan.FromSeconds(10));
        long droppedBefore = media.Pipeline.Statistics.FramesDropped; // start-up drops on a loaded machine are not the stall's
        long heapBefore = GC.GetTotalMemory(forceFullCollection: false);
        int maxLeases = 0;
        long maxHeap = heapBefore;
        while (!stall.Released.IsCompleted)
        {
            maxLeases = Math.Max(maxLeases, media.Pipeline.OutstandingLeases);
            maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(forceFullCollection: false));
            await Task.Delay(20);
        }

        long releasedAt = Stopwatch.GetTimestamp();
        long droppedDuringStall = media.Pipeline.Statistics.FramesDropped - droppedBefore;
        await Task.Delay(TimeSpan.FromSeconds(2)); // the session goes on after the stall
        Assert.False(rig.Controller.Completion.IsCompleted, "the session must survive the stall");
        SessionOutcome outcome = await rig.Controller.StopAsync();
        Assert.Equal(SessionEndReason.Stopped, outcome.Reason);

        MediaPipelineStatistics stats = media.Pipeline.Statistics;
        output.WriteLine($"stall: peak leases {maxLeases}, heap {heapBefore / 1024} KB → peak {maxHeap / 1024} KB (+{(maxHeap - heapBefore) / 1024} KB); dropped {droppedDuringStall} during the stall, {stats.FramesDropped} in all; discarded {stats.UnitsDiscarded}; sent {stats.VideoUnitsSent} (IDR {stats.IdrUnitsSent})");

        // Memory: the blocks hold at most their capacities (2 + 6) plus the unit in the stalled stage and one being posted.
        Assert.InRange(maxLeases, 1, 2 + 6 + 2);
        Assert.InRange(maxHeap - heapBefore, long.MinValue, 32L * 1024 * 1024);

        // Drops: about 60 pictures are due during the stall (fewer on a loaded machine) and all but the queued ones were dropped, counted and reported.
        Assert.InRange(droppedDuringStall, 20, 62);
        Assert.Equal(stats.FramesDropped, rig.Recorder.FramesDropped);

        // The first unit sent after the stall is an IDR.
        (ulong FrameNumber, bool Idr, long Timestamp)[] sent = [.. rig.Recorder.Sent];
        (ulong frame, bool idr, _) = sent.First(s => s.Timestamp >= releasedAt);
        Assert.True(idr, $"frame {frame}, the first sent after the stall, is not an IDR");
        Assert.Contains(sent, s => s.Timestamp >= releasedAt + Stopwatch.Frequency); // and streaming went on

        using var directory = new TempDirectory("session-stall");
        string video = Path.Combine(directory.Path, "video.ts");
        await File.WriteAllBytesAsync(video, TsPackets.WithoutPid(await rig.CaptureTsAsync(media), 0x1100));
        ToolResult decode = await MediaJudges.DecodeToNullAsync(video);
        Assert.True(decode.ExitCode == 0 && decode.StandardError.Length == 0, decode.Describe());
    }

    [Fact]
    public async Task Pause_standby_and_resume_keep_the_session_and_restart_with_an_IDR_and_M13_makes_one()
    {
        await using ServiceProvider provider = ControllerRig.Compose();
        await using ControllerRig rig = await ControllerRig.StartAsync(provider.GetRequiredService<IMediaPipelineFactory>());
        MediaSession media = await rig.WaitUntilStreamingAsync();
        await WaitUntil(() => media.Pipeline.Statistics.VideoUnitsSent >= 10);

        // The sink pauses (M9): nothing is sent, the session stays.
        await rig.Sink.InvokeAsync(s => s.Pause());
        await WaitUntil(() => media.Pipeline.Paused);
        long sentWhenPaused = media.Pipeline.Statistics.VideoUnitsSent;
        await Task.Delay(500);
        Assert.InRange(media.Pipeline.Statistics.VideoUnitsSent, sentWhenPaused, sentWhenPaused + 1);

        // It plays again (M7): the first unit sent is an IDR.
        int before = rig.Recorder.Sent.Count;
        await rig.Sink.InvokeAsync(s => s.Play());
        await WaitUntil(() => rig.Recorder.Sent.Count > before + 5);
        Assert.True(rig.Recorder.Sent.ElementAt(before).Idr);

        // M13 from the sink: an IDR follows within a few frames.
        int beforeIdr = rig.Recorder.Sent.Count;
        await rig.Sink.InvokeAsync(s => s.RequestIdr());
        await WaitUntil(() => rig.Recorder.IdrRequests == 1 && rig.Recorder.Sent.Skip(beforeIdr).Any(s => s.Idr));

        // Standby (M12, the display powered off) and resume without reconnecting.
        await rig.Controller.EnterStandbyAsync();
        await WaitUntil(() => media.Pipeline.Paused);
        before = rig.Recorder.Sent.Count;
        await rig.Controller.ResumeAsync();
        await WaitUntil(() => rig.Recorder.Sent.Count > before + 3);
        Assert.True(rig.Recorder.Sent.ElementAt(before).Idr);
        Assert.Same(media, rig.Controller.Media);
        Assert.Equal(["paused", "resumed", "standby", "resumed"], rig.Recorder.Events.Where(e => e is "paused" or "standby" or "resumed"));
        Assert.False(rig.Controller.Completion.IsCompleted);
    }

    [Fact]
    public async Task A_sink_TEARDOWN_ends_the_session_as_a_disconnect_request_and_releases_everything()
    {
        await using ServiceProvider provider = ControllerRig.Compose();
        await using ControllerRig rig = await ControllerRig.StartAsync(provider.GetRequiredService<IMediaPipelineFactory>());
        MediaSession media = await rig.WaitUntilStreamingAsync();
        await WaitUntil(() => media.Pipeline.Statistics.VideoUnitsSent >= 5);

        await rig.Sink.InvokeAsync(s => s.Teardown());
        SessionOutcome outcome = await rig.Controller.Completion.WaitAsync(StopBudget + TimeSpan.FromSeconds(1));
        Assert.Equal(SessionEndReason.SinkDisconnectRequest, outcome.Reason);
        Assert.Equal(outcome, rig.Recorder.Outcome);
        Assert.Equal(0, media.Pipeline.OutstandingLeases);
        Assert.Null(rig.Controller.Media);
    }

    [Fact]
    public async Task A_fault_in_a_block_ends_the_session_with_a_critical_error_and_a_TEARDOWN()
    {
        var failing = new FailingStage(failAtUnit: 10);
        await using ServiceProvider provider = ControllerRig.Compose(b => b.AddBlock(failing));
        await using ControllerRig rig = await ControllerRig.StartAsync(provider.GetRequiredService<IMediaPipelineFactory>());
        MediaSession media = await rig.WaitUntilStreamingAsync();

        SessionOutcome outcome = await rig.Controller.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(SessionEndReason.CriticalError, outcome.Reason);
        Assert.Contains("the media pipeline failed", outcome.Detail, StringComparison.Ordinal);
        Assert.Contains(FailingStage.Message, outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(0, media.Pipeline.OutstandingLeases);

        // The sink was told: it got the TEARDOWN trigger and ended.
        await WaitUntil(() => rig.Sink.Session.IsEnded);
    }

    [Fact]
    public async Task Data_rates_below_the_modes_need_end_the_session_with_insufficient_bandwidth()
    {
        await using ServiceProvider provider = ControllerRig.Compose();
        await using ControllerRig rig = await ControllerRig.StartAsync(provider.GetRequiredService<IMediaPipelineFactory>());
        MediaSession media = await rig.WaitUntilStreamingAsync();

        var enough = new DataRateSample(encoderBitRate: 30_000_000, currentMaxTxDataRate: 100_000_000, transmittedFrameCount: 0, failedFrameCount: 0, retriedFrameCount: 0, multipleRetryFrameCount: 0);
        var tooLow = new DataRateSample(encoderBitRate: 500_000, currentMaxTxDataRate: 1_000_000, transmittedFrameCount: 0, failedFrameCount: 0, retriedFrameCount: 0, multipleRetryFrameCount: 0);
        Assert.False(rig.Controller.OnDataRate(enough)!.Value.InsufficientBandwidth);
        Assert.False(rig.Controller.OnDataRate(tooLow)!.Value.InsufficientBandwidth);
        Assert.False(rig.Controller.OnDataRate(tooLow)!.Value.InsufficientBandwidth);
        Assert.Equal(media.BitrateController.Floor, media.BitrateController.Target);
        Assert.True(rig.Controller.OnDataRate(tooLow)!.Value.InsufficientBandwidth);

        SessionOutcome outcome = await rig.Controller.Completion.WaitAsync(StopBudget + TimeSpan.FromSeconds(1));
        Assert.Equal(SessionEndReason.InsufficientBandwidth, outcome.Reason);
        await WaitUntil(() => rig.Sink.Session.IsEnded);
    }

    [Fact]
    public async Task An_AAC_only_sink_gets_a_video_only_stream()
    {
        await using ServiceProvider provider = ControllerRig.Compose();
        await using ControllerRig rig = await ControllerRig.StartAsync(provider.GetRequiredService<IMediaPipelineFactory>(), ControllerRig.Sink720p30AacOnly);
        SessionNegotiated negotiated = await rig.Controller.Negotiated.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("Aac", negotiated.Format.Audio?.Format.ToString());
        MediaSession media = await rig.WaitUntilStreamingAsync();
        await WaitUntil(() => media.Pipeline.Statistics.VideoUnitsSent >= 5);

        Assert.Null(media.AudioSource);
        Assert.False(media.Muxer.Audio.IsPresent); // no audio stream announced in the PMT
        Assert.Equal(0, media.Pipeline.Statistics.AudioFramesSent);
    }

    [Fact]
    public async Task A_mid_session_format_change_switches_encoder_and_source_at_an_IDR()
    {
        ExternalTool.Require("ffmpeg");
        const string twoModes = "wfd_video_formats: 00 00 01 01 00000021 00000000 00000000 00 0000 0000 00 none none\r\nwfd_audio_codecs: LPCM 00000002 00\r\n";
        await using ServiceProvider provider = ControllerRig.Compose();
        await using ControllerRig rig = await ControllerRig.StartAsync(provider.GetRequiredService<IMediaPipelineFactory>(), twoModes);
        SessionNegotiated negotiated = await rig.Controller.Negotiated.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1280, negotiated.Format.Mode.Width);
        MediaSession media = await rig.WaitUntilStreamingAsync();
        await WaitUntil(() => media.Pipeline.Statistics.VideoUnitsSent >= 15);

        NegotiatedFormat vga = negotiated.Capabilities.Negotiation.Candidates.First(c => c.Mode.Width == 640);
        int before = rig.Recorder.Sent.Count;
        await rig.Controller.ChangeFormatAsync(vga);
        await WaitUntil(() => rig.Recorder.Events.Contains($"format {vga}"));
        await WaitUntil(() => media.FrameSource.Info.Width == 640 && rig.Recorder.Sent.Count > before + 30);
        Assert.Equal(vga, rig.Controller.Format);
        await rig.Controller.StopAsync();

        using var directory = new TempDirectory("session-format-change");
        string video = Path.Combine(directory.Path, "video.ts");
        await File.WriteAllBytesAsync(video, TsPackets.WithoutPid(await rig.CaptureTsAsync(media), 0x1100));
        ToolResult decode = await MediaJudges.DecodeToNullAsync(video);
        Assert.True(decode.ExitCode == 0 && decode.StandardError.Length == 0, decode.Describe());
        ToolResult sizes = await ExternalTool.RunAsync("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "frame=width,height,key_frame", "-of", "csv=p=0", video], MediaJudges.ToolTimeout);
        string[] frames = sizes.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int firstVga = Array.FindIndex(frames, f => f.StartsWith("1,640,480", StringComparison.Ordinal) || f.StartsWith("0,640,480", StringComparison.Ordinal));
        Assert.True(firstVga > 0, sizes.Describe());
        Assert.StartsWith("1,640,480", frames[firstVga], StringComparison.Ordinal); // the switch is an IDR
        Assert.All(frames[..firstVga], f => Assert.Contains(",1280,720", f, StringComparison.Ordinal));
        Assert.All(frames[firstVga..], f => Assert.Contains(",640,480", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_before_start_and_twice_is_harmless()
    {
        await using ServiceProvider provider = ControllerRig.Compose();
        using var receiver = new LoopbackReceiver();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        using var client = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndpoint);
        using System.Net.Sockets.Socket accepted = await listener.AcceptSocketAsync();
        var controller = new SessionController(accepted, provider.GetRequiredService<IMediaPipelineFactory>());
        SessionOutcome outcome = await controller.StopAsync().WaitAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(SessionEndReason.Stopped, outcome.Reason);
        Assert.Same(outcome, await controller.StopAsync());
        await controller.DisposeAsync();
        await Assert.ThrowsAsync<SessionEndedException>(() => controller.Negotiated);
        Assert.True(accepted.Connected); // never closes the socket it was given
    }

    internal static async Task WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        long start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            Assert.True(Stopwatch.GetElapsedTime(start).TotalMilliseconds < timeoutMs, "timed out waiting for the condition");
            await Task.Delay(10);
        }
    }

    /// <summary>Blocks the send path once, at one unit, for a while: a stalled sender.</summary>
    private sealed class StallingStage(int stallAtUnit, TimeSpan duration) : IPipelineStage
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _units;

        public Task Started => _started.Task;

        public Task Released => _released.Task;

        public EncodedFrame? Process(EncodedFrame unit)
        {
            if (++_units == stallAtUnit)
            {
                _started.SetResult();
                Thread.Sleep(duration);
                _released.SetResult();
            }

            return unit;
        }
    }

    /// <summary>Throws at one unit: a block that faults.</summary>
    private sealed class FailingStage(int failAtUnit) : IPipelineStage
    {
        public const string Message = "stage failed on purpose";
        private int _units;

        public EncodedFrame? Process(EncodedFrame unit) =>
            ++_units == failAtUnit ? throw new InvalidOperationException(Message) : unit;
    }
}
