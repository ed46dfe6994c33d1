using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Sdk;

namespace Miraflow.Testing;

/// <summary>
/// Runs the command-line tools the integration tests use as independent judges (ffmpeg, ffprobe,
/// tshark, dumpcap, tsreport, VLC): arguments passed one by one (no shell, no quoting), standard
/// output and error read asynchronously so a chatty tool cannot deadlock on a full pipe, and
/// every run bounded by a timeout after which the tool and its children are killed.
/// </summary>
/// <remarks>
/// A missing tool fails the test with the package to install: CI installs every tool from
/// <c>eng/apt-packages.txt</c> through <c>setup.sh</c>, so a missing one is a broken machine, not
/// a reason to skip.
/// </remarks>
internal static class ExternalTool
{
    /// <summary>Returns the full path of <paramref name="tool"/> on PATH, or fails the test naming the package that provides it.</summary>
    public static string Require(string tool)
    {
        string[] directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new XunitException(
            $"The integration tests need '{tool}', which is not on PATH ({string.Join(Path.PathSeparator, directories)}). " +
            $"Install the Debian package '{PackageOf(tool)}' (listed in eng/apt-packages.txt; setup.sh installs it).");
    }

    /// <summary>
    /// Runs ffmpeg quietly (<c>-hide_banner -loglevel error -nostdin -y</c>) to make a test input,
    /// failing the test with ffmpeg's messages when it fails.
    /// </summary>
    public static void Ffmpeg(params string[] arguments)
    {
        (int exitCode, _, string errors) = Run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-nostdin", "-y", .. arguments]);
        Assert.True(exitCode == 0, $"ffmpeg {string.Join(' ', arguments)} failed: {errors}");
    }

    /// <summary>
    /// Runs a tool on PATH (or a program given by its path) synchronously, within 2 minutes, and
    /// returns its exit code and what it printed.
    /// </summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file.Contains('/', StringComparison.Ordinal) ? file : Require(file))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within 2 minutes.");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs <paramref name="tool"/> to completion; throws <see cref="TimeoutException"/> (after killing it) when it takes longer than <paramref name="timeout"/>.</summary>
    public static async Task<ToolResult> RunAsync(
        string tool, IReadOnlyList<string> arguments, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using RunningTool running = Start(tool, arguments, workingDirectory, environment);
        return await running.WaitForExitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Starts <paramref name="tool"/> and returns at once, for tools that run alongside the test (dumpcap); <paramref name="environment"/> adds variables.</summary>
    public static RunningTool Start(
        string tool, IReadOnlyList<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(Require(tool))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Stable, untranslated tool messages.
        startInfo.Environment["LC_ALL"] = "C";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        return new RunningTool(tool, startInfo);
    }

    private static string PackageOf(string tool) => tool switch
    {
        "ffmpeg" or "ffprobe" => "ffmpeg",
        "tshark" => "tshark",
        "dumpcap" => "wireshark-common (a dependency of tshark)",
        "tsreport" => "tstools",
        "gst-launch-1.0" => "gstreamer1.0-tools (tsdemux comes with gstreamer1.0-plugins-bad)",
        "kill" => "procps",
        "nft" => "nftables",
        "ip" or "tc" => "iproute2",
        "gcc" => "gcc (and gcc-multilib for 32-bit probes)",
        "cvlc" => "vlc-bin (with vlc-plugin-base for the TS demuxer and decoders)",
        "runuser" => "util-linux",
        "gnome-network-displays" => "gnome-network-displays",
        "Xvfb" => "xvfb",
        "dbus-run-session" => "dbus-daemon",
        _ => tool,
    };
}

/// <summary>What a tool did: exit code, both outputs, and how long it ran.</summary>
internal sealed record ToolResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>The command and its outputs, for assertion messages.</summary>
    public string Describe(int maxChars = 4000) =>
        $"$ {CommandLine}\nexit code {ExitCode} after {Elapsed.TotalSeconds:F1} s\n--- stdout ---\n{Truncate(StandardOutput, maxChars)}\n--- stderr ---\n{Truncate(StandardError, maxChars)}";

