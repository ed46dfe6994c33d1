using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Xunit.Sdk;

namespace Miraflow.Simulator.Tests.Demo;

/// <summary>
/// Plays a capture in VLC, the player the README promises, and returns VLC's own playback
/// statistics: an independent judge of what a viewer would get, audio included (VLC plays WFD's
/// LPCM, which ffmpeg 5.1 cannot judge).
/// </summary>
/// <remarks>
/// VLC runs headless (<c>cvlc</c> with the dummy video and audio outputs) under its remote-control
/// interface: the file plays in real time and pauses at its end (<c>--play-and-pause</c>), then
/// <c>stats</c> prints the input's counters. VLC refuses to run as root, so as root it runs as
/// <c>nobody</c> through <c>runuser</c>, on a copy of the file in a directory that user can read.
/// </remarks>
internal static class VlcPlayer
{
    /// <summary>Plays <paramref name="capturePath"/> to its end and returns the statistics block (<c>demux corrupted</c> → 0, ...).</summary>
    public static async Task<IReadOnlyDictionary<string, long>> PlayAsync(string capturePath, TimeSpan timeout)
    {
        string cvlc = ExternalTool.Require("cvlc");
        DirectoryInfo readable = Directory.CreateTempSubdirectory("miraflow-vlc-");
        try
        {
            const UnixFileMode Everyone = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
            string copy = Path.Combine(readable.FullName, Path.GetFileName(capturePath));
            File.Copy(capturePath, copy);
            if (!OperatingSystem.IsWindows())
            {
                readable.UnixFileMode = Everyone;
                File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            string[] vlc = [cvlc, "-I", "rc", "--vout=dummy", "--aout=dummy", "--no-osd", "--play-and-pause", copy];
            ProcessStartInfo start = Environment.IsPrivilegedProcess
                ? new ProcessStartInfo(ExternalTool.Require("runuser"), ["-u", "nobody", "--", .. vlc])
                : new ProcessStartInfo(vlc[0], vlc[1..]);
            start.RedirectStandardInput = true;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.UseShellExecute = false;
            start.Environment["LC_ALL"] = "C";
            start.WorkingDirectory = readable.FullName;
            return await RunAsync(start, timeout).ConfigureAwait(false);
        }
        finally
        {
            readable.Delete(recursive: true);
        }
    }

    private static async Task<IReadOnlyDictionary<string, long>> RunAsync(ProcessStartInfo start, TimeSpan timeout)
    {
        using var process = new Process { StartInfo = start };
        var lines = new BlockingCollection<string>(); // not disposed: VLC's output handler may still run after we return
        var transcript = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                transcript.Enqueue(line);
                lines.Add(line);
            }
            else
            {
                lines.CompleteAdding(); // the end of VLC's output
            }
        };
        process.ErrorDataReceived += (_, e) => { }; // its module chatter (no PulseAudio, no D-Bus) is not the verdict
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            // Poll the state until the file has played and VLC paused at its end.
            bool played = false;
            while (true)
            {
                await process.StandardInput.WriteLineAsync("status").ConfigureAwait(false);
                await process.StandardInput.FlushAsync(deadline.Token).ConfigureAwait(false);
                string? state = await NextAsync(lines, l => l.StartsWith("( state ", StringComparison.Ordinal), deadline.Token).ConfigureAwait(false);
                played |= state == "( state playing )";
                if (played && state == "( state paused )")
                {
                    break;
                }

                await Task.Delay(250, deadline.Token).ConfigureAwait(false);
            }

            await process.StandardInput.WriteLineAsync("stats").ConfigureAwait(false);
            await process.StandardInput.FlushAsync(deadline.Token).ConfigureAwait(false);
            await NextAsync(lines, l => l.Contains("begin of statistical info", StringComparison.Ordinal), deadline.Token).ConfigureAwait(false);
            var statistics = new Dictionary<string, long>(StringComparer.Ordinal);
            for (string? line; (line = await NextAsync(lines, _ => true, deadline.Token).ConfigureAwait(false)) is not null && !line.Contains("end of statistical info", StringComparison.Ordinal);)
            {
                // "| demux corrupted  :        0"; rates and sizes carry units and are not needed.
                string[] parts = line.TrimStart('|', ' ').Split(':', 2);
                if (parts.Length == 2 && long.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    statistics[parts[0].Trim()] = value;
                }
            }

            await process.StandardInput.WriteLineAsync("quit").ConfigureAwait(false);
            await process.StandardInput.FlushAsync(deadline.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            return statistics;
        }
        catch (OperationCanceledException)
        {
            throw new XunitException($"VLC did not play the file to its end within {timeout.TotalSeconds:F0} s:\n{string.Join('\n', transcript)}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>The next line that satisfies <paramref name="predicate"/>, or null when VLC's output ended.</summary>
    private static Task<string?> NextAsync(BlockingCollection<string> lines, Func<string, bool> predicate, CancellationToken cancellation) =>
        Task.Run(() =>
        {
            while (lines.TryTake(out string? line, Timeout.Infinite, cancellation))
            {
                if (predicate(line))
                {
                    return line;
                }
            }

            return (string?)null;
        }, cancellation);
}
