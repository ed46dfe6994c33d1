using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Miraflow.Exports.Driver;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;
using Miraflow.Pipeline.Composition;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Rtsp.Sessions;
using Miraflow.Simulator.Os;
using Miraflow.Simulator.Sink;
using Xunit.Abstractions;

namespace Miraflow.Exports.Tests.Driver;

/// <summary>
/// Whole sessions of the in-process driver, reached only through its function table by the
/// simulator's OS emulator, against our sink emulator on loopback (docs/driver.md).
/// </summary>
[Collection(DriverTestGroup.Name)]
[Trait("Category", "integration")]
public sealed class DriverSessionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ContractBudget = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task A_whole_session_streams_reports_each_frame_in_order_and_leaves_nothing_behind()
    {
        int threadsBefore = DriverHarness.OurThreads();
        await using (DriverRig rig = await DriverRig.StartAsync(output))
        {
            Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
            Assert.Equal((1u, 0u, 0u), (rig.Info.MonitorConnected, rig.Info.ReducedModeListDueToBandwidth, rig.Info.Reserved));

            // The arrival is processed after Start returned and never on the Start call's stack, with the negotiated mode and the sink's
            // connector (HDMI). The driver sends it once its Start body has ended; if the OS thread is preempted before its own return,
            // the OS holds the call until then (contract §2.4, recorded as Held, with its arrival time just before the return): that
            // is the contract working, not a failure.
            await DriverRig.WaitUntilAsync(() => rig.Os.Monitor is not null, TimeSpan.FromSeconds(5), "the monitor arrival");
            IoControlRecord arrival = Assert.Single(rig.Os.IoControls, r => r.Type == KernelMessageType.MonitorArrival);
            Assert.False(arrival.StartInProgress);
            Assert.True(arrival.Held || arrival.SinceStartReturned >= TimeSpan.Zero, $"arrival {arrival.SinceStartReturned} relative to Start's return, not held");
            Assert.Equal((5u, 1280, 720, 30), (rig.Os.Monitor!.Value.ConnectorType, rig.Os.Monitor.Value.Width, rig.Os.Monitor.Value.Height, rig.Os.Monitor.Value.FramesPerSecond));
            IoControlRecord query = Assert.Single(rig.Os.IoControls, r => r.Type == KernelMessageType.QueryFrameStore);
            Assert.True(query.StartInProgress); // asked on the Start thread, where the OS processes it
            Assert.Equal(MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_ARRIVE, rig.Events()[0]);
            Assert.True(rig.Os.DataRateRegistered);

            await rig.WaitUntilStreamingAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            rig.Stop();
            Assert.InRange(rig.Os.StopDuration, TimeSpan.Zero, ContractBudget);
            Assert.False(rig.Os.DataRateRegistered); // cancelled in Stop, on the Stop thread
            Assert.Empty(rig.Os.SessionStatuses); // Stop reports nothing
            Assert.DoesNotContain(rig.Os.IoControls, r => r.Type == KernelMessageType.MonitorDeparture);

            // Every frame sent: ENCODE_COMPLETE then CHUNK_SENT, part 0, frame numbers rising.
            var reports = rig.ChunkReports();
            var sent = reports.Where(r => r.Type == MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT).ToList();
            output.WriteLine($"{rig.Os.FramesProduced} frames produced, {sent.Count} sent, {reports.Count(r => r.Chunk == MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED)} dropped");
            Assert.True(sent.Count >= 30, $"{sent.Count} frames sent in 3 s");
            Assert.All(sent, s => Assert.Equal(0UL, s.Part));
            Assert.True(sent.Zip(sent.Skip(1)).All(p => p.First.Frame < p.Second.Frame), "CHUNK_SENT frame numbers rise");
            foreach (var frame in sent)
            {
                var ofFrame = reports.Where(r => r.Frame == frame.Frame).ToList();
                Assert.Equal(
                    [(MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE, MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE, frame.Frame, 0UL), frame],
                    ofFrame);
            }

            Assert.All(rig.Os.Statistics.Where(r => r.Data.StatisticType == MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE && r.Data.EncodeComplete.ChunkInfo.ChunkType == MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE), r =>
            {
                Assert.InRange(r.Data.EncodeComplete.ChunkInfo.ProcessingTime, 1u, 1_000_000u); // µs of a real OpenH264 encode
                Assert.InRange(r.Data.EncodeComplete.ChunkInfo.EncodeRate, 1_000u, 16_800u); // kbit/s: 20 Mbit/s offered, level 3.1 allows 16.8 (the pipeline clamps)
            });

            Assert.Empty(rig.Os.HeldSlots); // every slot given back
            Assert.True(rig.Os.ChunkResults.GetValueOrDefault(STATUS.STATUS_SUCCESS) > 0);
            Assert.True(rig.Sink.Statistics.IsLossless, rig.Sink.Statistics.ToString());
            rig.Destroy();
            Assert.InRange(rig.Os.DestroyDuration, TimeSpan.Zero, ContractBudget);
            Assert.Empty(rig.Os.Violations);
            Assert.Equal(0, DriverExports.LiveContextCount);
            Assert.Equal(threadsBefore, DriverHarness.OurThreads()); // no thread of ours outlives Destroy

            int decoded = await AssertDecodesAsync(rig.VideoCapture(), minimumFrames: 30);
            Assert.True(decoded <= sent.Count, $"{decoded} pictures reached the sink, {sent.Count} CHUNK_SENT: every picture sent is reported");
        }
    }

    [Fact]
    public async Task Frames_of_two_slices_report_each_part_then_send_each_part_with_the_last_part_0()
    {
        await using DriverRig rig = await DriverRig.StartAsync(output, services: s => s.Configure<MiraflowOptions>(o => o.SlicesPerPicture = 2));
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
        await rig.WaitUntilStreamingAsync();
        await DriverRig.WaitUntilAsync(() => rig.ChunkReports().Count(r => r.Type == MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT) >= 20, TimeSpan.FromSeconds(10), "20 CHUNK_SENT");
        rig.Stop();

        var reports = rig.ChunkReports();
        var frames = reports.Where(r => r.Type == MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT && r.Part == 0).Select(r => r.Frame).ToList();
        Assert.True(frames.Count >= 10);
        foreach (ulong frame in frames)
        {
            // The contract's worked example (§2.10): ENCODE_COMPLETE 1, 0, then CHUNK_SENT 1, 0.
            Assert.Equal(
                [
                    (MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE, MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE, frame, 1UL),
                    (MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE, MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE, frame, 0UL),
                    (MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT, MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_UNKNOWN, frame, 1UL),
                    (MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT, MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_UNKNOWN, frame, 0UL),
                ],
                reports.Where(r => r.Frame == frame));
        }

        await AssertDecodesAsync(rig.VideoCapture(), minimumFrames: 10);
    }

    [Fact]
    public async Task A_rate_that_cannot_carry_1024x768_fails_start_with_device_insufficient_resources()
    {
        await using DriverRig rig = await DriverRig.StartAsync(output, bitrate: 1_500_000);

        Assert.Equal(STATUS.STATUS_DEVICE_INSUFFICIENT_RESOURCES, rig.StartStatus);
        Assert.Equal(0u, rig.Info.Value);
        Assert.False(rig.Os.DataRateRegistered); // the failed Start cleaned up on its own thread
        await Task.Delay(300);
        Assert.DoesNotContain(rig.Os.IoControls, r => r.Type == KernelMessageType.MonitorArrival);
        Assert.Empty(rig.Os.SessionStatuses); // the failure is Start's return value, not a status report
        Assert.False(rig.Sink.Streaming.IsCompletedSuccessfully); // nothing was sent; the OS closes the RTSP socket next
    }

    [Fact]
    public async Task Get_next_chunk_data_codes_timeout_buffer_too_small_reset_and_the_stop_event_are_each_handled()
    {
        await using DriverRig rig = await DriverRig.StartAsync(output);
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
        await rig.WaitUntilStreamingAsync();
        MediaPipelineStatistics Stats() => DriverRig.Controller.Media!.Pipeline.Statistics;

        // STATUS_TIMEOUT: the OS stops presenting; the reader keeps asking, the session stays.
        rig.Os.PausePresenting();
        await DriverRig.WaitUntilAsync(() => rig.Os.ChunkResults.GetValueOrDefault(STATUS.STATUS_TIMEOUT) >= 2, TimeSpan.FromSeconds(5), "two timeouts");
        rig.Os.ResumePresenting();

        // STATUS_BUFFER_TOO_SMALL: a chunk whose private data is bigger than the reader's buffer; it grows and reads it.
        Assert.True(rig.Os.SubmitChunk(ChunkType.FrameStart, new ChunkId(1_000_000, 0), new byte[ChunkFrameSource.InitialBufferSize * 3]));
        await DriverRig.WaitUntilAsync(() => rig.Os.ChunkResults.GetValueOrDefault(STATUS.STATUS_BUFFER_TOO_SMALL) >= 1 && rig.Os.QueuedChunks <= 1, TimeSpan.FromSeconds(5), "the big chunk read");

        // STATUS_CONNECTION_RESET: the next unit sent is an IDR.
        long idrs = Stats().IdrUnitsSent;
        rig.Os.ForceOverflow();
        await DriverRig.WaitUntilAsync(() => rig.Os.ChunkResults.GetValueOrDefault(STATUS.STATUS_CONNECTION_RESET) == 1, TimeSpan.FromSeconds(5), "the reset");
        await DriverRig.WaitUntilAsync(() => Stats().IdrUnitsSent > idrs, TimeSpan.FromSeconds(5), "an IDR after the reset");

        // STATUS_WAIT_0: Stop signals the reader's stop event and it returns at once. The reader
        // must be waiting in GetNextChunkData then, not busy with a chunk (a busy reader sees the
        // cancelled token before its next call and never needs the event): the OS stops presenting
        // and the reader has timed out once since, so it is idle in its wait.
        await Task.Delay(TimeSpan.FromSeconds(1));
        rig.Os.PausePresenting();
        long timeouts = rig.Os.ChunkResults.GetValueOrDefault(STATUS.STATUS_TIMEOUT);
        await DriverRig.WaitUntilAsync(() => rig.Os.ChunkResults.GetValueOrDefault(STATUS.STATUS_TIMEOUT) > timeouts, TimeSpan.FromSeconds(5), "the reader idle in GetNextChunkData");
        rig.Stop();
        Assert.True(rig.Os.EventWakeups >= 1, "the stop event woke GetNextChunkData");
        Assert.Empty(rig.Os.HeldSlots);
        Assert.Empty(rig.Os.SessionStatuses);
        Assert.True(rig.Sink.Statistics.IsLossless, rig.Sink.Statistics.ToString());
        await AssertDecodesAsync(rig.VideoCapture(), minimumFrames: 10);
    }

    [Fact]
    public async Task Instance_not_available_ends_the_chunk_reader_and_the_session_without_a_status_report()
    {
        await using DriverRig rig = await DriverRig.StartAsync(output);
        await rig.WaitUntilStreamingAsync();

        rig.Os.DestroyKernelContext(); // the KMD's context goes away under the running UMD (§3.1)
        await DriverRig.WaitUntilAsync(() => rig.Os.ChunkResults.GetValueOrDefault(STATUS.STATUS_INSTANCE_NOT_AVAILABLE) >= 1, TimeSpan.FromSeconds(5), "INSTANCE_NOT_AVAILABLE");

        // The frame source ended, so the session ends: TEARDOWN to the sink, no status (the OS destroyed it and knows).
        SinkEnded ended = await rig.Sink.Ended.WaitAsync(TimeSpan.FromSeconds(5));
        output.WriteLine($"sink: {ended}");
        await Task.Delay(300);
        Assert.Equal(1, rig.Os.ChunkResults[STATUS.STATUS_INSTANCE_NOT_AVAILABLE]); // the reader did not ask again
        Assert.Empty(rig.Os.SessionStatuses);

        rig.Stop();
        rig.Destroy();
        Assert.InRange(rig.Os.StopDuration, TimeSpan.Zero, ContractBudget);
        Assert.Empty(rig.Os.Violations);
    }

    [Fact]
    public async Task Power_off_sends_the_sink_to_standby_and_power_on_resumes_with_an_idr_in_the_same_session()
    {
        await using DriverRig rig = await DriverRig.StartAsync(output);
        await rig.WaitUntilStreamingAsync();
        await Task.Delay(500);
        var controller = DriverRig.Controller;
        var media = controller.Media!;

        Assert.Equal(STATUS.STATUS_SUCCESS, rig.Os.PowerOff());
        await DriverRig.WaitUntilAsync(() => media.Pipeline.Paused, TimeSpan.FromSeconds(5), "the sink to accept standby (M12)");
        await Task.Delay(100); // a unit the send block had already started goes out
        long sentInStandby = media.Pipeline.Statistics.VideoUnitsSent;
        await Task.Delay(500);
        Assert.Equal(sentInStandby, media.Pipeline.Statistics.VideoUnitsSent); // nothing sent while the sink is in standby
        long idrs = media.Pipeline.Statistics.IdrUnitsSent;

        Assert.Equal(STATUS.STATUS_SUCCESS, rig.Os.PowerOn());
        await DriverRig.WaitUntilAsync(() => media.Pipeline.Statistics.VideoUnitsSent > sentInStandby + 10, TimeSpan.FromSeconds(5), "sending to resume");
        Assert.Same(controller, DriverRig.Controller); // no reconnect: the same session
        Assert.True(media.Pipeline.Statistics.IdrUnitsSent > idrs, "the resume starts with an IDR");
        Assert.Empty(rig.Os.SessionStatuses);
        rig.Stop();
        Assert.True(rig.Sink.Statistics.IsLossless, $"the sink saw losses: {rig.Sink.Statistics}");
        await AssertDecodesAsync(rig.VideoCapture(), minimumFrames: (int)sentInStandby + 10); // what went out before standby, and after
    }

    [Fact]
    public async Task Stop_returns_within_three_seconds_when_the_sink_stopped_reading()
    {
        await using DriverRig rig = await DriverRig.StartAsync(output, relay: true);
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
        await rig.WaitUntilStreamingAsync();

        rig.Relay.Freeze(); // TEARDOWN will get no M8
        long start = Stopwatch.GetTimestamp();
        rig.Stop();
        TimeSpan took = Stopwatch.GetElapsedTime(start);
        Assert.InRange(took, TimeSpan.FromSeconds(1.5), ContractBudget); // it waited for M8 (2 s), and no longer than the budget
        rig.Destroy();
        Assert.Empty(rig.Os.Violations);
    }

    [Fact]
    public async Task An_exception_thrown_inside_the_pipeline_ends_the_session_with_critical_error_and_never_reaches_the_os()
    {
        await using DriverRig rig = await DriverRig.StartAsync(output, services: s => s.AddSingleton<IPipelineStage>(new ThrowingStage(after: 10)));
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);

        (MIRACAST_STATUS status, int ntstatus) = await rig.Os.SessionStatusReported.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(MIRACAST_STATUS.MIRACAST_STATUS_CRITICAL_ERROR, status);
        Assert.Equal(STATUS.STATUS_UNSUCCESSFUL, ntstatus);
        await rig.Sink.Ended.WaitAsync(TimeSpan.FromSeconds(5)); // TEARDOWN went to the sink
        rig.Stop(); // the OS stops and destroys after a reported error (§2.9)
        rig.Destroy();
        Assert.Single(rig.Os.SessionStatuses);
        Assert.Empty(rig.Os.Violations);
    }

    [Fact]
    public async Task A_sink_teardown_is_reported_as_sink_disconnect_request()
    {
        await using DriverRig rig = await DriverRig.StartAsync(output);
        await rig.WaitUntilStreamingAsync();

        _ = await rig.Sink.TeardownAsync();
        (MIRACAST_STATUS status, _) = await rig.Os.SessionStatusReported.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(MIRACAST_STATUS.MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST, status);
    }

    [Fact]
    public async Task Data_rate_notifications_steer_the_encoder_and_a_link_too_slow_for_the_mode_ends_the_session()
    {
        var os = new OsEmulatorOptions { DataRateInterval = TimeSpan.FromMilliseconds(100) };
        await using DriverRig rig = await DriverRig.StartAsync(output, os: os);
        await rig.WaitUntilStreamingAsync();
        var media = DriverRig.Controller.Media!;
        int before = media.BitrateController.Target;

        rig.Os.DataRate = rig.Os.DataRate with { EncoderBitRate = 3_000_000, CurrentMaxTxDataRate = 6_000_000 };
        await DriverRig.WaitUntilAsync(() => media.BitrateController.Target <= 3_000_000, TimeSpan.FromSeconds(5), "the encoder to follow 3 Mbit/s");
        output.WriteLine($"target {before} → {media.BitrateController.Target} bit/s");

        rig.Os.DataRate = rig.Os.DataRate with { EncoderBitRate = 500_000, CurrentMaxTxDataRate = 1_000_000 };
        (MIRACAST_STATUS status, _) = await rig.Os.SessionStatusReported.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(MIRACAST_STATUS.MIRACAST_STATUS_INSUFFICIENT_BANDWIDTH, status);
    }

    private async Task<int> AssertDecodesAsync(byte[] capture, int minimumFrames)
    {
        string directory = Directory.CreateTempSubdirectory("miraflow-driver-").FullName;
        try
        {
            string path = Path.Combine(directory, "video.ts");
            await File.WriteAllBytesAsync(path, capture);
            ToolResult decode = await ExternalTool.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:v", "-f", "framemd5", "-"], TimeSpan.FromMinutes(2));
            int frames = decode.StandardOutput.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
            output.WriteLine($"ffmpeg decoded {frames} frames from {capture.Length} bytes");
            Assert.True(decode.ExitCode == 0 && decode.StandardError.Length == 0, decode.Describe());
            Assert.True(frames >= minimumFrames, $"{frames} frames decoded");
            return frames;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>A pipeline stage that throws at its n-th unit.</summary>
    private sealed class ThrowingStage(int after) : IPipelineStage
    {
        private int _seen;

        public EncodedFrame? Process(EncodedFrame unit) =>
            ++_seen > after ? throw new InvalidOperationException("a stage failed on purpose") : unit;
    }
}
