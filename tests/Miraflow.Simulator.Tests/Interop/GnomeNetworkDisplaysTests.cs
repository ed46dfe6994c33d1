using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Miraflow.Pipeline.Ts;
using Miraflow.Simulator.Tests.Cli;
using Miraflow.Simulator.Tests.Demo;
using Miraflow.Testing;
using Xunit.Abstractions;

namespace Miraflow.Simulator.Tests.Interop;

/// <summary>
/// <c>miraflow sink --connect</c> against a WFD source that is not ours: GNOME Network Displays
/// (GStreamer's openh264enc, mpegtsmux and rtpmp2tpay) streaming an Xvfb screen, run by
/// tests/interop/gnome-network-displays.sh in namespaces of its own.
/// </summary>
[Collection(SessionProcesses.Name)]
[Trait("Category", "interop")]
public sealed partial class GnomeNetworkDisplaysTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("miraflow-gnd-").FullName;

    [Fact]
    public async Task Our_sink_negotiates_with_it_records_exactly_what_came_over_the_wire_and_every_whole_picture_decodes()
    {
        ExternalTool.Require("gnome-network-displays");
        ExternalTool.Require("Xvfb");
        ExternalTool.Require("xdotool");
        ExternalTool.Require("dbus-run-session");
        ExternalTool.Require("dumpcap");
        string script = Path.Combine(RepoPaths.Root, "tests", "interop", "gnome-network-displays.sh");
        var environment = new Dictionary<string, string> { ["MIRAFLOW_INTEROP_PCAP"] = "1" };

        ToolResult run = await ExternalTool.RunAsync("bash", [script, MiraflowProcess.Path, _directory, "6"], TimeSpan.FromMinutes(2), environment: environment);
        output.WriteLine(run.Describe());
        Assert.True(run.ExitCode == 0, run.Describe() + "\n--- gnome-network-displays.log ---\n" + Tail(Path.Combine(_directory, "gnome-network-displays.log")));

        // The session: capability exchange, PLAY, streaming, our TEARDOWN answered.
        Assert.Matches(@"(?m)^negotiated: video \d+x\d+p\d+ ", run.StandardOutput);
        Assert.Contains("] streaming", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("miraflow sink: sent TEARDOWN after 6 s;", run.StandardOutput, StringComparison.Ordinal);
        // Its RTSP server answers a TEARDOWN of the stream URL with 460; the sink asks again at the aggregate URL.
        Assert.Matches(@"(?m)^\s*ended:\s+Stopped: teardown answered by the source \(at its aggregate URL rtsp://127\.0\.0\.1:7236/wfd1\.0\)", run.StandardOutput);
        Assert.Contains("ND_SINK_STATE_STREAMING", await File.ReadAllTextAsync(Path.Combine(_directory, "gnome-network-displays.log")), StringComparison.Ordinal);

        using JsonDocument report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_directory, "report.json")));
        JsonElement sink = report.RootElement;
        Assert.Equal("teardown", sink.GetProperty("ended").GetString());
        Assert.Equal(0, sink.GetProperty("sequenceGaps").GetInt64());
        Assert.Equal(0, sink.GetProperty("continuityErrors").GetInt64());
        Assert.Equal(0, sink.GetProperty("syncErrors").GetInt64());
        Assert.Equal(0, sink.GetProperty("nonRtp").GetInt64());
        long pictures = sink.GetProperty("pictures").GetInt64();
        Assert.True(pictures >= 60, $"{pictures} pictures in 6 s"); // the source sends about 30 a second

        // What the sink kept is byte for byte the RTP payload that came over the namespace's loopback.
        string capture = Path.Combine(_directory, "capture.ts");
        byte[] kept = await File.ReadAllBytesAsync(capture);
        int rtpPort = int.Parse(RtpPortLine().Match(run.StandardOutput).Groups[1].Value, CultureInfo.InvariantCulture);
        byte[] wire = await RtpPayloadAsync(Path.Combine(_directory, "lo.pcapng"), rtpPort);
        Assert.Equal(sink.GetProperty("captureBytes").GetInt64(), kept.Length);
        Assert.Equal(pictures, VideoPesStarts(kept).Count()); // the report and the capture are of one instant
        Assert.True(wire.Length >= kept.Length, $"{wire.Length} bytes on the wire, {kept.Length} kept; the wire's first datagram is at {kept.AsSpan().IndexOf(wire.AsSpan(0, Math.Min(wire.Length, 1316)))} in the capture");
        Assert.True(wire.AsSpan(0, kept.Length).SequenceEqual(kept), "the capture differs from the RTP payload on the wire");

        // The session may end in the middle of a picture (the source is still sending when our
        // TEARDOWN is answered): every picture before the last decodes silently, in full.
        string whole = Path.Combine(_directory, "whole-pictures.ts");
        await File.WriteAllBytesAsync(whole, BeforeLastVideoPes(kept));
        ToolResult decode = await ExternalTool.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", whole, "-map", "0:v", "-f", "framemd5", "-"], TimeSpan.FromMinutes(2));
        Assert.True(decode.ExitCode == 0 && decode.StandardError.Length == 0, decode.Describe());
        Assert.Equal(pictures - 1, decode.StandardOutput.Split('\n').Count(l => l.Length > 0 && l[0] != '#'));
    }

    /// <summary>The stream up to the start of its last video PES (the one the end of the session may have cut).</summary>
    private static byte[] BeforeLastVideoPes(byte[] stream)
    {
        int last = VideoPesStarts(stream).DefaultIfEmpty(-1).Last();
        return last >= 0 ? stream[..last] : throw new Xunit.Sdk.XunitException("The capture holds no video PES.");
    }

    /// <summary>The offsets of the TS packets that start a video PES.</summary>
    private static IEnumerable<int> VideoPesStarts(byte[] stream)
    {
        for (int offset = 0; offset + TsPacket.Size <= stream.Length; offset += TsPacket.Size)
        {
            if (TsPacket.ReadPayloadUnitStart(stream.AsSpan(offset, TsPacket.Size)) && TsPacket.ReadPid(stream.AsSpan(offset, TsPacket.Size)) == TsPid.Video)
            {
                yield return offset;
            }
        }
    }

    /// <summary>The RTP payloads of the datagrams to <paramref name="port"/> in a capture, in order, as tshark decodes them.</summary>
    private static async Task<byte[]> RtpPayloadAsync(string pcap, int port)
    {
        string p = port.ToString(CultureInfo.InvariantCulture);
        ToolResult fields = await ExternalTool.RunAsync(
            "tshark", ["-r", pcap, "-d", $"udp.port=={p},rtp", "-Y", $"rtp && udp.dstport=={p}", "-T", "fields", "-e", "rtp.payload"], TimeSpan.FromMinutes(1));
        fields.EnsureSuccess();
        using var bytes = new MemoryStream();
        foreach (string line in fields.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Write(Convert.FromHexString(line.Replace(":", "", StringComparison.Ordinal)));
        }

        return bytes.ToArray();
    }

    private static string Tail(string path) =>
        File.Exists(path) ? string.Join('\n', File.ReadLines(path).TakeLast(40)) : "(none)";

    [GeneratedRegex(@"receiving RTP on [0-9.]+:(\d+)")]
    private static partial Regex RtpPortLine();

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
