using System.Globalization;
using Xunit.Sdk;

namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>
/// A dumpcap capture of one UDP port on the loopback interface into a pcapng file.
/// </summary>
/// <remarks>
/// <para>dumpcap is told how many packets to expect (<c>-c</c>) and stops by itself once it has
/// written them all. Stopping it with a signal as soon as the last datagram is sent would lose
/// the tail: libpcap hands packets over in ring-buffer blocks, and the last, partly filled block
/// is only delivered when its timeout expires (tried: an INT right after 3000 sends kept 2970).
/// If packets are missing it is stopped with INT after a grace period, and the test sees the
/// shortfall. <c>-a duration</c> bounds it in any case.</para>
/// <para>Starting returns once dumpcap names its output file ("File: ..."), which it does after
/// the interface is open and the filter is set. Its earlier "Capturing on ..." line comes
/// before that: a stream started on it lost its first 23 datagrams.</para>
/// </remarks>
internal sealed class LoopbackCapture : IDisposable
{
    private readonly RunningTool _dumpcap;

    private LoopbackCapture(RunningTool dumpcap, string file)
    {
        _dumpcap = dumpcap;
        File = file;
    }

    /// <summary>The pcapng file.</summary>
    public string File { get; }

    /// <summary>Starts capturing UDP port <paramref name="port"/> on lo until <paramref name="packets"/> packets are in.</summary>
    public static async Task<LoopbackCapture> StartAsync(string file, int port, long packets, TimeSpan maxDuration)
    {
        RunningTool dumpcap = ExternalTool.Start(
            "dumpcap",
            [
                "-i", "lo",
                "-f", string.Create(CultureInfo.InvariantCulture, $"udp port {port}"),
                "-c", packets.ToString(CultureInfo.InvariantCulture),
                "-a", string.Create(CultureInfo.InvariantCulture, $"duration:{(int)Math.Ceiling(maxDuration.TotalSeconds)}"),
                "-B", "16", // MiB of kernel buffer: an IDR arrives as a burst of datagrams
                "-w", file,
            ]);
        try
        {
            await dumpcap.WaitForLineAsync(line => line.StartsWith("File: ", StringComparison.Ordinal), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (XunitException e)
        {
            dumpcap.Dispose();
            throw new XunitException($"dumpcap did not start capturing on lo (it needs root or CAP_NET_RAW).\n{e.Message}");
        }

        return new LoopbackCapture(dumpcap, file);
    }

    /// <summary>
    /// Waits up to <paramref name="grace"/> for dumpcap to stop by itself (all packets written),
    /// else stops it with INT; returns its outputs. dumpcap's stderr ends with
    /// "Packets captured: N".
    /// </summary>
    public async Task<ToolResult> StopAsync(TimeSpan grace)
    {
        if (!await _dumpcap.TryWaitForExitAsync(grace).ConfigureAwait(false))
        {
            await _dumpcap.SignalAsync("INT").ConfigureAwait(false);
        }

        return await _dumpcap.WaitForExitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    public void Dispose() => _dumpcap.Dispose();
}
