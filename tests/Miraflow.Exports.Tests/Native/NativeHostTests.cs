using System.Globalization;
using System.Net;
using Miraflow.Pipeline.Ts;
using Miraflow.Rtsp.Sessions;
using Miraflow.Simulator.Sink;
using Xunit.Abstractions;

namespace Miraflow.Exports.Tests.Native;

/// <summary>
/// The driver as Linux loads it: the NativeAOT library, dlopen'ed by tests/native/miraflow_host.c,
/// which plays the OS and a minimal kernel-mode driver (docs/kernel-protocol.md), with our sink
/// emulator dialling the RTSP port the host listens on.
/// </summary>
[Collection(NativeHostGroup.Name)]
[Trait("Category", "integration")]
public sealed class NativeHostTests(NativeDriverFixture driver, ITestOutputHelper output)
{
    /// <summary>A sink that takes only 1280×720p30 CBP 3.1 and 48 kHz stereo LPCM.</summary>
    private static readonly string s_sink720p30 = TestSinks.Sink720p30;

    private static readonly TimeSpan HostTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_published_library_exports_the_query_function_and_the_host_loads_queries_creates_and_destroys()
    {
        output.WriteLine(driver.PublishLog);
        Assert.True(File.Exists(driver.DriverPath), driver.DriverPath);
        ToolResult symbols = (await ExternalTool.RunAsync("nm", ["-D", "--defined-only", driver.DriverPath], TimeSpan.FromMinutes(1))).EnsureSuccess();
        Assert.Contains(symbols.StandardOutput.Split('\n'), line => line.Contains(" T QueryMiracastDriverInterface", StringComparison.Ordinal));

        ToolResult smoke = await ExternalTool.RunAsync(driver.HostPath, ["--smoke", driver.DriverPath], HostTimeout);
        output.WriteLine(smoke.Describe());
        Assert.True(smoke.ExitCode == 0, smoke.Describe());
        string[] lines = smoke.StandardOutput.Split('\n');
        Assert.Contains("QUERY status=0x00000000 size=48", lines);
        Assert.Contains("QUERY_V2 status=0xc00000bb", lines);
        Assert.Contains(lines, l => l.StartsWith("CREATE status=0x00000000 ", StringComparison.Ordinal));
        Assert.Contains("RESULT ok", lines);
    }

