using System.Globalization;
using Miraflow.Simulator.Tests.Demo;

namespace Miraflow.Simulator.Tests.Cli;

/// <summary><c>miraflow sink --connect</c> as a process: what it does without a source, and with bad capabilities (the session itself: <see cref="SourceCommandTests"/>).</summary>
[Collection(SessionProcesses.Name)]
[Trait("Category", "integration")]
public sealed class SinkCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("miraflow-sink-").FullName;

    [Fact]
    public async Task No_source_listening_is_exit_code_4_with_one_line()
    {
        string endPoint = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{SessionProcesses.FreePort()}");
        ToolResult result = await MiraflowProcess.RunAsync(["sink", "--connect", endPoint, "--out", Path.Combine(_directory, "x.ts")]);

        Assert.True(result.ExitCode == 4, result.Describe());
        Assert.StartsWith($"miraflow: error: cannot connect to {endPoint}: ", result.StandardError, StringComparison.Ordinal);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_missing_capabilities_file_is_exit_code_3()
    {
        ToolResult result = await MiraflowProcess.RunAsync(["sink", "--connect", "127.0.0.1:7236", "--caps", "no-such-caps.txt"]);

        Assert.True(result.ExitCode == 3, result.Describe());
        Assert.Equal("miraflow: error: --caps no-such-caps.txt: no such file.", result.StandardError.TrimEnd('\n'));
    }

    [Theory]
    [InlineData("wfd_video_formats: zz\n", "wfd_video_formats: ")] // a malformed line
    [InlineData("[a source's log]   wfd_video_formats: 00 00 01 01 00000020 00000000 00000000 00 0000 0000 00 none none\n", "there is no wfd_video_formats line")] // no line kept
    public async Task A_capabilities_file_it_cannot_use_is_exit_code_3_with_one_line(string content, string why)
    {
        string caps = Path.Combine(_directory, "caps.txt");
        await File.WriteAllTextAsync(caps, content);
        ToolResult result = await MiraflowProcess.RunAsync(["sink", "--connect", "127.0.0.1:7236", "--caps", caps]);

        Assert.True(result.ExitCode == 3, result.Describe());
        Assert.StartsWith($"miraflow: error: --caps {caps}: Malformed sink capabilities in {caps}: {why}", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.StandardError.TrimEnd('\n'));
    }

    [Fact]
    public async Task A_missing_connect_option_is_exit_code_2()
    {
        ToolResult result = await MiraflowProcess.RunAsync(["sink"]);

        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("--connect", result.StandardError, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
