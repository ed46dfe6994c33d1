using System.Diagnostics;
using Xunit.Sdk;

namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>The tool runner cannot hang a test, and a missing tool fails it with what to install.</summary>
[Trait("Category", "unit")]
public sealed class ExternalToolTests
{
    [Fact]
    public async Task A_tool_that_runs_too_long_is_killed_and_reported()
    {
        var elapsed = Stopwatch.StartNew();

        TimeoutException e = await Assert.ThrowsAsync<TimeoutException>(() => ExternalTool.RunAsync("sleep", ["30"], TimeSpan.FromMilliseconds(300)));

        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), $"Took {elapsed.Elapsed}.");
        Assert.Contains("sleep 30", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_and_exit_code_are_collected()
    {
        ToolResult result = await ExternalTool.RunAsync("sh", ["-c", "echo out; echo err >&2; exit 3"], TimeSpan.FromSeconds(10));

        Assert.Equal((3, "out\n", "err\n"), (result.ExitCode, result.StandardOutput, result.StandardError));
        Assert.Throws<XunitException>(() => result.EnsureSuccess());
    }

    [Fact]
    public void A_missing_tool_fails_with_the_package_to_install()
    {
        XunitException e = Assert.Throws<XunitException>(() => ExternalTool.Require("miraflow-no-such-tool"));

        Assert.Contains("'miraflow-no-such-tool'", e.Message, StringComparison.Ordinal);
        Assert.Contains("eng/apt-packages.txt", e.Message, StringComparison.Ordinal);
    }
}