    [Fact]
    public async Task The_host_plays_the_OS_and_KMD_for_a_stand_in_driver_chunks_flow_slots_come_back_and_data_rate_ticks()
    {
        using RunningTool host = ExternalTool.Start(driver.HostPath, [driver.FakeDriverPath, "2.5"]);
        int port = await ReadListenPortAsync(host);
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        ToolResult session = await host.WaitForExitAsync(HostTimeout);
        output.WriteLine(session.Describe(20_000));

        Assert.True(session.ExitCode == 0, session.Describe(20_000));
        string[] lines = session.StandardOutput.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("START status=0x00000000 monitor=1 reduced=0 ", StringComparison.Ordinal));
        Assert.Contains("MONITOR_ARRIVAL connector=15 mode=1280x720@30 edid=0 after_start=yes", lines);
        double produced = Summary(lines, "frames_produced");
        Assert.InRange(produced, 30, 80); // 2.5 s at 30 fps on a busy machine
        Assert.Equal(0, Summary(lines, "queue_overflows"));
        // Every chunk reaches the stand-in, but for the one or two the GPU makes while Stop runs.
        Assert.InRange(produced + Summary(lines, "frames_dropped") - Summary(lines, "chunks_delivered"), 0, 2);
        Assert.Equal(Summary(lines, "stat_chunk_sent"), Summary(lines, "io_slots_released"));
        Assert.True(Summary(lines, "stat_chunk_sent") >= produced - 2);
        Assert.Equal((1.0, 1.0), (Summary(lines, "datarate_registrations"), Summary(lines, "datarate_unregistrations")));
        Assert.InRange(Summary(lines, "datarate_calls"), 1, 3);
        Assert.Equal(1, Summary(lines, "wait_events")); // the stand-in's stop event
        Assert.Equal(0, Summary(lines, "io_bad_releases"));
        Assert.Contains("RESULT ok", lines);
    }

    [Fact]
    public async Task A_whole_session_streams_720p30_from_the_host_to_the_sink_and_stops_and_destroys_within_3_s()
    {
        ExternalTool.Require("ffmpeg");
        using RunningTool host = ExternalTool.Start(driver.HostPath, [driver.DriverPath, "3", "20000000"]);
        int port = await ReadListenPortAsync(host);

        await using SinkEmulator sink = await SinkEmulator.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), SinkEmulatorOptions.FromText(s_sink720p30));
        ToolResult session = await host.WaitForExitAsync(HostTimeout);
        output.WriteLine(session.Describe(20_000));
        SinkEnded ended = await sink.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        SinkStatistics stats = sink.Statistics;
        output.WriteLine($"sink: {ended}; {stats}");

        Assert.True(session.ExitCode == 0, session.Describe(20_000));
        string[] lines = session.StandardOutput.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("START status=0x00000000 monitor=1 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("MONITOR_ARRIVAL ", StringComparison.Ordinal) && l.Contains("mode=1280x720@30", StringComparison.Ordinal) && l.EndsWith("after_start=yes", StringComparison.Ordinal));
        Assert.Contains("SUMMARY arrival_after_start=yes", lines);
        Assert.Contains("SUMMARY chunk_sent_frame_regressions=0", lines);
        Assert.Contains("SUMMARY datarate_registered_after_stop=no", lines);
        Assert.True(Summary(lines, "frames_produced") > 0);
        Assert.True(Summary(lines, "chunks_delivered") > 0);
        Assert.True(Summary(lines, "stat_chunk_sent") > 0);
        Assert.True(Summary(lines, "stop_ms") < 3000);
        Assert.True(Summary(lines, "destroy_ms") < 3000);
        Assert.Contains("RESULT ok", lines);

        Assert.True(stats.Datagrams > 0, stats.ToString());
        Assert.Equal(0, stats.SequenceGaps);
        string directory = Directory.CreateTempSubdirectory("miraflow-native-capture-").FullName;
        try
        {
            // ffmpeg does not know WFD's LPCM stream type (docs/media-transport.md): it judges the video alone.
            // -enc_time_base -1: decoded pictures keep the 90 kHz clock, not ffmpeg's guess of the frame rate (see the Pipeline tests' MediaJudges).
            string video = Path.Combine(directory, "video.ts");
            await File.WriteAllBytesAsync(video, TsPacketFilter.WithoutPid(sink.CaptureTs(), TsPid.Audio));
            ToolResult decode = await ExternalTool.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", video, "-enc_time_base", "-1", "-f", "null", "-"], TimeSpan.FromMinutes(2));
            Assert.True(decode.ExitCode == 0 && decode.StandardError.Length == 0, decode.Describe());
            ToolResult frames = await ExternalTool.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", video, "-map", "0:v", "-f", "framemd5", "-"], TimeSpan.FromMinutes(2));
            Assert.True(frames.ExitCode == 0 && frames.StandardOutput.Split('\n').Any(l => l.Length > 0 && l[0] != '#'), frames.Describe());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Waits for the host's <c>LISTEN &lt;port&gt;</c> line.</summary>
    private static async Task<int> ReadListenPortAsync(RunningTool host)
    {
        int port = 0;
        await host.WaitForLineAsync(
            line =>
            {
                if (line.StartsWith("LISTEN ", StringComparison.Ordinal))
                {
                    port = int.Parse(line.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture);
                    return true;
                }

                return false;
            },
            TimeSpan.FromSeconds(30));
        return port;
    }

    private static double Summary(string[] lines, string name)
    {
        string prefix = $"SUMMARY {name}=";
        string line = Assert.Single(lines, l => l.StartsWith(prefix, StringComparison.Ordinal));
        return double.Parse(line.AsSpan(prefix.Length), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
