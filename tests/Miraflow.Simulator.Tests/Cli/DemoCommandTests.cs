using System.Diagnostics;
using System.Globalization;
using Miraflow.Simulator.Tests.Demo;
using Xunit.Abstractions;

namespace Miraflow.Simulator.Tests.Cli;

/// <summary><c>miraflow demo</c> as a process: a short run passes its checks, its latency figures are the sink's records, bad input has its exit code.</summary>
[Collection(SessionProcesses.Name)]
[Trait("Category", "integration")]
public sealed class DemoCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("miraflow-demo-").FullName;

    [Fact]
    public async Task A_3_second_demo_exits_0_prints_the_summary_and_writes_a_capture_ffmpeg_decodes_silently()
    {
        string capture = Path.Combine(_directory, "capture.ts");
        string csv = Path.Combine(_directory, "latency.csv");
        ToolResult result = await MiraflowProcess.RunAsync(["demo", "--seconds", "3", "--mode", "1280x720p30", "--bitrate", "6M", "--out", capture, "--latency-csv", csv]);
        output.WriteLine(result.Describe());

        Assert.True(result.ExitCode == 0, result.Describe());
        string stdout = result.StandardOutput;
        Assert.Contains("streaming", stdout, StringComparison.Ordinal);
        Assert.Equal("1280x720p30", SessionProcesses.SummaryValue(stdout, "mode"));
        Assert.Equal("PASS", SessionProcesses.SummaryValue(stdout, "result"));
        Assert.Equal("0", SessionProcesses.SummaryValue(stdout, "contract violations"));
        Assert.Equal("0", SessionProcesses.SummaryValue(stdout, "sequence gaps"));
        Assert.Equal("0", SessionProcesses.SummaryValue(stdout, "CC errors"));
        long sent = long.Parse(SessionProcesses.SummaryValue(stdout, "frames sent"), CultureInfo.InvariantCulture);
        Assert.InRange(sent, 20, 200); // 3 s of 30 fps, less what a busy machine drops
        Assert.Equal(sent, long.Parse(SessionProcesses.SummaryValue(stdout, "video PES at the sink"), CultureInfo.InvariantCulture));
        Assert.StartsWith($"clean: {sent} frames, ", SessionProcesses.SummaryValue(stdout, "analyzer"), StringComparison.Ordinal); // our analyzer judged the capture
        Assert.True(SessionProcesses.LeadingNumber(SessionProcesses.SummaryValue(stdout, "data-rate notifications")) >= 2);
        Assert.True(SessionProcesses.LeadingNumber(SessionProcesses.SummaryValue(stdout, "Stop")) < 3000);
        Assert.True(SessionProcesses.LeadingNumber(SessionProcesses.SummaryValue(stdout, "Destroy")) < 3000);
        Assert.Empty(result.StandardError);

        Assert.True(File.Exists(capture));
        int decoded = await SessionProcesses.DecodeVideoAsync(capture);
        Assert.True(decoded >= 10 && decoded <= sent, $"{decoded} pictures decoded, {sent} sent");
    }

    [Fact]
    public async Task A_demo_capture_plays_in_VLC_with_sound_and_nothing_corrupt_discontinuous_or_lost()
    {
        string capture = Path.Combine(_directory, "vlc.ts");
        ToolResult result = await MiraflowProcess.RunAsync(["demo", "--seconds", "3", "--mode", "1280x720p30", "--bitrate", "6M", "--out", capture]);
        Assert.True(result.ExitCode == 0, result.Describe());
        long sent = long.Parse(SessionProcesses.SummaryValue(result.StandardOutput, "frames sent"), CultureInfo.InvariantCulture);

        IReadOnlyDictionary<string, long> played = await VlcPlayer.PlayAsync(capture, TimeSpan.FromSeconds(60));
        output.WriteLine(string.Join('\n', played.Select(p => $"{p.Key}: {p.Value}")));

        Assert.Equal(0, played["demux corrupted"]);
        Assert.Equal(0, played["discontinuities"]);
        Assert.True(played["video decoded"] >= sent, $"VLC decoded {played["video decoded"]} video blocks of the {sent} frames sent");
        Assert.True(played["frames displayed"] > 0, "VLC displayed no picture");
        Assert.Equal(0, played["frames lost"]);
        Assert.True(played["audio decoded"] > 0, "VLC decoded none of the LPCM audio");
        Assert.Equal(0, played["buffers lost"]);

        // The judge can fail: 40 packets cut from the middle of the same capture are a discontinuity to VLC.
        byte[] bytes = await File.ReadAllBytesAsync(capture);
        int cut = bytes.Length / 188 / 2 * 188;
        string broken = Path.Combine(_directory, "vlc-cut.ts");
        await File.WriteAllBytesAsync(broken, [.. bytes.AsSpan(0, cut), .. bytes.AsSpan(cut + (40 * 188))]);
        IReadOnlyDictionary<string, long> brokenPlay = await VlcPlayer.PlayAsync(broken, TimeSpan.FromSeconds(60));
        Assert.True(brokenPlay["discontinuities"] + brokenPlay["demux corrupted"] > 0, string.Join(", ", brokenPlay.Select(p => $"{p.Key}: {p.Value}")));
    }

    [Fact]
    public async Task The_printed_latency_percentiles_are_those_of_the_sink_arrivals_against_the_capture_times()
    {
        string csv = Path.Combine(_directory, "latency.csv");
        ToolResult result = await MiraflowProcess.RunAsync(["demo", "--seconds", "2", "--mode", "640x480p60", "--out", Path.Combine(_directory, "c.ts"), "--latency-csv", csv]);
        Assert.True(result.ExitCode == 0, result.Describe());

        // Recompute from the records: latency_k = arrival_k − capture(frame_k), nearest-rank percentiles.
        string[] lines = await File.ReadAllLinesAsync(csv);
        long frequency = long.Parse(lines[0].Split('=')[1], CultureInfo.InvariantCulture);
        Assert.Equal(Stopwatch.Frequency, frequency);
        var rows = lines.Skip(2).Select(l => l.Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal(long.Parse(SessionProcesses.SummaryValue(result.StandardOutput, "frames sent"), CultureInfo.InvariantCulture), rows.Count);
        Assert.True(rows.Zip(rows.Skip(1)).All(p => p.First[0] < p.Second[0] && p.First[3] <= p.Second[3]), "frames rise, arrivals in order");
        Assert.All(rows, r => Assert.True(r[1] <= r[2] && r[2] <= r[3], $"frame {r[0]}: captured {r[1]} ≤ sent {r[2]} ≤ arrived {r[3]}"));

        double[] sink = [.. rows.Select(r => (r[3] - r[1]) * 1000.0 / frequency).Order()];
        double[] send = [.. rows.Select(r => (r[2] - r[1]) * 1000.0 / frequency).Order()];
        static double Rank(double[] sorted, double p) => sorted[(int)Math.Ceiling(p / 100 * sorted.Length) - 1];
        string Ms(double v) => v.ToString("F2", CultureInfo.InvariantCulture) + " ms";
        Assert.Equal(Ms(Rank(sink, 50)), SessionProcesses.SummaryValue(result.StandardOutput, "latency p50"));
        Assert.Equal(Ms(Rank(sink, 99)), SessionProcesses.SummaryValue(result.StandardOutput, "latency p99"));
        Assert.Equal($"{Ms(Rank(send, 50))} / {Ms(Rank(send, 99))}", SessionProcesses.SummaryValue(result.StandardOutput, "capture->send p50/p99"));
        Assert.True(Rank(send, 50) <= Rank(sink, 50), "the driver sends before the sink receives");
    }

    [Fact]
    public async Task An_input_file_of_the_modes_size_is_presented_and_streamed()
    {
        string yuv = Path.Combine(_directory, "input.yuv");
        ExternalTool.Ffmpeg("-f", "lavfi", "-i", "testsrc=size=640x480:rate=30", "-frames:v", "15", "-pix_fmt", "yuv420p", "-f", "rawvideo", yuv);
        string capture = Path.Combine(_directory, "input.ts");
        ToolResult result = await MiraflowProcess.RunAsync(["demo", "--seconds", "2", "--mode", "640x480p60", "--input", yuv, "--out", capture]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains($"picture: {yuv}", result.StandardOutput, StringComparison.Ordinal);
        Assert.True(await SessionProcesses.DecodeVideoAsync(capture) >= 10);
    }

    [Fact]
    public async Task A_stream_that_outgrows_max_capture_fails_the_checks_and_says_what_to_change()
    {
        string capture = Path.Combine(_directory, "cut.ts");
        ToolResult result = await MiraflowProcess.RunAsync(["demo", "--seconds", "1", "--mode", "640x480p60", "--max-capture", "100K", "--out", capture]);

        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.StartsWith("miraflow: error: ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("the stream outgrew the capture (--max-capture 102400 bytes), so the demo cannot check all of it: raise --max-capture or shorten --seconds", result.StandardError, StringComparison.Ordinal);
        long kept = new FileInfo(capture).Length;
        Assert.InRange(kept, 102_400 - 1316 + 1, 102_400); // whole datagrams, up to the limit
        Assert.Equal(0, kept % 188);
        Assert.Equal(FormattableString.Invariant($"{capture} ({kept} bytes: only the beginning, --max-capture was reached)"), SessionProcesses.SummaryValue(result.StandardOutput, "capture"));
    }

    [Theory]
    [InlineData("--mode", "1921x1080p30", "--mode '1921x1080p30' is not a WFD mode")]
    [InlineData("--bitrate", "fast", "--bitrate 'fast' is not a bitrate")]
    [InlineData("--bitrate", "0", "--bitrate '0' is not a bitrate")]
    [InlineData("--seconds", "-1", "--seconds must be 0 to 86400, not -1.")]
    [InlineData("--max-capture", "1025G", "--max-capture '1025G' is not a size from 188 bytes to 1024G")]
    public async Task A_bad_argument_is_a_usage_error_with_exit_code_2(string option, string value, string message)
    {
        ToolResult result = await MiraflowProcess.RunAsync(["demo", option, value]);

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.StartsWith($"miraflow: {message}", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(result.StandardOutput);
    }

    [Theory]
    [InlineData("--input", "no-such-picture.yuv", "miraflow: error: --input no-such-picture.yuv: no such file.")]
    [InlineData("--driver", "no-such-driver.so", "miraflow: error: --driver no-such-driver.so: no such file.")]
    public async Task A_missing_file_is_exit_code_3_with_one_line(string option, string value, string line)
    {
        ToolResult result = await MiraflowProcess.RunAsync(["demo", "--seconds", "1", option, value, "--out", Path.Combine(_directory, "x.ts")]);

        Assert.True(result.ExitCode == 3, result.Describe());
        Assert.Equal(line, result.StandardError.TrimEnd('\n'));
    }

    [Fact]
    public async Task An_out_file_that_cannot_be_created_is_exit_code_3_with_one_line()
    {
        string capture = Path.Combine(_directory, "no-such-directory", "x.ts");
        ToolResult result = await MiraflowProcess.RunAsync(["demo", "--seconds", "1", "--mode", "640x480p60", "--out", capture]);

        Assert.True(result.ExitCode == 3, result.Describe());
        string error = result.StandardError.TrimEnd('\n');
        Assert.DoesNotContain('\n', error);
        Assert.StartsWith($"miraflow: error: --out {capture}: cannot write it: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_input_that_is_not_a_whole_number_of_pictures_is_exit_code_3()
    {
        string yuv = Path.Combine(_directory, "short.yuv");
        await File.WriteAllBytesAsync(yuv, new byte[1000]);
        ToolResult result = await MiraflowProcess.RunAsync(["demo", "--seconds", "1", "--mode", "640x480p60", "--input", yuv, "--out", Path.Combine(_directory, "x.ts")]);

        Assert.True(result.ExitCode == 3, result.Describe());
        Assert.StartsWith($"miraflow: error: --input {yuv}: ", result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