    /// <summary>Fails the test when the tool exited with an error.</summary>
    public ToolResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new XunitException($"The tool failed.\n{Describe()}");
        }

        return this;
    }

    private static string Truncate(string text, int maxChars) =>
        text.Length <= maxChars ? text : string.Concat(text.AsSpan(0, maxChars), $"\n... ({text.Length - maxChars} more characters)");
}

/// <summary>A tool process with its outputs collected in the background.</summary>
internal sealed class RunningTool : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Stopwatch _elapsed;
    private readonly List<(Func<string, bool> Predicate, TaskCompletionSource Seen)> _lineWatches = [];
    private bool _disposed;

    public RunningTool(string tool, ProcessStartInfo startInfo)
    {
        CommandLine = string.Join(' ', [startInfo.FileName, .. startInfo.ArgumentList.Select(Quote)]);
        _process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _elapsed = Stopwatch.StartNew();
        try
        {
            _process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            _process.Dispose();
            throw new XunitException($"Could not start '{tool}' ({CommandLine}): {e.Message}");
        }

        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The command as a shell would show it (for messages only; it is not run through a shell).</summary>
    public string CommandLine { get; }

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Standard error so far.</summary>
    public string StandardErrorSoFar
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Waits until a line of standard output or error satisfies <paramref name="predicate"/>;
    /// fails when the process exits first or the timeout passes.
    /// </summary>
    public async Task WaitForLineAsync(Func<string, bool> predicate, TimeSpan timeout)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lineWatches)
        {
            _lineWatches.Add((predicate, seen));
        }

        // Lines that arrived before the watch was registered.
        string already;
        lock (_stderr)
        {
            already = _stderr.ToString();
        }

        lock (_stdout)
        {
            already += "\n" + _stdout;
        }

        if (already.Split('\n').Any(predicate))
        {
            return;
        }

        Task exited = _process.WaitForExitAsync();
        Task first = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout)).ConfigureAwait(false);
        if (first == seen.Task)
        {
            return;
        }

        string why = first == exited ? "it exited" : $"{timeout.TotalSeconds:F0} s passed";
        throw new XunitException($"The expected output line did not appear before {why}.\n$ {CommandLine}\n--- stderr ---\n{StandardErrorSoFar}");
    }

    /// <summary>Sends a POSIX signal (for example INT, which lets dumpcap finish its file) through kill(1).</summary>
    public async Task SignalAsync(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        await ExternalTool.RunAsync("kill", ["-s", signal, _process.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits for the process to exit and for its outputs to be read to the end; kills it and its
    /// children and throws <see cref="TimeoutException"/> when that takes longer than <paramref name="timeout"/>.
    /// </summary>
    public async Task<ToolResult> WaitForExitAsync(TimeSpan timeout)
    {
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill();
                throw new TimeoutException($"Killed after {timeout.TotalSeconds:F0} s without exiting.\n{Snapshot(-1).Describe()}");
            }
        }

        return Snapshot(_process.ExitCode);
    }

    /// <summary>Waits for the process to exit on its own for up to <paramref name="timeout"/>; true when it did.</summary>
    public async Task<bool> TryWaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }

    private ToolResult Snapshot(int exitCode)
    {
        string stdout, stderr;
        lock (_stdout)
        {
            stdout = _stdout.ToString();
        }

        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }

        return new ToolResult(CommandLine, exitCode, stdout, stderr, _elapsed.Elapsed);
    }

    private void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
        }

        lock (_lineWatches)
        {
            foreach ((Func<string, bool> predicate, TaskCompletionSource seen) in _lineWatches)
            {
                if (predicate(line))
                {
                    seen.TrySetResult();
                }
            }
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
