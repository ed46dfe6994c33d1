using System.Text.Json;

namespace Miraflow.Simulator.Tests.Cli;

/// <summary>
/// <c>miraflow negotiate</c> as a process, against M3 answers of real sinks copied from
/// /work/shared/corpus/sinks (the file named in each case): every JSON field pinned.
/// </summary>
[Trait("Category", "integration")]
public sealed class NegotiateCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("miraflow-negotiate-");

    public void Dispose() => _directory.Delete(recursive: true);

    public static TheoryData<string, string, string, int, int, int, int, string, string, string> Sinks => new()
    {
        {
            // 01-samsung-tv-sec-wdh-me29.txt: CBP+CHP to level 4.0.
            "wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00\n" +
            "wfd_video_formats: 40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none, 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none\n",
            "samsung", "VESA", 11, 1360, 768, 60, "CBP", "4.0", "LPCM 48000/2"
        },
        {
            // 03-lg-tv-2015-lge.txt: level 4.1, VESA bit 29 (reserved) set.
            "wfd_audio_codecs: LPCM 00000003 00, AAC 00000007 00, AC3 00000007 00\n" +
            "wfd_video_formats: 40 00 01 08 0001FFFF 3FFFFFFF 000005FF 00 0000 0000 10 none none, 02 08 0001FFFF 3FFFFFFF 000005FF 00 0000 0000 10 none none\n",
            "lg", "VESA", 11, 1360, 768, 60, "CBP", "4.0", "LPCM 48000/2"
        },
        {
            // 12-android-4.4.2-stagefright-sink.txt: every bit, but level 3.1 only, AAC only.
            "wfd_video_formats: 28 00 01 01 ffffffff ffffffff ffffffff 00 0000 0000 00 none none\n" +
            "wfd_audio_codecs: AAC 0000000F 00\n",
            "android", "CEA", 5, 1280, 720, 30, "CBP", "3.1", "AAC 48000/2"
        },
        {
            // 16-lazycast-raspberrypi-sink.txt: CHP only, which our CBP encoder cannot send.
            "wfd_audio_codecs: AAC 00000001 00\n" +
            "wfd_video_formats: 00 00 02 10 0001FEFF 3FFFFFFF 00000FFF 00 0000 0000 00 none none\n",
            "lazycast", "CEA", 0, 640, 480, 60, "CBP", "3.1", "AAC 48000/2"
        },
    };

    [Theory]
    [MemberData(nameof(Sinks))]
    public async Task A_real_sinks_M3_answer_gives_the_chosen_format_as_one_JSON_object(
        string caps, string name, string table, int bit, int width, int height, int fps, string profile, string level, string audio)
    {
        string file = Write(name, "# M3 answer\nRTSP/1.0 200 OK\nCSeq: 2\nContent-Type: text/parameters\n\n" + caps);
        ToolResult result = await MiraflowProcess.RunAsync(["negotiate", "--caps", file, "--json"]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Empty(result.StandardError);
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        JsonElement root = json.RootElement;
        Assert.Equal(table, root.GetProperty("table").GetString());
        Assert.Equal(bit, root.GetProperty("bit").GetInt32());
        Assert.Equal(width, root.GetProperty("width").GetInt32());
        Assert.Equal(height, root.GetProperty("height").GetInt32());
        Assert.Equal(fps, root.GetProperty("fps").GetInt32());
        Assert.True(root.GetProperty("progressive").GetBoolean());
        Assert.Equal(profile, root.GetProperty("profile").GetString());
        Assert.Equal(level, root.GetProperty("level").GetString());
        Assert.Equal(audio, root.GetProperty("audio").GetString());
        Assert.StartsWith($"chose {width}x{height}p{fps} {profile} {level} (", root.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Single(result.StandardOutput.Trim().Split('\n'));
    }

    [Fact]
    public async Task The_reason_names_the_level_that_held_the_LG_back_and_the_human_output_shows_it()
    {
        string file = Write("lg", LgCaps);
        ToolResult result = await MiraflowProcess.RunAsync(["negotiate", "--caps", file]);

        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("chosen           1360x768p60 (VESA bit 11) CBP 4.0, LPCM 48000/2", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("1920x1080p60 needs level 4.2, sink allows 4.1", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_suggested_bitrate_drops_the_modes_it_cannot_carry()
    {
        string file = Write("lg", LgCaps);
        ToolResult result = await MiraflowProcess.RunAsync(["negotiate", "--caps", file, "--bitrate", "5000000", "--json"]);

        Assert.True(result.ExitCode == 0, result.Describe());
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        JsonElement root = json.RootElement;
        Assert.Equal(("CEA", 16, 1920, 1080, 24), (root.GetProperty("table").GetString(), root.GetProperty("bit").GetInt32(), root.GetProperty("width").GetInt32(), root.GetProperty("height").GetInt32(), root.GetProperty("fps").GetInt32()));
        Assert.True(root.GetProperty("reducedByBandwidth").GetBoolean());
        Assert.Equal(5_000_000, root.GetProperty("bitrate").GetInt64());
        Assert.Contains("1360x768p60 needs 6266880 bit/s, 5000000 bit/s suggested", root.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wfd_video_formats: zz 00 01 01 00000001 00000000 00000000 00 0000 0000 00 none none\n", "wfd_video_formats is malformed")]
    [InlineData("# no video line\nwfd_audio_codecs: AAC 00000001 00\n", "has no wfd_video_formats line")]
    [InlineData("wfd_video_formats: none\n", "wfd_video_formats is none")]
    public async Task Unusable_capabilities_are_one_stderr_line_and_exit_code_3(string caps, string expected)
    {
        string file = Write("bad", caps);
        ToolResult result = await MiraflowProcess.RunAsync(["negotiate", "--caps", file]);

        Assert.True(result.ExitCode == 3, result.Describe());
        Assert.Empty(result.StandardOutput);
        string line = Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("miraflow: error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_one_stderr_line_and_exit_code_3()
    {
        string file = Path.Combine(_directory.FullName, "absent.txt");
        ToolResult result = await MiraflowProcess.RunAsync(["negotiate", "--caps", file, "--json"]);

        Assert.True(result.ExitCode == 3, result.Describe());
        Assert.Empty(result.StandardOutput);
        string line = Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"miraflow: error: cannot read the capabilities file '{file}'", line, StringComparison.Ordinal);
    }

    private const string LgCaps =
        "wfd_audio_codecs: LPCM 00000003 00, AAC 00000007 00, AC3 00000007 00\n" +
        "wfd_video_formats: 40 00 01 08 0001FFFF 3FFFFFFF 000005FF 00 0000 0000 10 none none, 02 08 0001FFFF 3FFFFFFF 000005FF 00 0000 0000 10 none none\n";

    private string Write(string name, string text)
    {
        string path = Path.Combine(_directory.FullName, name + ".txt");
        File.WriteAllText(path, text);
        return path;
    }
}
