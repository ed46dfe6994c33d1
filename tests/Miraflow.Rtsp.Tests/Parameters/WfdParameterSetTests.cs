using System.Buffers;
using System.Text;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Tests.TestSupport;

namespace Miraflow.Rtsp.Tests.Parameters;

[Trait("Category", "unit")]
public sealed class WfdParameterSetTests
{
    private static WfdParameterSet Parse(string body) => WfdParameterSet.Parse(Encoding.ASCII.GetBytes(body));

    private static string BodyOf(string fileName, Func<string, bool> keep) =>
        string.Join("\r\n", File.ReadLines(SinkCorpus.PathOf(fileName)).Where(keep)) + "\r\n";

    [Fact]
    public void Parse_CrLfLfAndMissingLastLineEnd()
    {
        WfdParameterSet set = Parse("wfd_audio_codecs: AAC 00000001 00\r\nwfd_connector_type: 05\nwfd_idr_request\r\n\r\n\nwfd_uibc_setting:   enable  ");
        Assert.Equal(4, set.Count);
        Assert.Equal("AAC 00000001 00", set["wfd_audio_codecs"]);
        Assert.Equal("05", set["WFD_CONNECTOR_TYPE"]);
        Assert.True(set.Contains("wfd_idr_request"));
        Assert.Null(set["wfd_idr_request"]);
        Assert.Equal("enable", set["wfd_uibc_setting"]);
        Assert.Null(set["wfd_absent"]);
        Assert.Same(WfdIdrRequest.Instance, set.Get<WfdIdrRequest>());
        Assert.Equal(WfdUibcSetting.Enable, set.Get<WfdUibcSetting>());
    }

    [Fact]
    public void M3Request_NamesOnly_RoundTrips()
    {
        const string body = "wfd_video_formats\r\nwfd_audio_codecs\r\nwfd_client_rtp_ports\r\n";
        WfdParameterSet set = Parse(body);
        Assert.Equal(["wfd_video_formats", "wfd_audio_codecs", "wfd_client_rtp_ports"], set.Select(p => p.Name));
        Assert.All(set, p => Assert.Null(p.Value));
        Assert.Equal(body, Encoding.ASCII.GetString(set.ToArray()));
    }

    [Fact]
    public void Names_AreCaseInsensitive_ForTypedGet()
    {
        WfdParameterSet set = Parse("wfd_presentation_url: rtsp://127.0.0.1/wfd1.0/streamid=0 none\r\n");
        Assert.Equal("rtsp://127.0.0.1/wfd1.0/streamid=0", set.Get<WfdPresentationUrl>()!.Url0);
        set.Set(new WfdPresentationUrl("rtsp://192.168.173.1/wfd1.0/streamid=0", null));
        Assert.Equal(1, set.Count);
        Assert.Equal("wfd_presentation_URL: rtsp://192.168.173.1/wfd1.0/streamid=0 none\r\n", set.ToString());
    }

    [Fact]
    public void Samsung_M3Body_RoundTripsByteForByte_VendorLinesIncluded()
    {
        string body = BodyOf(
            "01-samsung-tv-sec-wdh-me29.txt",
            l => (l.StartsWith("wfd_", StringComparison.Ordinal) || l.StartsWith("intel_", StringComparison.Ordinal)) && l.Contains(": ", StringComparison.Ordinal));
        WfdParameterSet set = Parse(body);
        Assert.Equal(13, set.Count);
        Assert.Equal(body, Encoding.ASCII.GetString(set.ToArray()));
        Assert.Equal("80 00 03 0F 0000000000000005 00 0001 1401 13 none none", set["wfd_3d_video_formats"]);
        Assert.Equal("product_ID=widicesdk hw_version=02.00.00.0000 sw_version=02.04.46.0000", set["intel_sink_version"]);
        Assert.Equal(2, set.Get<WfdVideoFormats>()!.Codecs.Count);
        Assert.Equal(new WfdContentProtection(HdcpVersion.Hdcp21, 1189), set.Get<WfdContentProtection>());
        Assert.Equal(2, set.Get<WfdDisplayEdid>()!.BlockCount);
        Assert.Equal(WfdCoupledSink.None, set.Get<WfdCoupledSink>());
        Assert.Equal(19000, set.Get<WfdClientRtpPorts>()!.Port0);
        Assert.Equal(WfdUibcCapability.None, set.Get<WfdUibcCapability>());
        Assert.Equal((byte)5, set.Get<WfdConnectorType>()!.Type);
        Assert.True(set.Get<WfdStandbyResumeCapability>()!.Supported);

        // Replacing a typed value keeps the vendor lines and their order.
        set.Set(WfdContentProtection.None);
        string rewritten = set.ToString();
        Assert.Contains("wfd_content_protection: none\r\n", rewritten, StringComparison.Ordinal);
        Assert.Contains("intel_interactivity_mode: HIGH\r\n", rewritten, StringComparison.Ordinal);
        Assert.Equal(13, Parse(rewritten).Count);
    }

