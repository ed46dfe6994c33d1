using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>
/// The external programs that judge our streams, each run the same way wherever a test needs it.
/// </summary>
/// <remarks>
/// <para><b>Why ffmpeg decodes a copy without the audio PID.</b> ffmpeg 5.1 maps stream_type
/// 0x83 only inside a Blu-ray program (an "HDMV" registration descriptor, where it means TrueHD).
/// In a WFD program it probes the payload instead: for our 440/660 Hz tone it guesses MP3,
/// ffprobe lists "mp3" with sample rate 0, and decoding prints "[mp3float] Header missing" for
/// every packet and ends with a filter-graph error (exit 1) — even with <c>-map 0:v</c>, because
/// stream probing decodes it. Forcing <c>-c:a pcm_bluray</c> fails too ("unsupported sample depth
/// (0)"): the WFD header (A0 06 00 11) is not the Blu-ray LPCM header. So ffmpeg judges the
/// container and the video on a copy without PID 0x1100 (PAT, PMT, PCR and video bytes
/// unchanged), and GStreamer's tsdemux, which knows stream_type 0x83 as
/// <c>audio/x-private2-lpcm</c>, judges the audio.</para>
/// </remarks>
internal static partial class MediaJudges
{
    public static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>ffmpeg -v error -i file -enc_time_base -1 -f null -</c>: a clean stream prints nothing and exits 0.
    /// </summary>
    /// <remarks>
    /// <c>-enc_time_base -1</c> keeps the demuxer's 90 kHz clock for the decoded pictures. Without
    /// it ffmpeg rounds every timestamp to its guess of the frame rate, made from the first 20 or so
    /// frames: a stream that switches from 720p30 to 480p60 after more than 20 frames is guessed at
    /// 30 fps, two 60 fps pictures round to the same tick, and the null muxer reports "non
    /// monotonically increasing dts" for a stream that has none.
    /// </remarks>
    public static Task<ToolResult> DecodeToNullAsync(string path) =>
        ExternalTool.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-enc_time_base", "-1", "-f", "null", "-"], ToolTimeout);

    /// <summary>Decodes the video and returns the MD5 of every picture (<c>-f framemd5</c>), in output order.</summary>
    public static async Task<(ToolResult Run, List<string> Md5s)> DecodeFrameHashesAsync(string path)
    {
        ToolResult run = await ExternalTool.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:v", "-f", "framemd5", "-"], ToolTimeout);
        var md5s = new List<string>();
        foreach (string line in run.StandardOutput.Split('\n'))
        {
            if (line.Length > 0 && line[0] != '#')
            {
                md5s.Add(line[(line.LastIndexOf(',') + 1)..].Trim());
            }
        }

        return (run, md5s);
    }

    /// <summary>The video elementary stream as ffmpeg demuxes it (<c>-c copy -f h264</c>): the PES payloads, back to back.</summary>
    public static async Task<(ToolResult Run, byte[] Stream)> DemuxVideoAsync(string path, string output)
    {
        ToolResult run = await ExternalTool.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-y", "-i", path, "-map", "0:v", "-c", "copy", "-f", "h264", output], ToolTimeout);
        return (run, File.Exists(output) ? await File.ReadAllBytesAsync(output) : []);
    }

    /// <summary><c>tsreport -b</c>: PAT/PMT, PCR gaps, PCR-to-PTS differences and continuity counters per stream.</summary>
    public static Task<ToolResult> TsreportAsync(string path) =>
        ExternalTool.RunAsync("tsreport", ["-b", path], ToolTimeout);

    /// <summary>
    /// Demuxes the audio PID with GStreamer's tsdemux into <paramref name="output"/> and returns
    /// each buffer's size and timestamp (from identity's per-buffer messages).
    /// </summary>
    public static async Task<(ToolResult Run, List<(int Size, TimeSpan Pts)> Buffers, byte[] Bytes)> GstDemuxAudioAsync(string path, string output)
    {
        ToolResult run = await ExternalTool.RunAsync(
            "gst-launch-1.0",
            ["-v", "filesrc", $"location={path}", "!", "tsdemux", "name=demux", "demux.audio_0_1100", "!", "identity", "silent=false", "!", "filesink", $"location={output}"],
            ToolTimeout);
        var buffers = new List<(int, TimeSpan)>();
        foreach (Match m in GstChainLine().Matches(run.StandardOutput))
        {
            TimeSpan pts = new TimeSpan(0, int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture))
                + TimeSpan.FromTicks(long.Parse(m.Groups["ns"].Value, CultureInfo.InvariantCulture) / 100);
            buffers.Add((int.Parse(m.Groups["size"].Value, CultureInfo.InvariantCulture), pts));
        }

        return (run, buffers, File.Exists(output) ? await File.ReadAllBytesAsync(output) : []);
    }

    /// <summary>The WFD LPCM PES payload for 16-bit little-endian stereo samples: A0 06 00 11 and the samples big-endian (protocol doc §3.5).</summary>
    public static byte[] WfdLpcmPayload(ReadOnlySpan<byte> littleEndian)
    {
        var payload = new byte[4 + littleEndian.Length];
        payload[0] = 0xA0;
        payload[1] = (byte)(littleEndian.Length / 4 / 80);
        payload[2] = 0x00;
        payload[3] = 0x11;
        for (int i = 0; i < littleEndian.Length; i += 2)
        {
            BinaryPrimitives.WriteInt16BigEndian(payload.AsSpan(4 + i), BinaryPrimitives.ReadInt16LittleEndian(littleEndian[i..]));
        }

        return payload;
    }

    // identity0: last-message = chain ******* (identity0:sink) (1924 bytes, dts: 0:00:00.045000000, pts: 0:00:00.045000000, ...
    [GeneratedRegex(@"chain +\*+ \(identity\d+:sink\) \((?<size>\d+) bytes, dts: [^,]*, pts: (?<h>\d+):(?<m>\d{2}):(?<s>\d{2})\.(?<ns>\d{9})")]
    private static partial Regex GstChainLine();
}
