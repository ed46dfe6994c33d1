using System.Text;

namespace Miraflow.Fuzz;

/// <summary>
/// The seeds: a few WFD messages built in (so the engine runs anywhere), our torture corpus
/// (<c>tests/Miraflow.Rtsp.Tests/Corpus/Torture/*.dat</c>, raw bytes) and the real sinks' messages
/// (<c>../shared/corpus/sinks/*.txt</c>, LF logs turned back into CRLF messages, plus every
/// <c>wfd_*</c> line and parameter body in them).
/// </summary>
internal sealed class SeedCorpus
{
    public const string TortureRelativePath = "tests/Miraflow.Rtsp.Tests/Corpus/Torture";
    public const string SinksRelativePath = "shared/corpus/sinks";

    private static readonly string[] s_builtInMessages =
    [
        "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nRequire: org.wfa.wfd1.0\r\n\r\n",
        "RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER\r\n\r\n",
        "GET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 2\r\nContent-Type: text/parameters\r\nContent-Length: 83\r\n\r\nwfd_video_formats\r\nwfd_audio_codecs\r\nwfd_client_rtp_ports\r\nwfd_content_protection\r\n",
        "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: text/parameters\r\nContent-Length: 210\r\n\r\nwfd_video_formats: 00 00 02 04 0001FFFF 1FFFFFFF 00000FFF 00 0000 0000 00 none none\r\nwfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00\r\nwfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n",
        "SET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 3\r\nContent-Type: text/parameters\r\nContent-Length: 41\r\n\r\nwfd_trigger_method: SETUP\r\nwfd_route: primary\r\n",
        "SETUP rtsp://192.168.173.1/wfd1.0/streamid=0 RTSP/1.0\r\nCSeq: 4\r\nTransport: RTP/AVP/UDP;unicast;client_port=19000\r\n\r\n",
        "RTSP/1.0 200 OK\r\nCSeq: 4\r\nSession: 6B8B4567;timeout=30\r\nTransport: RTP/AVP/UDP;unicast;client_port=19000;server_port=5000-5001\r\n\r\n",
        "PLAY rtsp://192.168.173.1/wfd1.0/streamid=0 RTSP/1.0\r\nCSeq: 5\r\nSession: 6B8B4567\r\n\r\n",
        "SET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 6\r\nSession: 6B8B4567\r\nContent-Type: text/parameters\r\nContent-Length: 17\r\n\r\nwfd_idr_request\r\n",
        "GET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 7\r\nSession: 6B8B4567\r\n\r\n",
        "TEARDOWN rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 8\r\nSession: 6B8B4567\r\n\r\n",
        "RTSP/1.0 406 Not Acceptable\r\nCSeq: 9\r\n\r\n",
    ];

    private static readonly string[] s_builtInParameterLines =
    [
        "wfd_video_formats: 40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none, 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none",
        "wfd_video_formats: 00 00 01 01 00000001 00000000 00000000 00 0000 0000 00 none none",
        "wfd_video_formats: 38 00 02 10 00000080 00000000 00000000 00 0000 0000 00 0780 0438",
        "wfd_video_formats: none",
        "wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00",
        "wfd_audio_codecs: AAC 0000000F 00, AC3 00000007 00",
        "wfd_audio_codecs: none",
        "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play",
        "wfd_content_protection: HDCP2.1 port=1189",
        "wfd_content_protection: none",
        "wfd_display_edid: 0001 00ffffffffffff004c2dde07000000002f14010380834a780aee91a3544c99260f5054bdef80714f8100814081809500950fb300a940023a801871382d40582c4500a05a0000001e662150b051001b3040703600a05a0000001e000000fd00184b1a5117000a202020202020000000fc0053414d53554e470a202020202001fd",
        "wfd_display_edid: none",
        "wfd_coupled_sink: none",
        "wfd_coupled_sink: 01 0a1b2c3d4e5f",
        "wfd_connector_type: 05",
        "wfd_connector_type: none",
        "wfd_uibc_capability: input_category_list=GENERIC, HIDC;generic_cap_list=Keyboard, Mouse;hidc_cap_list=Keyboard/USB, Mouse/USB;port=1000",
        "wfd_uibc_capability: none",
        "wfd_uibc_setting: enable",
        "wfd_standby_resume_capability: supported",
        "wfd_presentation_URL: rtsp://192.168.173.1/wfd1.0/streamid=0 none",
        "wfd_trigger_method: SETUP",
        "wfd_route: primary",
        "wfd_av_format_change_timing: 000000000F 0000000001",
        "wfd_idr_request_capability: 1",
        "wfd_idr_request",
        "wfd_standby",
        "wfd_3d_video_formats: 80 00 03 0F 0000000000000005 00 0001 1401 13 none none",
        "intel_sink_version: product_ID=widicesdk hw_version=02.00.00.0000 sw_version=02.04.46.0000",
    ];

