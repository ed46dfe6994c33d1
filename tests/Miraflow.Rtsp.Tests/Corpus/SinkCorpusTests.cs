using System.Globalization;
using System.Numerics;
using System.Text;
using Miraflow.Rtsp.Messages;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;
using Xunit.Abstractions;

namespace Miraflow.Rtsp.Tests.Corpus;

/// <summary>
/// The 18 real sinks of <c>shared/corpus/sinks</c>: every message parses (or, where the published
/// text stops inside it, fails with the typed error), every parameter body parses, and negotiation
/// against every M3 answer picks a mode the sink's own bitmaps contain at a level it allows.
/// </summary>
[Trait("Category", "unit")]
public sealed class SinkCorpusTests
{
    /// <summary>The mandatory mode every sink supports (protocol doc §2.3): the negotiator's fallback.</summary>
    private const string Fallback = "640x480p60 Cea 0 ConstrainedBaseline Level31";

    /// <summary>
    /// What each file must yield. Segments: one code per segment, M&lt;n&gt; = n messages, B = a whole
    /// parameter body, L = parameter lines or fragments, V = a bare value. Messages: status or method
    /// and CSeq of every message that parses, in file order. Choices: the negotiated format for every
    /// M3 answer, in file order (reasoned from the bitmaps in the comments).
    /// </summary>
    private static readonly Dictionary<string, FileExpectation> s_expectations = new(StringComparer.Ordinal)
    {
        // Whole Windows 8.1 WiDi session. M13 bodies are "wfd_idr_request" + CRLF = 17 bytes.
        // CBP entry level 4.0, VESA 053C7FFF has bit 11 (1360x768p60: 4080 MB x 60 = 244800 MB/s <= 245760
        // at 4.0), whose score 1360*768*60*2 = 125.3M beats 1920x1080p30 (124.4M); CEA bit 8 (1080p60) is clear.
        ["01-samsung-tv-sec-wdh-me29.txt"] = new(
            "M1 M1 M1 M1 M1 M1 M1 M1 M3 M7",
            SaysCut: false,
            Parsed: 18,
            Truncated: 0,
            "200/1 OPTIONS/1 200/2 200/3 200/4 200/5 SETUP/2 PLAY/3 200/6 200/7 200/8 "
            + "SET_PARAMETER/4 SET_PARAMETER/5 SET_PARAMETER/6 SET_PARAMETER/7 SET_PARAMETER/8 SET_PARAMETER/9 SET_PARAMETER/10",
            ParameterBodies: 8,
            ["1360x768p60 Vesa 11 ConstrainedBaseline Level40"],
            "whole session; the M13 bodies are exactly their Content-Length"),

        // The 403 is printed without its empty line, but nothing says the text was cut there.
        // CBP level 4.1, VESA 05557fff has bit 11: the same choice as the Samsung TV.
        ["02-actiontec-sbwd100a.txt"] = new(
            "M1 M1 M1 M1 M1",
            SaysCut: false,
            Parsed: 5,
            Truncated: 0,
            "200/1 OPTIONS/301 200/2 200/3 403/4",
            ParameterBodies: 1,
            ["1360x768p60 Vesa 11 ConstrainedBaseline Level40"],
            "all whole; the final 403 lacks only the printed empty line"),

        // CBP level 4.1, all CEA bits (no 1080p60 at 4.1), VESA 3FFFFFFF (bit 29 reserved, masked): 1360x768p60 again.
        ["03-lg-tv-2015-lge.txt"] = new(
            "M1 M1 M1",
            SaysCut: false,
            Parsed: 3,
            Truncated: 0,
            "200/1 OPTIONS/1 200/2",
            ParameterBodies: 1,
            ["1360x768p60 Vesa 11 ConstrainedBaseline Level40"],
            "all whole"),

        // FluxCast's filtered logger: the first M3's logged body is exactly its Content-Length (259), so it is
        // whole; the second M3 is only its start ("cut off"), so its header block never ends.
        // CBP level 4.2, CEA 000194FF (no 1080p60/50), VESA 155575DF has bit 13: 1366x768p60 needs 86x48 MB x 60 =
        // 247680 MB/s > 245760, so level 4.2; score 125.9M beats 1080p30.
        ["04-lg-webos-un8000pta.txt"] = new(
            "M1 M1 M1 M1 M1",
            SaysCut: true,
            Parsed: 4,
            Truncated: 1,
            "200/2 200/3 200/1 OPTIONS/0",
            ParameterBodies: 1,
            ["1366x768p60 Vesa 13 ConstrainedBaseline Level42"],
            "second excerpt's M3 stops after Content-Type (label: cut off)"),

        // The M3 appears only as its logged body lines; the same bitmaps as file 04.
        ["05-lg-webos-tv-fluxcast-11.txt"] = new(
            "B M1 M1",
            SaysCut: false,
            Parsed: 2,
            Truncated: 0,
            "200/3 200/4",
            ParameterBodies: 1,
            ["1366x768p60 Vesa 13 ConstrainedBaseline Level42"],
            "M4/M5 responses whole; the M3 is a body without its message"),

        // Quoted values only: a WFD IE in hex, the raw wfd_video_formats value (same as the LG webOS TVs), two lines.
        ["06-lg-oled65c9-webos.txt"] = new(
            "V V L L",
            SaysCut: false,
            Parsed: 0,
            Truncated: 0,
            "",
            ParameterBodies: 3,
            ["1366x768p60 Vesa 13 ConstrainedBaseline Level42"],
            "no messages, only values"),

        // "The published excerpt ends before the M3 response": M1 response and M2 are whole.
        ["07-hisense-vidaa-tv.txt"] = new(
            "M1 M1",
            SaysCut: true,
            Parsed: 2,
            Truncated: 0,
            "200/1 OPTIONS/1",
            ParameterBodies: 0,
            [],
            "the excerpt ends between messages"),

        ["08-microsoft-4k-wireless-display-adapter.txt"] = new(
            "M1 M1",
            SaysCut: false,
            Parsed: 2,
            Truncated: 0,
            "200/1 TEARDOWN/310",
            ParameterBodies: 0,
            [],
            "all whole"),

        // "The published excerpt stops at the source's M3 request", i.e. after the sink's whole M2.
        ["09-microsoft-wireless-display-adapter-msft-wdd.txt"] = new(
            "M1 M1",
            SaysCut: true,
            Parsed: 2,
            Truncated: 0,
            "200/1 OPTIONS/1",
            ParameterBodies: 0,
            [],
            "the excerpt ends between messages"),

        // Cut inside the EDID: 397 of 1141 body bytes. The logged body still negotiates: CBP level 4.2 and
        // CEA 0001bdeb has bit 8, so 1920x1080p60 (8160 MB x 60 = 489600 <= 522240 at 4.2).
        ["10-windows10-sink.txt"] = new(
            "M1",
            SaysCut: true,
            Parsed: 0,
            Truncated: 1,
            "",
            ParameterBodies: 1,
            ["1920x1080p60 Cea 8 ConstrainedBaseline Level42"],
            "the M3 stops inside wfd_display_edid"),

        // The M3 body has wfd2_video_formats but no wfd_video_formats: an R1 source falls back.
        ["11-windows-pc-sink-2023-lazycast-replay.txt"] = new(
            "M1 M1 B",
            SaysCut: false,
            Parsed: 2,
            Truncated: 0,
            "200/1 OPTIONS/1",
            ParameterBodies: 1,
            [Fallback],
            "M1/M2 whole; the M3 is a body without its message"),

        // Logcat. CBP level 3.1 only, every bit set: the best mode 3.1 carries is 1280x720p30 (3600 MB x 30 =
        // 108000, exactly MaxFS and MaxMBPS); 720p60, 800x600p60 and 960x540p60 exceed 108000 MB/s.
        ["12-android-4.4.2-stagefright-sink.txt"] = new(
            "M1",
            SaysCut: false,
            Parsed: 1,
            Truncated: 0,
            "200/2",
            ParameterBodies: 1,
            ["1280x720p30 Cea 5 ConstrainedBaseline Level31"],
            "one whole M3"),

        // The "..." elision removes fields from the value itself: it cannot parse, so negotiation falls back.
        ["13-samsung-galaxy-tab-s9-fe.txt"] = new(
            "L",
            SaysCut: true,
            Parsed: 0,
            Truncated: 0,
            "",
            ParameterBodies: 1,
            [Fallback],
            "one elided parameter line"),

        ["14-samsung-sec-wdh-vnd-daref-mobile-sink.txt"] = new(
            "L",
            SaysCut: true,
            Parsed: 0,
            Truncated: 0,
            "",
            ParameterBodies: 1,
            [],
            "fragments only (a header and three parameters)"),

        ["15-ugreen-receiver-r2.txt"] = new(
            "L",
            SaysCut: false,
            Parsed: 0,
            Truncated: 0,
            "",
            ParameterBodies: 1,
            [],
            "one wfd2 parameter line, kept raw"),

        // The M3 stops at "wfd_st" (423 of 484 body bytes). "\Public" is what lazycast really sent (a Python
        // "\P" escape) and must be tolerated. Its only H.264 entry is CHP, which our CBP encoder cannot
        // match, so negotiation falls back to the mandatory mode.
        ["16-lazycast-raspberrypi-sink.txt"] = new(
            "M1 M1 M1",
            SaysCut: true,
            Parsed: 2,
            Truncated: 1,
            "200/1 OPTIONS/100",
            ParameterBodies: 1,
            [Fallback],
            "the M3 stops inside its body"),

        // The PLAY request stops after "Se" (inside a header line).
        ["17-miraclecast-sink.txt"] = new(
            "M2 M4",
            SaysCut: true,
            Parsed: 5,
            Truncated: 1,
            "200/0 OPTIONS/1 200/3 200/4 SETUP/2",
            ParameterBodies: 0,
            [],
            "the M7 PLAY stops inside its headers"),

        // CBP level 4.2, all CEA bits: 1920x1080p60 (VESA 1920x1200p30 needs 9000 MB > 8704: no level carries it).
        ["18-intel-wds-sink.txt"] = new(
            "M1 M1 M1 M1",
            SaysCut: false,
            Parsed: 4,
            Truncated: 0,
            "200/1 OPTIONS/1 200/2 200/2",
            ParameterBodies: 2,
            ["1920x1080p60 Cea 8 ConstrainedBaseline Level42", "1920x1080p60 Cea 8 ConstrainedBaseline Level42"],
            "all whole, including the M3 without Content-Type"),
    };

