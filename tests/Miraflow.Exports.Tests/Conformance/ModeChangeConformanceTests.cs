using System.Diagnostics;
using System.Globalization;
using Miraflow.Exports.Interop;
using Miraflow.Exports.Tests.Driver;
using Miraflow.Pipeline.Chunks;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Sessions;
using Miraflow.Simulator.Os;
using Miraflow.Simulator.Sink;
using Xunit.Abstractions;

namespace Miraflow.Exports.Tests.Conformance;

/// <summary>
/// HLK "Verify 1080p", "Verify Mode Change" and the mid-session half of "Verify Sink Failed To Set Mode" (contract
/// §4.3) under simulation: the kernel driver's <c>SetMode</c> (the OS committed a mode on the
/// Miracast target) becomes a mid-session M4; the new mode is reported as an arrival.
/// </summary>
[Collection(DriverTestGroup.Name)]
[Trait("Category", "integration")]
public sealed class ModeChangeConformanceTests(ITestOutputHelper output)
{
    /// <summary>The HLK test's bound on the protocol event after a mode set.</summary>
    private static readonly TimeSpan ProtocolEventBound = TimeSpan.FromMilliseconds(3000);

    /// <summary>CBP level 3.1, CEA 640×480p60 (bit 0), 720×480p60 (bit 1) and 1280×720p30 (bit 5), LPCM 48 kHz stereo.</summary>
    private static readonly string s_threeModeSink = TestSinks.Sink720p30.Replace(
        "wfd_video_formats: 00 00 01 01 00000020", "wfd_video_formats: 00 00 01 01 00000023", StringComparison.Ordinal);

    [Fact]
    public async Task Every_mode_the_sink_offers_is_reachable_and_each_change_is_reported_within_3000_ms()
    {
        await using DriverRig rig = await DriverRig.StartAsync(output, sink: s_threeModeSink);
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
        await rig.WaitUntilStreamingAsync();
        await DriverRig.WaitUntilAsync(() => Arrivals(rig) == 1, TimeSpan.FromSeconds(5), "the first arrival");
        Assert.Equal((1280, 720, 30), ModeOf(rig.Os.Monitor));

        (int Width, int Height, int Fps)[] targets = [(640, 480, 60), (720, 480, 60), (1280, 720, 30)];
        foreach ((int width, int height, int fps) in targets)
        {
            int before = Arrivals(rig);
            var clock = Stopwatch.StartNew();
            Assert.Equal(STATUS.STATUS_SUCCESS, rig.Os.SetMode(width, height, fps));
            await DriverRig.WaitUntilAsync(() => Arrivals(rig) > before, TimeSpan.FromSeconds(15), $"the arrival of {width}×{height}p{fps}");
            TimeSpan eventAfter = clock.Elapsed;
            output.WriteLine($"{width}×{height}p{fps}: MONITOR_ARRIVE after {eventAfter.TotalMilliseconds:F0} ms");
            Assert.InRange(eventAfter, TimeSpan.Zero, ProtocolEventBound);

            // The kernel driver presents the mode the driver reported; the sink was told it in M4.
            Assert.Equal((width, height, fps), ModeOf(rig.Os.Monitor));
            VideoMode negotiated = rig.Sink.Format!.Mode!.Value;
            Assert.Equal((width, height, fps), (negotiated.Width, negotiated.Height, negotiated.FramesPerSecond));
            await Task.Delay(TimeSpan.FromSeconds(1)); // a second of pictures in that mode
        }

        // A mode the sink never offered is refused at once, and the session goes on.
        Assert.Equal(STATUS.STATUS_NOT_SUPPORTED, rig.Os.SetMode(1920, 1080, 30));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        rig.Stop();

        Assert.Empty(rig.Os.SessionStatuses);
        Assert.Empty(rig.Os.Violations);
        Assert.DoesNotContain(rig.Os.IoControls, r => r.Type == KernelMessageType.MonitorDeparture);

        // What the sink received decodes, in the four modes, in order.
        List<string> sizes = [];
        foreach (string size in await DecodedSizesAsync(rig))
        {
            if (sizes.Count == 0 || sizes[^1] != size)
            {
                sizes.Add(size);
            }
        }

        output.WriteLine("decoded sizes in order: " + string.Join(" → ", sizes));
        Assert.Equal(["1280,720", "640,480", "720,480", "1280,720"], sizes);
    }

    [Fact]
    public async Task A_1080p_sink_gets_1920x1080_set_on_the_target_and_in_the_stream()
    {
        // HLK "Verify 1080p": source and target mode 1920×1080 can be set. CEA bit 7 (1080p30), CBP level 4.
        string sink1080 = TestSinks.Sink720p30.Replace(
            "wfd_video_formats: 00 00 01 01 00000020", "wfd_video_formats: 00 00 01 04 00000080", StringComparison.Ordinal);
        await using DriverRig rig = await DriverRig.StartAsync(output, sink: sink1080);
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
        await rig.WaitUntilStreamingAsync();
        await DriverRig.WaitUntilAsync(() => rig.Os.Monitor is not null, TimeSpan.FromSeconds(5), "the arrival");
        Assert.Equal((1920, 1080, 30), ModeOf(rig.Os.Monitor));
        await DriverRig.WaitUntilAsync(() => rig.Sink.VideoPesCount >= 10, TimeSpan.FromSeconds(10), "ten pictures");
        rig.Stop();

        string[] sizes = await DecodedSizesAsync(rig);
        Assert.True(sizes.Length >= 9, $"{sizes.Length} pictures decoded");
        Assert.All(sizes, size => Assert.Equal("1920,1080", size));

        Assert.Empty(rig.Os.Violations);
        Assert.Empty(rig.Os.SessionStatuses);
    }

