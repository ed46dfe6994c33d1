using System.Diagnostics;
using System.Globalization;
using Miraflow.Simulator.Tests.Demo;
using Xunit.Abstractions;

namespace Miraflow.Simulator.Tests.Cli;

/// <summary><c>miraflow source --listen</c> as a process, served by <c>miraflow sink --connect</c> in another.</summary>
[Collection(SessionProcesses.Name)]
[Trait("Category", "integration")]
public sealed class SourceCommandTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>The driver's RTSP keep-alive answer timeout (SourceSessionOptions.KeepAliveResponseTimeout); a closed TCP connection is noticed at once.</summary>
    private static readonly TimeSpan KeepAliveTimeout = TimeSpan.FromSeconds(10);

    private readonly string _directory = Directory.CreateTempSubdirectory("miraflow-source-").FullName;

    [Fact]
    public async Task Source_and_sink_processes_interoperate_and_both_exit_0_when_the_sink_leaves()
    {
        string capture = Path.Combine(_directory, "sink.ts");
        (ToolResult sink, ToolResult served) = await ServeOneSinkAsync("--seconds", "3", "--out", capture);

        Assert.True(sink.ExitCode == 0, sink.Describe());
        Assert.Contains("negotiated: video 1280x720p30", sink.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("] streaming", sink.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("miraflow sink: sent TEARDOWN after 3 s;", sink.StandardOutput, StringComparison.Ordinal);
        Assert.True(served.ExitCode == 0, served.Describe());
        Assert.Contains("monitor arrived: 1280x720 at 30 fps", served.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("miraflow source: the session ended after", served.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("the sink disconnected (MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST", served.StandardOutput, StringComparison.Ordinal);
        Assert.True(await SessionProcesses.DecodeVideoAsync(capture) >= 10);
    }

    [Fact]
    public async Task A_sink_whose_capture_reaches_max_capture_keeps_the_beginning_checks_the_rest_and_says_so()
    {
        string capture = Path.Combine(_directory, "cut.ts");
        string report = Path.Combine(_directory, "sink.json");
        (ToolResult sink, ToolResult served) = await ServeOneSinkAsync("--seconds", "2", "--out", capture, "--max-capture", "64K", "--report", report);

        Assert.True(sink.ExitCode == 0, sink.Describe()); // the stream was whole; only the file is short, as asked
        long kept = new FileInfo(capture).Length;
        Assert.InRange(kept, (64 * 1024) - 1316 + 1, 64 * 1024);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"capture in {capture} (its first {kept} bytes: --max-capture)"), sink.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{capture} ({kept} bytes: only the beginning, --max-capture was reached)"), SessionProcesses.SummaryValue(sink.StandardOutput, "capture"));
        using var json = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.True(json.RootElement.GetProperty("captureTruncated").GetBoolean());
        Assert.Equal(kept, json.RootElement.GetProperty("captureBytes").GetInt64());
        Assert.True(json.RootElement.GetProperty("bytes").GetInt64() > 10 * kept, "the sink went on receiving and checking past the capture");
        Assert.Equal(0, json.RootElement.GetProperty("sequenceGaps").GetInt64());
        Assert.True(served.ExitCode == 0, served.Describe());
    }

    [Fact]
    public async Task Killing_the_sink_mid_stream_ends_the_source_with_a_session_status_and_exit_code_4()
    {
        int port = SessionProcesses.FreePort();
        string endPoint = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        using RunningTool source = MiraflowProcess.Start(["source", "--listen", endPoint, "--seconds", "60", "--bitrate", "6M"]);
        await source.WaitForLineAsync(l => l.StartsWith("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        using (RunningTool sink = MiraflowProcess.Start(["sink", "--connect", endPoint, "--out", Path.Combine(_directory, "killed.ts")]))
        {
            await sink.WaitForLineAsync(l => l.Contains("] streaming", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            await source.WaitForLineAsync(l => l.Contains("] streaming", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        } // Dispose kills the sink process (SIGKILL): no TEARDOWN, the kernel closes its sockets

        var killed = Stopwatch.StartNew();
        ToolResult served = await source.WaitForExitAsync(KeepAliveTimeout + TimeSpan.FromSeconds(5));
        output.WriteLine(served.Describe());

        Assert.True(killed.Elapsed < KeepAliveTimeout + TimeSpan.FromSeconds(5), $"the source took {killed.Elapsed} to end");
        Assert.True(served.ExitCode == 4, served.Describe());
        string error = served.StandardError.TrimEnd('\n');
        Assert.DoesNotContain('\n', error);
        Assert.Matches(@"^miraflow: error: the session ended after [0-9.]+ s: (the sink disconnected \(MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST|the sink stopped answering keep-alives \(MIRACAST_STATUS_MISSING_KEEPALIVE).*; Stop \d+ ms, Destroy \d+ ms, \d+ frames sent$", error);
    }

    [Theory]
    [InlineData("0.0.0.0:7236", "miraflow: error: --listen 0.0.0.0:7236 is not a loopback address; add --allow-remote to accept sinks from other machines.")]
    [InlineData("nowhere", "miraflow: --listen 'nowhere' is not an address and port (127.0.0.1:7236).")]
    public async Task A_listen_address_that_is_not_loopback_or_not_an_address_is_exit_code_2(string listen, string line)
    {
        ToolResult result = await MiraflowProcess.RunAsync(["source", "--listen", listen]);

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Equal(line, result.StandardError.Split('\n')[0]);
    }

    /// <summary>Runs <c>miraflow source --listen</c> and, against it, <c>miraflow sink</c> as a 720p30 sink with <paramref name="sinkArguments"/>; returns both once they exited.</summary>
    private async Task<(ToolResult Sink, ToolResult Served)> ServeOneSinkAsync(params string[] sinkArguments)
    {
        int port = SessionProcesses.FreePort();
        string endPoint = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        string caps = Path.Combine(_directory, "sink.txt");
        await File.WriteAllTextAsync(caps, TestSinks.Sink720p30);

        using RunningTool source = MiraflowProcess.Start(["source", "--listen", endPoint]);
        await source.WaitForLineAsync(l => l.StartsWith("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        ToolResult sink = await MiraflowProcess.RunAsync(["sink", "--connect", endPoint, "--caps", caps, .. sinkArguments]);
        ToolResult served = await source.WaitForExitAsync(TimeSpan.FromSeconds(15));
        output.WriteLine(sink.Describe());
        output.WriteLine(served.Describe());
        return (sink, served);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
