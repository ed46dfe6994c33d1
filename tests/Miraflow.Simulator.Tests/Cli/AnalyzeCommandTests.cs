using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Ts;
using Xunit.Sdk;

namespace Miraflow.Simulator.Tests.Cli;

/// <summary>
/// A real WFD transport stream: 60 frames of H.264 (ffmpeg/libx264, an IDR every 30 frames, one
/// access unit delimiter per unit) and 10 ms LPCM frames, muxed by our <see cref="TsMuxer"/> on a
/// 30 fps schedule. Made once for the test class.
/// </summary>
public sealed class MuxedStreamFixture : IDisposable
{
    public const int Frames = 60;
    public const int Idrs = 2;

    public MuxedStreamFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("miraflow-analyze-");
        string h264 = System.IO.Path.Combine(Directory.FullName, "video.h264");
        ExternalTool.Ffmpeg(
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-frames:v", Frames.ToString(CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline", "-pix_fmt", "yuv420p",
            "-x264-params", "keyint=30:min-keyint=30:scenecut=0:aud=1", "-f", "h264", h264);
        List<byte[]> units = SplitAtDelimiters(File.ReadAllBytes(h264));
        if (units.Count != Frames)
        {
            throw new XunitException($"Expected {Frames} access units from ffmpeg, got {units.Count}.");
        }

        var muxer = new TsMuxer();
        var output = new ArrayBufferWriter<byte>();
        var sink = new TsBufferSink(output);
        byte[] silence = new byte[480 * 4]; // 10 ms of 48 kHz stereo 16-bit
        long audioMicroseconds = 0;
        for (int i = 0; i < units.Count; i++)
        {
            long videoMicroseconds = i * 1_000_000L / 30;
            while (audioMicroseconds <= videoMicroseconds)
            {
                MediaTime at = MediaTime.FromMicroseconds(audioMicroseconds);
                muxer.WriteAudio(ref sink, silence, at, at + TimeSpan.FromMilliseconds(2));
                audioMicroseconds += 10_000;
            }

            MediaTime capture = MediaTime.FromMicroseconds(videoMicroseconds);
            muxer.WriteVideo(ref sink, units[i], capture, capture, capture + TimeSpan.FromMilliseconds(5));
        }

        Bytes = output.WrittenSpan.ToArray();
        Statistics = muxer.Statistics;
        Path = System.IO.Path.Combine(Directory.FullName, "wfd.ts");
        File.WriteAllBytes(Path, Bytes);
    }

    public DirectoryInfo Directory { get; }

    public string Path { get; }

    public byte[] Bytes { get; }

    public TsMuxerStatistics Statistics { get; }

    /// <summary>Writes a variant of the stream next to it and returns its path.</summary>
    public string Write(string name, ReadOnlySpan<byte> bytes)
    {
        string path = System.IO.Path.Combine(Directory.FullName, name);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    public void Dispose() => Directory.Delete(recursive: true);

    /// <summary>x264 with <c>aud=1</c> starts every access unit with 00 00 00 01 09.</summary>
    private static List<byte[]> SplitAtDelimiters(ReadOnlySpan<byte> stream)
    {
        ReadOnlySpan<byte> delimiter = [0x00, 0x00, 0x00, 0x01, 0x09];
        var units = new List<byte[]>();
        int start = stream.IndexOf(delimiter);
        while (start >= 0)
        {
            int next = stream[(start + 1)..].IndexOf(delimiter);
            int end = next < 0 ? stream.Length : start + 1 + next;
            units.Add(stream[start..end].ToArray());
            start = next < 0 ? -1 : end;
        }

        return units;
    }
}

/// <summary><c>miraflow analyze</c> as a process, on a stream our muxer wrote; ffprobe judges the frame counts.</summary>
[Trait("Category", "integration")]
public sealed class AnalyzeCommandTests(MuxedStreamFixture stream) : IClassFixture<MuxedStreamFixture>
{
    private const int Video = 0x1011;