    /// <summary>Values that the published text itself broke; every other typed value must parse.</summary>
    private static readonly Dictionary<(string File, string Parameter), string> s_valuesCutInTheText = new()
    {
        [("10-windows10-sink.txt", WfdDisplayEdid.Name)] = "the excerpt stops inside the EDID (69 of 256 hex digits)",
        [("13-samsung-galaxy-tab-s9-fe.txt", WfdVideoFormats.Name)] = "\"...\" elides the HH bitmap and the following fields",
    };

    /// <summary>Every typed parser that a corpus value can reach.</summary>
    private static readonly (string Name, Func<WfdParameterSet, object?> Get)[] s_typedParameters =
    [
        (WfdVideoFormats.Name, set => set.Get<WfdVideoFormats>()),
        (WfdAudioCodecs.Name, set => set.Get<WfdAudioCodecs>()),
        (WfdClientRtpPorts.Name, set => set.Get<WfdClientRtpPorts>()),
        (WfdContentProtection.Name, set => set.Get<WfdContentProtection>()),
        (WfdDisplayEdid.Name, set => set.Get<WfdDisplayEdid>()),
        (WfdConnectorType.Name, set => set.Get<WfdConnectorType>()),
        (WfdCoupledSink.Name, set => set.Get<WfdCoupledSink>()),
        (WfdUibcCapability.Name, set => set.Get<WfdUibcCapability>()),
        (WfdIdrRequestCapability.Name, set => set.Get<WfdIdrRequestCapability>()),
        (WfdStandbyResumeCapability.Name, set => set.Get<WfdStandbyResumeCapability>()),
        (WfdIdrRequest.Name, set => set.Get<WfdIdrRequest>()),
    ];