    [Fact]
    public async Task A_sink_that_refuses_a_mid_session_mode_ends_the_session_with_SINK_FAILED_STANDARD_MODE_CHANGE_and_a_departure()
    {
        // HLK "Verify Sink Failed To Set Mode": on the sink's failure the driver reports it and disconnects the monitor.
        var sinkOptions = new SinkEmulatorOptions
        {
            Capabilities = SinkEmulatorOptions.FromText(s_threeModeSink).Capabilities,
            AcceptFormat = formats => Modes(formats).All(m => m.Width == 1280), // only the first format
        };
        await using DriverRig rig = await DriverRig.StartAsync(output, sinkOptions: sinkOptions);
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
        await rig.WaitUntilStreamingAsync();
        await DriverRig.WaitUntilAsync(() => Arrivals(rig) == 1, TimeSpan.FromSeconds(5), "the first arrival");

        var clock = Stopwatch.StartNew();
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.Os.SetMode(640, 480, 60));
        await DriverRig.WaitUntilAsync(() => rig.Os.SessionStatuses.Count > 0, TimeSpan.FromSeconds(15), "the session status");
        output.WriteLine($"status after {clock.ElapsedMilliseconds} ms");

        SessionStatusRecord status = Assert.Single(rig.Os.SessionStatuses);
        Assert.Equal(MIRACAST_STATUS.MIRACAST_STATUS_SINK_FAILED_STANDARD_MODE_CHANGE, status.Status);
        Assert.Contains(rig.Os.IoControls, r => r.Type == KernelMessageType.MonitorDeparture);
        Assert.Contains(MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_DEPART, rig.Events());
        Assert.Null(rig.Os.Monitor);
        Assert.Equal(1, Arrivals(rig)); // the refused mode was never reported
        Assert.Empty(rig.Os.Violations);
    }

    [Fact]
    public void A_set_mode_message_round_trips_and_bad_ones_are_refused()
    {
        Span<byte> message = stackalloc byte[SetModeMessage.Size];
        new SetModeMessage(1920, 1080, 60).Write(message);
        Assert.Equal(KernelMessageError.None, SetModeMessage.TryRead(message, out SetModeMessage read, out _));
        Assert.Equal(new SetModeMessage(1920, 1080, 60), read);

        Assert.Equal(KernelMessageError.Truncated, SetModeMessage.TryRead(message[..20], out _, out _));
        new SetModeMessage(1920, 0, 60).Write(message);
        Assert.Equal(KernelMessageError.BadField, SetModeMessage.TryRead(message, out _, out string? detail));
        Assert.Contains("1920×0", detail, StringComparison.Ordinal);
        message[6] = (byte)KernelMessageType.PowerOn;
        Assert.Equal(KernelMessageError.WrongType, SetModeMessage.TryRead(message, out _, out _));
    }

    /// <summary>The size of every picture ffprobe decodes from what the sink received ("W,H", in order).</summary>
    private static async Task<string[]> DecodedSizesAsync(DriverRig rig)
    {
        string path = Path.Combine(Path.GetTempPath(), $"miraflow-modes-{Environment.ProcessId}.ts");
        await File.WriteAllBytesAsync(path, await rig.SettledVideoCaptureAsync());
        try
        {
            (int exit, string stdout, string stderr) = ExternalTool.Run("ffprobe", "-v", "error", "-select_streams", "v:0",
                "-show_entries", "frame=width,height", "-of", "csv=p=0", path);
            Assert.True(exit == 0, stderr);
            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int Arrivals(DriverRig rig) => rig.Events().Count(e => e == MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_ARRIVE);

    private static (int, int, int)? ModeOf(MonitorArrivalMessage? monitor) =>
        monitor is { } m ? (m.Width, m.Height, m.FramesPerSecond) : null;

    private static IEnumerable<VideoMode> Modes(WfdVideoFormats formats)
    {
        foreach (H264Codec codec in formats.Codecs)
        {
            foreach (ResolutionTable table in (ResolutionTable[])[ResolutionTable.Cea, ResolutionTable.Vesa, ResolutionTable.Hh])
            {
                for (int bit = 0; bit < 32; bit++)
                {
                    if ((codec.GetBitmap(table) & (1u << bit)) != 0 && VideoModes.TryGet(table, bit, out VideoMode mode))
                    {
                        yield return mode;
                    }
                }
            }
        }
    }
}