    [Fact]
    public async Task Our_muxers_stream_is_clean_with_exact_counts()
    {
        ToolResult result = await MiraflowProcess.RunAsync(["analyze", stream.Path, "--json"]);

        Assert.True(result.ExitCode == 0, result.Describe());
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        JsonElement root = json.RootElement;
        Assert.True(root.GetProperty("clean").GetBoolean(), result.StandardOutput);
        Assert.Equal(stream.Bytes.Length / TsPacket.Size, root.GetProperty("packets").GetInt64());
        Assert.Equal(stream.Statistics.Packets, root.GetProperty("packets").GetInt64());
        Assert.Equal(0, root.GetProperty("syncLosses").GetInt64());
        Assert.Equal(0, root.GetProperty("continuityErrors").GetInt64());
        Assert.Equal(stream.Statistics.PsiEmissions, root.GetProperty("pat").GetProperty("count").GetInt64());
        Assert.Equal(stream.Statistics.PsiEmissions, root.GetProperty("pmt").GetProperty("count").GetInt64());
        Assert.Equal(stream.Statistics.PsiEmissions, root.GetProperty("pcr").GetProperty("count").GetInt64());
        Assert.Equal(TsPid.Pcr, root.GetProperty("pcr").GetProperty("pid").GetInt32());
        Assert.InRange(root.GetProperty("pat").GetProperty("maxIntervalMs").GetDouble(), 1, 100);
        Assert.Equal(Video, root.GetProperty("video").GetProperty("pid").GetInt32());
        Assert.Equal(MuxedStreamFixture.Frames, root.GetProperty("video").GetProperty("frames").GetInt64());
        Assert.Equal(MuxedStreamFixture.Idrs, root.GetProperty("video").GetProperty("idrFrames").GetInt64());
        Assert.Equal(0, root.GetProperty("errors").GetArrayLength());

        JsonElement video = Pid(root, Video);
        Assert.Equal("H.264 video", video.GetProperty("kind").GetString());
        Assert.Equal(MuxedStreamFixture.Frames, video.GetProperty("pesPackets").GetInt64());
        Assert.Equal(0, video.GetProperty("missingPts").GetInt64());
        Assert.Equal(0, video.GetProperty("timestampsBackwards").GetInt64());
        Assert.Equal("LPCM audio (WFD)", Pid(root, TsPid.Audio).GetProperty("kind").GetString());
        Assert.Equal(stream.Statistics.AudioUnits, Pid(root, TsPid.Audio).GetProperty("pesPackets").GetInt64());

        // Presentation delay 50 ms, PCR = capture + 5 ms at the unit's PSI: the PTS leads the PCR by
        // about 45 ms, give or take the packet-position interpolation error between PCRs ~100 ms apart.
        JsonElement distance = video.GetProperty("ptsPcrMs");
        Assert.InRange(distance.GetProperty("min").GetDouble(), 25, 55);
        Assert.InRange(distance.GetProperty("max").GetDouble(), 25, 55);
    }