    private readonly ITestOutputHelper _output;

    public SinkCorpusTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> FileNames => new(s_expectations.Keys);

    // ---- The loader -------------------------------------------------------------------------------

    [Fact]
    public void Loader_FindsTheEighteenFiles()
    {
        IReadOnlyList<string> names = SinkCorpus.FileNames;

        Assert.Equal(18, names.Count);
        Assert.Equal(s_expectations.Keys.Order(StringComparer.Ordinal), names);
        Assert.True(File.Exists(Path.Combine(SinkCorpus.Directory, "README.md")));
        Assert.DoesNotContain("README.md", names);
    }

    [Theory]
    [MemberData(nameof(FileNames))]
    public void Loader_CutsEachFileIntoSegments(string fileName)
    {
        FileExpectation expected = s_expectations[fileName];
        SinkFile file = SinkCorpus.Load(fileName);

        Assert.Equal(expected.Segments, string.Join(' ', file.Segments.Select(SegmentCode)));
        Assert.Equal(expected.SaysCut, file.SaysCut);
        Assert.Equal(expected.Truncated, file.Messages.Count(message => message.EndsAtCut));
        Assert.Equal(expected.ParameterBodies, GetParameterBodies(file).Count);
        foreach (SinkSegment segment in file.Segments)
        {
            foreach (SinkMessage message in segment.Messages)
            {
                string? contentLength = message.GetLoggedHeader("Content-Length");
                if (message.EndsAtCut)
                {
                    // Only the last message of an excerpt can be cut, and a cut never leaves a whole body.
                    Assert.Same(message, file.Segments.Where(s => s.Excerpt == segment.Excerpt).SelectMany(s => s.Messages).Last());
                    Assert.True(contentLength is null || message.LoggedBody.Length < ParseInt(contentLength), message.ToString());
                }
                else
                {
                    Assert.Equal(contentLength is null ? 0 : ParseInt(contentLength), message.LoggedBody.Length);
                }
            }
        }
    }

