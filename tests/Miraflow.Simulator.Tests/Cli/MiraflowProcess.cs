namespace Miraflow.Simulator.Tests.Cli;

/// <summary>Runs the built <c>miraflow</c> command as a process (the apphost copied next to the tests).</summary>
internal static class MiraflowProcess
{
    /// <summary>The apphost.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "miraflow.exe" : "miraflow");

    /// <summary>Runs <c>miraflow</c> with <paramref name="args"/> and waits for it, at most <paramref name="timeout"/> (default 2 min).</summary>
    public static Task<ToolResult> RunAsync(IReadOnlyList<string> args, TimeSpan? timeout = null) =>
        ExternalTool.RunAsync(Path, args, timeout ?? TimeSpan.FromMinutes(2));

    /// <summary>Starts <c>miraflow</c> and returns the running process (for commands that run until stopped or read lines while they run).</summary>
    public static RunningTool Start(IReadOnlyList<string> args) => ExternalTool.Start(Path, args);
}