    [Fact]
    public async Task The_frame_and_IDR_counts_agree_with_ffprobe()
    {
        ToolResult ours = await MiraflowProcess.RunAsync(["analyze", stream.Path, "--json"]);
        Assert.True(ours.ExitCode == 0, ours.Describe());
        using JsonDocument json = JsonDocument.Parse(ours.StandardOutput);
        JsonElement video = json.RootElement.GetProperty("video");

        // ffprobe: one line per video packet with its flags; K marks a key frame (an IDR here).
        ToolResult probe = await ExternalTool.RunAsync(
            "ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "packet=flags", "-of", "csv=p=0", stream.Path], TimeSpan.FromSeconds(30));
        Assert.True(probe.ExitCode == 0, probe.Describe());
        string[] packets = probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(packets.Length, video.GetProperty("frames").GetInt64());
        Assert.Equal(packets.Count(p => p.Contains('K', StringComparison.Ordinal)), video.GetProperty("idrFrames").GetInt64());
        Assert.Equal(MuxedStreamFixture.Frames, packets.Length);
    }

    [Fact]
    public async Task The_human_output_is_a_table_with_the_verdict()
    {
        ToolResult result = await MiraflowProcess.RunAsync(["analyze", stream.Path]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains($"  video       PID 0x1011: {MuxedStreamFixture.Frames} frames, {MuxedStreamFixture.Idrs} IDR", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("  0x1011  H.264 video", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("  result      clean", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_corrupted_continuity_counter_is_exactly_one_error_and_exit_code_1()
    {
        byte[] bytes = stream.Bytes.ToArray();
        int last = LastPacketOf(bytes, Video);
        bytes[last + 3] = (byte)((bytes[last + 3] & 0xF0) | ((bytes[last + 3] + 5) & 0x0F));
        string path = stream.Write("cc.ts", bytes);

        ToolResult result = await MiraflowProcess.RunAsync(["analyze", path, "--json"]);

        Assert.True(result.ExitCode == 1, result.Describe());
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        JsonElement root = json.RootElement;
        Assert.False(root.GetProperty("clean").GetBoolean());
        Assert.Equal(1, root.GetProperty("continuityErrors").GetInt64());
        Assert.Equal(1, Pid(root, Video).GetProperty("continuityErrors").GetInt64());
        Assert.Equal("PID 0x1011 (H.264 video): 1 continuity counter error(s)", Assert.Single(root.GetProperty("errors").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task A_file_without_PAT_and_PMT_fails_with_exit_code_1()
    {
        byte[] bytes = WithoutPids(stream.Bytes, TsPid.Pat, TsPid.Pmt);
        ToolResult result = await MiraflowProcess.RunAsync(["analyze", stream.Write("nopsi.ts", bytes), "--json"]);

        Assert.True(result.ExitCode == 1, result.Describe());
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        string[] errors = [.. json.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(["no PAT", "no PMT"], errors);
    }

    [Fact]
    public async Task A_truncated_file_shorter_than_a_packet_is_exit_code_3()
    {
        string path = stream.Write("short.ts", stream.Bytes.AsSpan(0, 100));
        ToolResult result = await MiraflowProcess.RunAsync(["analyze", path]);

        Assert.True(result.ExitCode == 3, result.Describe());
        Assert.Empty(result.StandardOutput);
        Assert.Equal($"miraflow: error: '{path}' is not an MPEG-TS file: 100 bytes, less than one 188-byte packet", result.StandardError.TrimEnd('\n'));
    }

    [Fact]
    public async Task Garbage_and_a_missing_file_are_exit_code_3()
    {
        var random = new Random(7);
        byte[] garbage = new byte[20_000];
        random.NextBytes(garbage);
        for (int i = 0; i < garbage.Length; i++)
        {
            garbage[i] = garbage[i] == TsPacket.SyncByte ? (byte)0 : garbage[i];
        }

        string path = stream.Write("garbage.ts", garbage);
        ToolResult result = await MiraflowProcess.RunAsync(["analyze", path]);
        Assert.True(result.ExitCode == 3, result.Describe());
        Assert.Equal($"miraflow: error: '{path}' is not an MPEG-TS file: no 0x47 sync byte repeats every 188 bytes", result.StandardError.TrimEnd('\n'));

        string missing = System.IO.Path.Combine(stream.Directory.FullName, "absent.ts");
        ToolResult absent = await MiraflowProcess.RunAsync(["analyze", missing]);
        Assert.True(absent.ExitCode == 3, absent.Describe());
        Assert.StartsWith($"miraflow: error: cannot read '{missing}'", Assert.Single(absent.StandardError.TrimEnd('\n').Split('\n')), StringComparison.Ordinal);
    }

    private static JsonElement Pid(JsonElement root, int pid) =>
        root.GetProperty("pids").EnumerateArray().Single(p => p.GetProperty("pid").GetInt32() == pid);

    private static int LastPacketOf(byte[] bytes, int pid)
    {
        for (int at = bytes.Length - TsPacket.Size; at >= 0; at -= TsPacket.Size)
        {
            if (TsPacket.ReadPid(bytes.AsSpan(at)) == pid)
            {
                return at;
            }
        }

        throw new XunitException($"No packet on PID {pid}.");
    }

    private static byte[] WithoutPids(byte[] bytes, params int[] pids)
    {
        var kept = new List<byte>(bytes.Length);
        for (int at = 0; at < bytes.Length; at += TsPacket.Size)
        {
            if (!pids.Contains(TsPacket.ReadPid(bytes.AsSpan(at))))
            {
                kept.AddRange(bytes.AsSpan(at, TsPacket.Size));
            }
        }

        return [.. kept];
    }
}