    [Fact]
    public void Loader_RebuildsFluxCastMessages()
    {
        SinkMessage[] messages = [.. SinkCorpus.Load("04-lg-webos-un8000pta.txt").Messages];

        // Prefixes gone, CRLF line ends, the empty line the filtered logger never prints put back.
        Assert.Equal(
            "RTSP/1.0 200 OK\r\n"
            + "CSeq: 2\r\n"
            + "Content-Type: text/parameters\r\n"
            + "Content-Length: 259\r\n"
            + "\r\n"
            + "wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00\r\n"
            + "wfd_video_formats: 40 00 01 10 000194FF 155575DF 00000555 00 0000 0000 1F none none, "
            + "02 10 000194FF 155575DF 00000555 00 0000 0000 1F none none\r\n"
            + "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 53000 0 mode=play\r\n",
            Ascii(messages[0].Bytes));
        Assert.Equal("RTSP/1.0 200 OK\r\nCSeq: 3\r\n\r\n", Ascii(messages[1].Bytes));
        Assert.Equal("OPTIONS * RTSP/1.0\r\nCSeq: 0\r\n\r\n", Ascii(messages[3].Bytes));

        // The cut M3: its header block stays open.
        Assert.True(messages[4].EndsAtCut);
        Assert.Equal("RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: text/parameters\r\n", Ascii(messages[4].Bytes));

        // Chatter ("<- response for M3_GET_PARAMETER: 200 OK") is not message text.
        SinkSegment body = SinkCorpus.Load("05-lg-webos-tv-fluxcast-11.txt").Segments[0];
        Assert.Equal(SinkSegmentKind.ParameterBody, body.Kind);
        Assert.Equal(2, body.Lines.Count);
        Assert.StartsWith("wfd_client_rtp_ports: ", body.Lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Loader_RebuildsTheLogcatMessage()
    {
        SinkFile file = SinkCorpus.Load("12-android-4.4.2-stagefright-sink.txt");
        SinkMessage message = Assert.Single(file.Messages);

        // "[-1][" and the closing "]" removed, the 49-column continuation indent removed, the logged
        // empty line kept, and the "--> --> --> sendRequest()" chatter dropped.
        Assert.Equal(
            "RTSP/1.0 200 OK\r\n"
            + "Date: Sat, 16 Jul 2016 07:13:39 +0000\r\n"
            + "User-Agent: stagefright/1.2 (Linux;Android 4.4.2)\r\n"
            + "CSeq: 2\r\n"
            + "Content-Type: text/parameters\r\n"
            + "Content-Length: 181\r\n"
            + "\r\n"
            + "wfd_video_formats: 28 00 01 01 ffffffff ffffffff ffffffff 00 0000 0000 00 none none\r\n"
            + "wfd_audio_codecs: AAC 0000000F 00\r\n"
            + "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n",
            Ascii(message.Bytes));
        Assert.Equal(7, message.LineNumber);
        Assert.Equal(181, message.LoggedBody.Length);
    }

    [Fact]
    public void Loader_EndsCutMessagesWhereTheTextStops()
    {
        // miraclecast: "the published excerpt stops after "Se"" - inside a header line, so no line end.
        SinkMessage play = SinkCorpus.Load("17-miraclecast-sink.txt").Messages.Last();
        Assert.True(play.EndsMidLine);
        Assert.Equal("PLAY rtsp://192.168.49.1/wfd1.0/streamid=0 RTSP/1.0\r\nSe", Ascii(play.Bytes));

        // lazycast: the body stops at "wfd_st"; its markers ("<--------", "<---M2---") separate messages.
        SinkFile lazycast = SinkCorpus.Load("16-lazycast-raspberrypi-sink.txt");
        SinkMessage m3 = lazycast.Messages.Last();
        Assert.True(m3.EndsMidLine);
        Assert.EndsWith(";port=none\r\nwfd_st", Ascii(m3.Bytes), StringComparison.Ordinal);
        Assert.Equal(423, m3.LoggedBody.Length);
        Assert.Equal("RTSP/1.0 200 OK\r\nCSeq: 1\r\n\\Public: org.wfa.wfd1.0, SET_PARAMETER, GET_PARAMETER\r\n\r\n", Ascii(lazycast.Messages.First().Bytes));

        // Windows 10: cut inside the EDID value.
        SinkMessage edid = Assert.Single(SinkCorpus.Load("10-windows10-sink.txt").Messages);
        Assert.True(edid.EndsMidLine);
        Assert.EndsWith("a057499b2610484", Ascii(edid.Bytes), StringComparison.Ordinal);

        // Whole messages printed without their trailing empty line get it back.
        Assert.Equal("RTSP/1.0 403 Forbidden\r\nCSeq: 4\r\n\r\n", Ascii(SinkCorpus.Load("02-actiontec-sbwd100a.txt").Messages.Last().Bytes));
        SinkMessage m2 = SinkCorpus.Load("09-microsoft-wireless-display-adapter-msft-wdd.txt").Messages.Last();
        Assert.False(m2.EndsAtCut);
        Assert.EndsWith("User-Agent: MSFT-WDD\r\n\r\n", Ascii(m2.Bytes), StringComparison.Ordinal);
    }

    // ---- Messages ---------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(FileNames))]
    public void EveryMessageParses(string fileName)
    {
        FileExpectation expected = s_expectations[fileName];
        SinkFile file = SinkCorpus.Load(fileName);
        var parsed = new List<RtspMessage>();
        var outcomes = new List<string>();
        int truncated = 0;
        foreach (SinkMessage logged in file.Messages)
        {
            Outcome whole = DecodeWhole(logged.Bytes);
            Outcome byteByByte = DecodeByteByByte(logged.Bytes);
            outcomes.Add(string.Create(CultureInfo.InvariantCulture, $"line {logged.LineNumber}: {(whole.Message is null ? whole.Error.ToString() : "parsed")}"));

            Assert.Equal(whole.Error, byteByByte.Error);
            Assert.Equal(whole.Message is null, byteByByte.Message is null);
            if (whole.Message is not null && byteByByte.Message is not null)
            {
                CheckFacts(logged, whole.Message);
                CheckFacts(logged, byteByByte.Message);

                // Exact boundary: the message comes out with its last byte, not before.
                Assert.Equal(logged.Bytes.Length - 1, byteByByte.CompletedAt);
                parsed.Add(whole.Message);
            }
            else if (whole.Error == expected.TruncatedAs)
            {
                Assert.True(logged.EndsAtCut, $"{logged} failed with {whole.Error}, but the file does not say it was cut there.");
                truncated++;
            }
        }

        string report = $"{fileName} ({expected.Why}): " + string.Join("; ", outcomes);
        Assert.True(expected.Parsed == parsed.Count, $"expected {expected.Parsed} parsed messages. {report}");
        Assert.True(expected.Truncated == truncated, $"expected {expected.Truncated} ending in {expected.TruncatedAs}. {report}");
        Assert.Equal(expected.Messages, string.Join(' ', parsed.Select(Summary)));

        // Several messages in one read: each excerpt is one connection, its messages back to back.
        foreach (IGrouping<int, SinkMessage> excerpt in file.Segments.SelectMany(s => s.Messages.Select(m => (s.Excerpt, Message: m))).GroupBy(x => x.Excerpt, x => x.Message))
        {
            SinkMessage[] messages = [.. excerpt];
            byte[] stream = [.. messages.SelectMany(m => m.Bytes)];
            var decoder = new RtspMessageDecoder();
            decoder.Append(stream);
            var read = new List<RtspMessage>();
            while (decoder.TryReadMessage(out RtspMessage? message))
            {
                read.Add(message);
            }

            SinkMessage[] whole = [.. messages.Where(m => !m.EndsAtCut)];
            Assert.Equal(whole.Length, read.Count);
            for (int i = 0; i < whole.Length; i++)
            {
                CheckFacts(whole[i], read[i]);
            }

            if (messages[^1].EndsAtCut)
            {
                RtspParseException error = Assert.Throws<RtspParseException>(decoder.Complete);
                Assert.Equal(expected.TruncatedAs, error.Error);
            }
            else
            {
                Assert.Equal(0, decoder.BufferedBytes);
                decoder.Complete();
            }
        }
    }

    // ---- Parameters -------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(FileNames))]
    public void EveryParameterBodyParses(string fileName)
    {
        SinkFile file = SinkCorpus.Load(fileName);
        var expectedFailures = s_valuesCutInTheText.Keys.Where(key => key.File == fileName).Select(key => key.Parameter).ToHashSet(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParameterBody body in GetParameterBodies(file))
        {
            WfdParameterSet set = WfdParameterSet.Parse(body.Bytes);

            // Every line kept, in order, vendor and wfd2 lines as raw text.
            string[] lines = Ascii(body.Bytes).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(lines.Length, set.Count);
            foreach (string line in lines)
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                string name = colon < 0 ? line : line[..colon];
                Assert.True(set.Contains(name), $"{body.Source}: {name} missing");
                Assert.Equal(colon < 0 ? null : line[(colon + 1)..].Trim(), set[name]);
            }

            // The same body without its final line end (a body cut mid-line has none to remove).
            if (body.Bytes.AsSpan().EndsWith("\r\n"u8))
            {
                WfdParameterSet unterminated = WfdParameterSet.Parse(body.Bytes.AsSpan(0, body.Bytes.Length - 2));
                Assert.Equal(set.ToArray(), unterminated.ToArray());
            }

            foreach ((string name, Func<WfdParameterSet, object?> get) in s_typedParameters)
            {
                if (!set.Contains(name))
                {
                    continue;
                }

                if (expectedFailures.Contains(name))
                {
                    WfdParameterException error = Assert.Throws<WfdParameterException>(() => get(set));
                    Assert.Equal(name, error.ParameterName);
                    failed.Add(name);
                }
                else
                {
                    Assert.NotNull(get(set));
                }
            }
        }

        // The table of broken values is not stale.
        Assert.True(
            failed.SetEquals(expectedFailures),
            $"{fileName}: expected typed failures [{string.Join("; ", expectedFailures.Select(name => $"{name}: {s_valuesCutInTheText[(fileName, name)]}"))}], got [{string.Join(", ", failed)}]");
    }

    [Fact]
    public void TypedValuesKeepWhatSinksSent()
    {
        // Samsung TV: CHP then CBP entry, level 4.0, bitmaps as sent, max-hres/vres "none".
        WfdParameterSet samsung = M3Answer("01-samsung-tv-sec-wdh-me29.txt", 0);
        WfdVideoFormats samsungVideo = samsung.Get<WfdVideoFormats>()!;
        Assert.Equal(0x40, samsungVideo.Native);
        Assert.Equal(2, samsungVideo.Codecs.Count);
        Assert.Equal(
            new H264Codec(H264Profiles.ConstrainedBaseline, H264Levels.Level40, 0x0001DEFF, 0x053C7FFF, 0x00000FFF, 0, 0, 0, 0x11, null, null),
            samsungVideo.Codecs[1]);
        Assert.Equal(H264Profiles.ConstrainedHigh, samsungVideo.Codecs[0].Profile);
        Assert.Equal(new[] { new AudioCodec(AudioFormat.Lpcm, 3, 0), new AudioCodec(AudioFormat.Aac, 1, 0) }, samsung.Get<WfdAudioCodecs>()!.Codecs);
        Assert.Equal(new WfdClientRtpPorts("RTP/AVP/UDP;unicast", 19000, 0, "mode=play"), samsung.Get<WfdClientRtpPorts>());
        Assert.Equal(new WfdContentProtection(HdcpVersion.Hdcp21, 1189), samsung.Get<WfdContentProtection>());
        WfdDisplayEdid edid = samsung.Get<WfdDisplayEdid>()!;
        Assert.Equal(2, edid.BlockCount);
        Assert.Equal(256, edid.Edid.Length);
        Assert.Equal("product_ID=widicesdk hw_version=02.00.00.0000 sw_version=02.04.46.0000", samsung["intel_sink_version"]);

        // ActionTec: preferred-display-mode 01 with 0780 0438, latency 02, slice-enc 00ff; AC3 with no mode bits.
        WfdParameterSet actiontec = M3Answer("02-actiontec-sbwd100a.txt", 0);
        WfdVideoFormats actiontecVideo = actiontec.Get<WfdVideoFormats>()!;
        Assert.Equal(1, actiontecVideo.PreferredDisplayModeSupported);
        Assert.Equal(
            new H264Codec(H264Profiles.ConstrainedBaseline, H264Levels.Level41, 0x00019CEB, 0x05557FFF, 0x00000FFF, 2, 0, 0x00FF, 0x11, 0x0780, 0x0438),
            actiontecVideo.Codecs[1]);
        Assert.Equal(new AudioCodec(AudioFormat.Ac3, 0, 2), actiontec.Get<WfdAudioCodecs>()!.Codecs[2]);

        // LG 2015: VESA bit 29 kept as sent, masked for decisions.
        H264Codec lg = M3Answer("03-lg-tv-2015-lge.txt", 0).Get<WfdVideoFormats>()!.Codecs[0];
        Assert.Equal(0x3FFFFFFFu, lg.Vesa);
        Assert.Equal(0x1FFFFFFFu, lg.GetSupported(ResolutionTable.Vesa));

        // Android 4.4.2 board: all-ones bitmaps kept, masked to the defined bits.
        WfdVideoFormats android = M3Answer("12-android-4.4.2-stagefright-sink.txt", 0).Get<WfdVideoFormats>()!;
        H264Codec board = Assert.Single(android.Codecs);
        Assert.Equal(0x28, android.Native);
        Assert.Equal((H264Profiles.ConstrainedBaseline, H264Levels.Level31), (board.Profile, board.Level));
        Assert.Equal(0xFFFFFFFFu, board.Cea);
        Assert.Equal(0x0001FFFFu, board.GetSupported(ResolutionTable.Cea));
        Assert.Equal(0x1FFFFFFFu, board.GetSupported(ResolutionTable.Vesa));
        Assert.Equal(0x00000FFFu, board.GetSupported(ResolutionTable.Hh));

        // intel/wds sink: "0000 0000" max-hres/vres are numbers, not none; RTP port 0 is data, not an error.
        WfdParameterSet intel = M3Answer("18-intel-wds-sink.txt", 0);
        H264Codec intelCodec = intel.Get<WfdVideoFormats>()!.Codecs[0];
        Assert.Equal(((ushort?)0, (ushort?)0), (intelCodec.MaxHorizontalResolution, intelCodec.MaxVerticalResolution));
        Assert.Equal(0, intel.Get<WfdClientRtpPorts>()!.Port0);
    }

    // ---- Negotiation ------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(FileNames))]
    public void NegotiationPicksAModeTheSinkHas(string fileName)
    {
        FileExpectation expected = s_expectations[fileName];
        SourceCapabilities ours = SourceCapabilities.Default;
        var choices = new List<string>();
        foreach (ParameterBody body in GetParameterBodies(SinkCorpus.Load(fileName)))
        {
            WfdParameterSet set = WfdParameterSet.Parse(body.Bytes);

            // An M3 answer: anything that holds wfd_video_formats, or a whole body (which then lacks it).
            if (!set.Contains(WfdVideoFormats.Name) && body.Kind != SinkSegmentKind.ParameterBody)
            {
                continue;
            }

            NegotiationResult result = FormatNegotiator.Negotiate(set, ours);
            choices.Add(Describe(result.Chosen));
            _output.WriteLine($"{body.Source}: {result.Reason}");
            set.TryGet(out WfdVideoFormats? formats, out _);
            bool sinkOffersOurProfile = formats is not null && formats.Codecs.Any(codec => (codec.Profile & ours.Profiles) != 0);
            if (!sinkOffersOurProfile)
            {
                // Absent, malformed ("..."), or no entry with a profile we encode: only the mandatory mode.
                Assert.Equal(Fallback, Describe(result.Chosen));
            }

            foreach (NegotiatedFormat candidate in result.Candidates)
            {
                CheckCandidate(body.Source, candidate, ours, sinkOffersOurProfile ? formats : null);
            }
        }

        Assert.Equal(expected.Choices, choices);
    }

    // ---- Helpers ----------------------------------------------------------------------------------

    /// <summary>A mode is real, allowed by both sides, carried by its level and, when the sink offers our profile, in its bitmaps.</summary>
    private static void CheckCandidate(string source, NegotiatedFormat candidate, SourceCapabilities ours, WfdVideoFormats? sink)
    {
        VideoMode mode = candidate.Mode;
        string what = $"{source}: {Describe(candidate)}";

        // Never a reserved bit (CEA >= 17, VESA >= 29, HH >= 12), and exactly the table's entry.
        int tableSize = mode.Table switch
        {
            ResolutionTable.Cea => 17,
            ResolutionTable.Vesa => 29,
            ResolutionTable.Hh => 12,
            _ => 0,
        };
        Assert.True(mode.Bit >= 0 && mode.Bit < tableSize, $"{what}: reserved bit");
        Assert.Equal(VideoModes.Get(mode.Table)[mode.Bit], mode);
        Assert.True(mode.Progressive || ours.AllowInterlaced, $"{what}: interlaced");

        // One profile we encode, one level we encode.
        Assert.True(IsSingleBit((uint)candidate.Profile) && (candidate.Profile & ours.Profiles) != 0, $"{what}: profile");
        Assert.True(IsSingleBit((uint)candidate.Level) && candidate.Level <= ours.MaxLevel, $"{what}: level");
        Assert.True(LevelCarries(candidate.Level, mode), $"{what}: level {candidate.Level} cannot carry the mode");

        if (sink is null)
        {
            Assert.Equal(Fallback, Describe(candidate));
            return;
        }

        Assert.True(
            sink.Codecs.Any(codec => (codec.Profile & candidate.Profile) != 0
                && candidate.Level <= HighestLevel(codec.Level)
                && (codec.GetSupported(mode.Table) & mode.Mask) != 0),
            $"{what}: no H.264 entry of the sink has this mode with this profile at this level");
    }

    /// <summary>H.264 Annex A, Table A-1: MaxFS and MaxMBPS of the WFD levels; macroblocks = ceil(w/16) × ceil(h/16).</summary>
    private static bool LevelCarries(H264Levels level, VideoMode mode)
    {
        (int maxFrameSize, int maxPerSecond) = level switch
        {
            H264Levels.Level31 => (3600, 108_000),
            H264Levels.Level32 => (5120, 216_000),
            H264Levels.Level40 or H264Levels.Level41 => (8192, 245_760),
            H264Levels.Level42 => (8704, 522_240),
            _ => (0, 0),
        };
        int macroblocks = ((mode.Width + 15) / 16) * ((mode.Height + 15) / 16);
        return macroblocks <= maxFrameSize && (long)macroblocks * mode.FramesPerSecond <= maxPerSecond;
    }

    /// <summary>The highest defined level bit (3.1 … 4.2) of an entry's level bitmap.</summary>
    private static H264Levels HighestLevel(H264Levels levels)
    {
        uint defined = (uint)levels & 0x1F;
        return defined == 0 ? H264Levels.None : (H264Levels)(1 << BitOperations.Log2(defined));
    }

    private static bool IsSingleBit(uint value) => value != 0 && (value & (value - 1)) == 0;

    private static string Describe(NegotiatedFormat format) =>
        string.Create(CultureInfo.InvariantCulture, $"{format.Mode} {format.Mode.Table} {format.Mode.Bit} {format.Profile} {format.Level}");

    private static void CheckFacts(SinkMessage logged, RtspMessage parsed)
    {
        string[] start = logged.StartLine.Split(' ', 3);
        if (logged.StartLine.StartsWith("RTSP/", StringComparison.Ordinal))
        {
            Assert.True(parsed.IsResponse, logged.ToString());
            Assert.Equal(start[0], parsed.Version);
            Assert.Equal(ParseInt(start[1]), parsed.StatusCode);
            Assert.Equal(start.Length > 2 ? start[2] : string.Empty, parsed.ReasonPhrase);
        }
        else
        {
            Assert.True(parsed.IsRequest, logged.ToString());
            Assert.Equal(start[0], parsed.Method);
            Assert.Equal(RtspMethods.Parse(start[0]), parsed.KnownMethod);
            Assert.NotEqual(RtspMethod.Unknown, parsed.KnownMethod);
            Assert.Equal(start[1], parsed.Uri);
            Assert.Equal(start[2], parsed.Version);
        }

        Assert.Equal(logged.HeaderLines.Count, parsed.Headers.Count);
        foreach (string line in logged.HeaderLines)
        {
            string name = line[..line.IndexOf(':', StringComparison.Ordinal)].Trim();
            Assert.Equal(logged.GetLoggedHeader(name), parsed.Headers[name]);
        }

        Assert.Equal(ParseInt(logged.GetLoggedHeader("CSeq")!), parsed.CSeq);
        string? contentLength = logged.GetLoggedHeader("Content-Length");
        Assert.Equal(contentLength is null ? 0 : ParseInt(contentLength), parsed.Body.Length);
        Assert.Equal(logged.LoggedBody.ToArray(), parsed.Body.ToArray());
    }

    private static string Summary(RtspMessage message) => string.Create(
        CultureInfo.InvariantCulture,
        $"{(message.IsRequest ? message.Method : message.StatusCode.ToString(CultureInfo.InvariantCulture))}/{message.CSeq}");

    /// <summary>The whole message in one read; then the stream ends.</summary>
    private static Outcome DecodeWhole(byte[] bytes)
    {
        var decoder = new RtspMessageDecoder();
        try
        {
            decoder.Append(bytes);
            if (decoder.TryReadMessage(out RtspMessage? message))
            {
                Assert.False(decoder.TryReadMessage(out _));
                Assert.Equal(0, decoder.BufferedBytes);
                decoder.Complete();
                return new Outcome(message, RtspParseError.None, bytes.Length - 1);
            }

            decoder.Complete();
            return new Outcome(null, RtspParseError.None, -1);
        }
        catch (RtspParseException ex)
        {
            return new Outcome(null, ex.Error, -1);
        }
    }

    /// <summary>One byte per read, asking for a message after each; then the stream ends.</summary>
    private static Outcome DecodeByteByByte(byte[] bytes)
    {
        var decoder = new RtspMessageDecoder();
        RtspMessage? result = null;
        int completedAt = -1;
        try
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                decoder.Append(bytes.AsSpan(i, 1));
                while (decoder.TryReadMessage(out RtspMessage? message))
                {
                    Assert.Null(result);
                    result = message;
                    completedAt = i;
                }
            }

            decoder.Complete();
            return new Outcome(result, RtspParseError.None, completedAt);
        }
        catch (RtspParseException ex)
        {
            return new Outcome(result, ex.Error, completedAt);
        }
    }

    /// <summary>
    /// Every parameter body of a file, in file order: message bodies (whole or as far as they were
    /// logged), body and line segments, and bare values whose label names their parameter.
    /// </summary>
    private static List<ParameterBody> GetParameterBodies(SinkFile file)
    {
        var bodies = new List<ParameterBody>();
        foreach (SinkSegment segment in file.Segments)
        {
            foreach (SinkMessage message in segment.Messages)
            {
                if (!message.LoggedBody.IsEmpty)
                {
                    bodies.Add(new ParameterBody($"{file.Name}:{message.LineNumber}", segment.Kind, message.LoggedBody.ToArray()));
                }
            }

            if (segment.GetParameterBody() is { } body)
            {
                bodies.Add(new ParameterBody($"{file.Name}:{segment.LineNumber}", segment.Kind, body));
            }
        }

        return bodies;
    }

    private static WfdParameterSet M3Answer(string fileName, int index) =>
        WfdParameterSet.Parse(GetParameterBodies(SinkCorpus.Load(fileName))[index].Bytes);

    private static string SegmentCode(SinkSegment segment) => segment.Kind switch
    {
        SinkSegmentKind.Messages => string.Create(CultureInfo.InvariantCulture, $"M{segment.Messages.Count}"),
        SinkSegmentKind.ParameterBody => "B",
        SinkSegmentKind.ParameterLines => "L",
        _ => "V",
    };

    private static int ParseInt(string text) => int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Ascii(ReadOnlySpan<byte> bytes) => Encoding.ASCII.GetString(bytes);

    private sealed record FileExpectation(
        string Segments,
        bool SaysCut,
        int Parsed,
        int Truncated,
        string Messages,
        int ParameterBodies,
        string[] Choices,
        string Why)
    {
        /// <summary>The error a message that the published text cuts off must end in.</summary>
        public RtspParseError TruncatedAs { get; init; } = RtspParseError.UnexpectedEndOfStream;
    }

    private sealed record ParameterBody(string Source, SinkSegmentKind Kind, byte[] Bytes);

    private readonly record struct Outcome(RtspMessage? Message, RtspParseError Error, int CompletedAt);
}