    [Fact]
    public void WindowsPc_VendorAndR2Lines_SurviveRoundTrip()
    {
        string body = BodyOf(
            "11-windows-pc-sink-2023-lazycast-replay.txt",
            l => l.Contains(": ", StringComparison.Ordinal) && (l.StartsWith("wfd", StringComparison.Ordinal) || l.StartsWith("microsoft_", StringComparison.Ordinal) || l.StartsWith("intel_", StringComparison.Ordinal)));
        body = body[..^2]; // the script sends no final CRLF
        WfdParameterSet set = Parse(body);
        Assert.Equal(22, set.Count);
        Assert.Equal(body + "\r\n", Encoding.ASCII.GetString(set.ToArray()));
        Assert.Equal("0000001fffff", set["microsoft_video_formats"]);
        Assert.Equal("LPCM 000001ff 00", set["wfd2_audio_codecs"]);
        Assert.Null(set.Get<WfdVideoFormats>());
        Assert.True(set.Get<WfdIdrRequestCapability>()!.SendsIdrRequests);
        Assert.Equal(6, set.Get<WfdUibcCapability>()!.HidcCapabilities.Count);
    }

    [Fact]
    public void TruncatedEdid_IsAnEdidError_OthersStillParse()
    {
        string body = BodyOf("10-windows10-sink.txt", l => l.StartsWith("wfd_", StringComparison.Ordinal));
        WfdParameterSet set = Parse(body);
        Assert.Equal(5, set.Count);

        WfdParameterException ex = Assert.Throws<WfdParameterException>(() => set.Get<WfdDisplayEdid>());
        Assert.Equal(WfdParameterError.InvalidFieldWidth, ex.Error);
        Assert.Equal("wfd_display_edid", ex.ParameterName);
        Assert.False(set.TryGet(out WfdDisplayEdid? edid, out WfdParameterException? error));
        Assert.Null(edid);
        Assert.Equal(WfdParameterError.InvalidFieldWidth, error!.Error);

        Assert.Equal(1028, set.Get<WfdClientRtpPorts>()!.Port0);
        Assert.Equal(3, set.Get<WfdAudioCodecs>()!.Codecs.Count);
        Assert.Equal(2, set.Get<WfdVideoFormats>()!.Codecs.Count);
        Assert.True(set.Get<WfdContentProtection>()!.IsNone);
        Assert.Equal(body, Encoding.ASCII.GetString(set.ToArray()));
    }

    [Fact]
    public void TryGet_Absent_IsFalseWithoutError()
    {
        WfdParameterSet set = Parse("wfd_connector_type: 05\r\n");
        Assert.False(set.TryGet(out WfdVideoFormats? v, out WfdParameterException? error));
        Assert.Null(v);
        Assert.Null(error);
        Assert.True(set.TryGet(out WfdConnectorType? connector, out error));
        Assert.Equal((byte)5, connector!.Type);
        Assert.Null(error);
    }

