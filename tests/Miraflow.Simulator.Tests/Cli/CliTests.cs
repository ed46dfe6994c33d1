namespace Miraflow.Simulator.Tests.Cli;

/// <summary>The command line's frame: help, usage errors and their exit code, as a process.</summary>
[Trait("Category", "integration")]
public sealed class CliTests
{
    [Fact]
    public async Task Help_lists_the_command_and_exits_0()
    {
        ToolResult result = await MiraflowProcess.RunAsync(["--help"]);
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("miraflow", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--verbose", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_is_one_line_on_stderr_and_exit_code_2()
    {
        ToolResult result = await MiraflowProcess.RunAsync(["frobnicate"]);
        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Equal("miraflow: Unrecognized command or argument 'frobnicate'.", result.StandardError.Split('\n')[0]);
        Assert.Empty(result.StandardOutput);
    }
}