    private SeedCorpus(List<byte[]> messages, List<byte[]> bodies, List<string> lines, int fileCount)
    {
        Messages = messages;
        Bodies = bodies;
        ParameterLines = lines;
        FileCount = fileCount;
    }

    /// <summary>Whole RTSP byte streams (one message each, except some torture files).</summary>
    public IReadOnlyList<byte[]> Messages { get; }

    /// <summary><c>text/parameters</c> bodies.</summary>
    public IReadOnlyList<byte[]> Bodies { get; }

    /// <summary>Single parameter lines (<c>name: value</c> or a name alone), without line ends.</summary>
    public IReadOnlyList<string> ParameterLines { get; }

    /// <summary>Corpus files read (0 when only the built-in seeds are used).</summary>
    public int FileCount { get; }

    /// <summary>The built-in seeds plus both corpora found under <paramref name="repositoryRoot"/> (and its parent, for <c>shared/</c>).</summary>
    public static SeedCorpus Load(string? repositoryRoot)
    {
        var messages = new List<byte[]>();
        var lines = new List<string>(s_builtInParameterLines);
        var bodies = new List<byte[]>();
        int files = 0;
        foreach (string text in s_builtInMessages)
        {
            messages.Add(Encoding.Latin1.GetBytes(text));
        }

        if (repositoryRoot is not null)
        {
            string torture = Path.Combine(repositoryRoot, TortureRelativePath);
            if (Directory.Exists(torture))
            {
                foreach (string path in Directory.GetFiles(torture, "*.dat").Order(StringComparer.Ordinal))
                {
                    messages.Add(File.ReadAllBytes(path));
                    files++;
                }
            }

            string? sinks = FindUp(repositoryRoot, SinksRelativePath);
            if (sinks is not null)
            {
                foreach (string path in Directory.GetFiles(sinks, "*.txt").Order(StringComparer.Ordinal))
                {
                    AddSinkFile(File.ReadAllText(path, Encoding.Latin1), messages, bodies, lines);
                    files++;
                }
            }
        }

        bodies.Add(Encoding.Latin1.GetBytes(string.Join("\r\n", s_builtInParameterLines) + "\r\n"));
        return new SeedCorpus(messages, bodies, lines, files);
    }

    /// <summary>The directory holding <c>Pipeline.sln</c> at or above <paramref name="start"/>, or null.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    private static string? FindUp(string start, string relative)
    {
        for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// A sink log: segments start at <c># ---</c>; other <c>#</c> lines are notes. Each segment's
    /// lines become one CRLF stream; its parameter lines become a body and single lines.
    /// </summary>
    private static void AddSinkFile(string text, List<byte[]> messages, List<byte[]> bodies, List<string> lines)
    {
        var segment = new List<string>();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("# ---", StringComparison.Ordinal))
            {
                AddSegment(segment, messages, bodies, lines);
                segment.Clear();
            }
            else if (!line.StartsWith('#'))
            {
                segment.Add(line);
            }
        }

        AddSegment(segment, messages, bodies, lines);
    }

    private static void AddSegment(List<string> segment, List<byte[]> messages, List<byte[]> bodies, List<string> lines)
    {
        while (segment.Count > 0 && segment[^1].Length == 0)
        {
            segment.RemoveAt(segment.Count - 1);
        }

        if (segment.Count == 0)
        {
            return;
        }

        var body = new StringBuilder();
        foreach (string line in segment)
        {
            string trimmed = line.Trim();
            if (IsParameterLine(trimmed))
            {
                lines.Add(trimmed);
                body.Append(trimmed).Append("\r\n");
            }
        }

        if (body.Length > 0)
        {
            bodies.Add(Encoding.Latin1.GetBytes(body.ToString()));
        }

        string joined = string.Join("\r\n", segment) + "\r\n";
        if (!joined.Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            joined += "\r\n";
        }

        messages.Add(Encoding.Latin1.GetBytes(joined));
    }

    private static bool IsParameterLine(string line) =>
        line.StartsWith("wfd", StringComparison.Ordinal)
        || line.StartsWith("intel_", StringComparison.Ordinal)
        || line.StartsWith("microsoft_", StringComparison.Ordinal);
}
