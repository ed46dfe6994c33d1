using System.Globalization;
using Xunit.Sdk;

namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>One captured datagram as tshark decodes it: RTP header fields and, per TS packet, PID and continuity counter.</summary>
/// <param name="Frame">The capture frame number (from 1).</param>
/// <param name="Time">frame.time_relative: seconds since the first captured packet.</param>
/// <param name="UdpLength">udp.length: 8 + the UDP payload.</param>
/// <param name="Version">rtp.version.</param>
/// <param name="PayloadType">rtp.p_type.</param>
/// <param name="Marker">rtp.marker.</param>
/// <param name="Sequence">rtp.seq.</param>
/// <param name="Timestamp">rtp.timestamp.</param>
/// <param name="Ssrc">rtp.ssrc.</param>
/// <param name="Pids">mp2t.pid of each TS packet.</param>
/// <param name="ContinuityCounters">mp2t.cc of each TS packet.</param>
/// <param name="Pcrs">mp2t.af.pcr values in the datagram (27 MHz ticks).</param>
/// <param name="CcDrops">How many mp2t.cc.drop expert items tshark raised in the datagram.</param>
/// <param name="Expert">The datagram's expert messages (_ws.expert.message).</param>
internal sealed record CapturedDatagram(
    int Frame, double Time, int UdpLength, int Version, int PayloadType, bool Marker, ushort Sequence, uint Timestamp, uint Ssrc,
    int[] Pids, int[] ContinuityCounters, long[] Pcrs, int CcDrops, string Expert);

/// <summary>tshark reading a capture of our stream.</summary>
/// <remarks>
/// tshark 4.0 checks MP2T continuity itself: a counter that skips raises the expert item
/// <c>mp2t.cc.drop</c> ("Detected N missing TS frames before this (last_cc:X total skips:Y
/// discontinuity:Z)", group Sequence, severity Error), with <c>mp2t.analysis.skips</c> and
/// <c>mp2t.analysis.drops</c> alongside. It leaves packets without payload out of the check, so
/// the PCR packets' fixed counter 0 raises nothing. Fields with several values in a datagram
/// (one per TS packet) come comma-separated.
/// </remarks>
internal static class Tshark
{
    private static readonly string[] s_fields =
    [
        "frame.number", "frame.time_relative", "udp.length", "rtp.version", "rtp.p_type", "rtp.marker", "rtp.seq", "rtp.timestamp", "rtp.ssrc",
        "mp2t.pid", "mp2t.cc", "mp2t.af.pcr", "mp2t.cc.drop", "_ws.expert.message",
    ];

    /// <summary>Decodes the datagrams sent to UDP <paramref name="port"/> as RTP (payload type 33 makes tshark read MP2T inside).</summary>
    public static async Task<(ToolResult Run, List<CapturedDatagram> Datagrams)> DecodeRtpAsync(string capture, int port)
    {
        string portText = port.ToString(CultureInfo.InvariantCulture);
        List<string> arguments =
        [
            "-n", "-r", capture,
            "-d", $"udp.port=={portText},rtp",
            "-Y", $"udp.dstport=={portText}",
            "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
        ];
        foreach (string field in s_fields)
        {
            arguments.Add("-e");
            arguments.Add(field);
        }

        ToolResult run = (await ExternalTool.RunAsync("tshark", arguments, TimeSpan.FromSeconds(60))).EnsureSuccess();
        var datagrams = new List<CapturedDatagram>();
        foreach (string line in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] f = line.Split('\t');
            try
            {
                datagrams.Add(new CapturedDatagram(
                    int.Parse(f[0], CultureInfo.InvariantCulture),
                    double.Parse(f[1], CultureInfo.InvariantCulture),
                    int.Parse(f[2], CultureInfo.InvariantCulture),
                    int.Parse(f[3], CultureInfo.InvariantCulture),
                    int.Parse(f[4], CultureInfo.InvariantCulture),
                    f[5] is "1" or "True",
                    ushort.Parse(f[6], CultureInfo.InvariantCulture),
                    uint.Parse(f[7], CultureInfo.InvariantCulture),
                    (uint)Number(f[8]),
                    [.. List(f[9]).Select(v => (int)Number(v))],
                    [.. List(f[10]).Select(v => (int)Number(v))],
                    [.. List(f[11]).Select(Number)],
                    List(f[12]).Length,
                    f.Length > 13 ? f[13] : ""));
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
            {
                throw new XunitException($"Unexpected tshark line \"{line}\": {e.Message}");
            }
        }

        return (run, datagrams);
    }

    private static string[] List(string field) => field.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static long Number(string text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : long.Parse(text, CultureInfo.InvariantCulture);
}