    [Fact]
    public void EveryCorpusParameterLine_ParsesTypedOrFailsTyped()
    {
        string[] names =
        [
            "wfd_video_formats", "wfd_audio_codecs", "wfd_client_rtp_ports", "wfd_content_protection", "wfd_display_edid",
            "wfd_coupled_sink", "wfd_uibc_capability", "wfd_connector_type", "wfd_standby_resume_capability", "wfd_idr_request_capability",
        ];
        int parsed = 0;
        foreach (string file in SinkCorpus.Files())
        {
            foreach (string name in names)
            {
                foreach (string line in SinkCorpus.ExtractLines(file, name))
                {
                    WfdParameterSet set = Parse(line + "\r\n");
                    Assert.Equal(line + "\r\n", set.ToString());
                    try
                    {
                        _ = name switch
                        {
                            "wfd_video_formats" => (object?)set.Get<WfdVideoFormats>(),
                            "wfd_audio_codecs" => set.Get<WfdAudioCodecs>(),
                            "wfd_client_rtp_ports" => set.Get<WfdClientRtpPorts>(),
                            "wfd_content_protection" => set.Get<WfdContentProtection>(),
                            "wfd_display_edid" => set.Get<WfdDisplayEdid>(),
                            "wfd_coupled_sink" => set.Get<WfdCoupledSink>(),
                            "wfd_uibc_capability" => set.Get<WfdUibcCapability>(),
                            "wfd_connector_type" => set.Get<WfdConnectorType>(),
                            "wfd_standby_resume_capability" => set.Get<WfdStandbyResumeCapability>(),
                            _ => set.Get<WfdIdrRequestCapability>(),
                        };
                        parsed++;
                    }
                    catch (WfdParameterException ex)
                    {
                        // Only the two cut-off captures are malformed: file 10's EDID and file 13's elided bitmaps.
                        string fileName = Path.GetFileName(file);
                        Assert.True(
                            (fileName.StartsWith("10-", StringComparison.Ordinal) && name == "wfd_display_edid")
                            || (fileName.StartsWith("13-", StringComparison.Ordinal) && name == "wfd_video_formats"),
                            $"{fileName}: {ex.Message}");
                    }
                }
            }
        }

        Assert.True(parsed >= 40, $"only {parsed} corpus lines parsed");
    }

    [Fact]
    public void Build_M4Body_Exact()
    {
        var set = new WfdParameterSet();
        set.Set(WfdVideoFormats.Parse("00 00 01 08 00000080 00000000 00000000 00 0000 0000 00 none none"));
        set.Set(new WfdAudioCodecs([new AudioCodec(AudioFormat.Lpcm, 2, 0)]));
        set.Set(new WfdPresentationUrl("rtsp://192.168.173.1/wfd1.0/streamid=0", null));
        set.Set(new WfdClientRtpPorts("RTP/AVP/UDP;unicast", 19000, 0, "mode=play"));
        Assert.Equal(
            "wfd_video_formats: 00 00 01 08 00000080 00000000 00000000 00 0000 0000 00 none none\r\n"
            + "wfd_audio_codecs: LPCM 00000002 00\r\n"
            + "wfd_presentation_URL: rtsp://192.168.173.1/wfd1.0/streamid=0 none\r\n"
            + "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n",
            set.ToString());
        Assert.Equal("LPCM 00000002 00", set["wfd_audio_codecs"]);
        Assert.Equal(
            ["wfd_video_formats", "wfd_audio_codecs", "wfd_presentation_URL", "wfd_client_rtp_ports"],
            set.Select(p => p.Name));
    }

    [Fact]
    public void NameOnlyTypedValues_AreWrittenAsNameAlone()
    {
        var set = new WfdParameterSet();
        set.Set(WfdIdrRequest.Instance);
        Assert.Equal("wfd_idr_request\r\n", set.ToString());
        Assert.Null(set["wfd_idr_request"]);
        set.Remove("WFD_IDR_REQUEST");
        set.Set(WfdStandby.Instance);
        Assert.Equal("wfd_standby\r\n", set.ToString());
        Assert.Same(WfdStandby.Instance, Parse("wfd_standby\r\n").Get<WfdStandby>());
        Assert.Same(WfdIdrRequest.Instance, Parse("wfd_idr_request").Get<WfdIdrRequest>());
    }

    [Fact]
    public void SetRaw_ReplacesFirstAndRemovesDuplicates()
    {
        WfdParameterSet set = Parse("a: 1\r\nb: 2\r\nA: 3\r\n");
        Assert.Equal(3, set.Count);
        Assert.Equal("1", set["a"]);
        set.SetRaw("a", "9");
        Assert.Equal("a: 9\r\nb: 2\r\n", set.ToString());
        set.SetRaw("c", null);
        Assert.Equal("a: 9\r\nb: 2\r\nc\r\n", set.ToString());
        Assert.True(set.Remove("B"));
        Assert.False(set.Remove("b"));
        Assert.Equal("a: 9\r\nc\r\n", set.ToString());
    }

    [Fact]
    public void WriteTo_AllocatesNothingBeyondTheOutput()
    {
        var set = new WfdParameterSet();
        set.Set(WfdVideoFormats.Parse("00 00 01 08 00000080 00000000 00000000 00 0000 0000 00 none none"));
        set.Set(new WfdAudioCodecs([new AudioCodec(AudioFormat.Lpcm, 2, 0)]));
        set.Set(new WfdPresentationUrl("rtsp://192.168.173.1/wfd1.0/streamid=0", null));
        set.Set(new WfdClientRtpPorts("RTP/AVP/UDP;unicast", 19000, 0, "mode=play"));
        set.Set(WfdUibcSetting.Disable);
        set.SetRaw("intel_sink_version", "x");
        var buffer = new ArrayBufferWriter<byte>(4096);
        set.WriteTo(buffer); // warm up (JIT, static tables)
        buffer.ResetWrittenCount();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            buffer.ResetWrittenCount();
            set.WriteTo(buffer);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.StartsWith("wfd_video_formats: 00 00 01 08 ", Encoding.ASCII.GetString(buffer.WrittenSpan), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wfd_audio_codecs: AAC\u0000 00000001 00\r\n")]
    [InlineData("wfd_audio_codecs: AAC\u0007 00000001 00\r\n")]
    [InlineData("wfd_audio_codecs: AAC 00000001 00\rwfd_x: 1\r\n")]
    [InlineData("wfd_audio_codecs: AAC \u007f00000001 00\r\n")]
    public void ControlBytes_AreInvalidCharacter(string body)
    {
        WfdParameterException ex = Assert.Throws<WfdParameterException>(() => Parse(body));
        Assert.Equal(WfdParameterError.InvalidCharacter, ex.Error);
    }

    [Fact]
    public void NonAsciiByte_IsInvalidCharacter()
    {
        byte[] body = [.. "intel_friendly_name: T"u8, 0xC3, 0xA9, (byte)'\r', (byte)'\n'];
        Assert.Equal(WfdParameterError.InvalidCharacter, Assert.Throws<WfdParameterException>(() => WfdParameterSet.Parse(body)).Error);
    }

    [Theory]
    [InlineData(": value\r\n")]
    [InlineData("  : value\r\n")]
    [InlineData("bad name: value\r\n")]
    [InlineData("bad name\r\n")]
    [InlineData("wfd(x): 1\r\n")]
    public void MissingOrInvalidName_IsInvalidName(string body)
    {
        WfdParameterException ex = Assert.Throws<WfdParameterException>(() => Parse(body));
        Assert.Equal(WfdParameterError.InvalidName, ex.Error);
    }

    [Fact]
    public void Limits_AreEnforced()
    {
        string longLine = "x: " + new string('a', WfdParameterSet.MaxLineLength);
        Assert.Equal(WfdParameterError.TooLarge, Assert.Throws<WfdParameterException>(() => Parse(longLine)).Error);

        string exact = "x: " + new string('a', WfdParameterSet.MaxLineLength - 3) + "\r\n";
        Assert.Equal(1, Parse(exact).Count);

        string many = string.Concat(Enumerable.Repeat("a: 1\r\n", WfdParameterSet.MaxLines + 1));
        Assert.Equal(WfdParameterError.TooLarge, Assert.Throws<WfdParameterException>(() => Parse(many)).Error);
        Assert.Equal(WfdParameterSet.MaxLines, Parse(string.Concat(Enumerable.Repeat("a: 1\r\n", WfdParameterSet.MaxLines))).Count);
    }

    [Fact]
    public void EmptyBody_IsEmptySet()
    {
        Assert.Equal(0, WfdParameterSet.Parse(default).Count);
        Assert.Equal(0, Parse("\r\n\r\n").Count);
        Assert.Empty(new WfdParameterSet().ToArray());
    }

    [Fact]
    public void MalformedTypedValue_ReportsParameterName()
    {
        WfdParameterSet set = Parse("WFD_VIDEO_FORMATS: 40 00 zz\r\n");
        WfdParameterException ex = Assert.Throws<WfdParameterException>(() => set.Get<WfdVideoFormats>());
        Assert.Equal("wfd_video_formats", ex.ParameterName);
        Assert.Contains("wfd_video_formats", ex.Message, StringComparison.Ordinal);
    }
}
