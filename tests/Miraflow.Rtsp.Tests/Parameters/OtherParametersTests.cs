using System.Buffers;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Tests.TestSupport;

namespace Miraflow.Rtsp.Tests.Parameters;

[Trait("Category", "unit")]
public sealed class OtherParametersTests
{
    // The Samsung TV's EDID from corpus file 01 (two blocks, 512 hex digits).
    private static string SamsungEdidHex =>
        SinkCorpus.ValueOf(SinkCorpus.ExtractLines(SinkCorpus.PathOf("01-samsung-tv-sec-wdh-me29.txt"), "wfd_display_edid")[0])[5..];

    // ---- wfd_client_rtp_ports ----

    [Theory]
    [InlineData("RTP/AVP/UDP;unicast 19000 0 mode=play")]
    [InlineData("RTP/AVP/UDP;unicast 1028 0 mode=play")]
    [InlineData("RTP/AVP/TCP;unicast 24030 0 mode=play")]
    [InlineData("RTP/AVP/UDP;unicast 0 0 mode=play")] // intel wds sink
    [InlineData("RTP/AVP/UDP;unicast 65535 65535 mode=play")]
    [InlineData("RTP/AVP/TCP;interleaved mode=play")] // AOSP's port-less interleaved form
    public void ClientRtpPorts_Canonical(string value) => ParameterAssert.IsCanonical<WfdClientRtpPorts>(value);

    [Fact]
    public void ClientRtpPorts_Fields()
    {
        WfdClientRtpPorts p = WfdClientRtpPorts.Parse("RTP/AVP/UDP;unicast   53000  0   mode=play");
        Assert.Equal(new WfdClientRtpPorts("RTP/AVP/UDP;unicast", 53000, 0, "mode=play"), p);
        Assert.True(p.IsUdp);
        Assert.Equal("RTP/AVP/UDP;unicast 53000 0 mode=play", ParameterAssert.Write(p));
        Assert.True(p.HasPorts);
    }

    [Fact]
    public void ClientRtpPorts_InterleavedFormHasNoPorts()
    {
        WfdClientRtpPorts p = WfdClientRtpPorts.Parse("RTP/AVP/TCP;interleaved mode=play");
        Assert.False(p.HasPorts);
        Assert.False(p.IsUdp);
        Assert.Equal((0, 0), (p.Port0, p.Port1));
        Assert.NotEqual(new WfdClientRtpPorts("RTP/AVP/TCP;interleaved", 0, 0, "mode=play"), p);
    }

    [Theory]
    [InlineData("", WfdParameterError.InvalidValue)]
    [InlineData("RTP/AVP/UDP;unicast 19000 mode=play", WfdParameterError.InvalidValue)]
    [InlineData("RTP/AVP/UDP;unicast 19000 0", WfdParameterError.InvalidValue)]
    [InlineData("RTP/AVP/UDP;unicast 65536 0 mode=play", WfdParameterError.OutOfRange)]
    [InlineData("RTP/AVP/UDP;unicast 99999999999999999999 0 mode=play", WfdParameterError.OutOfRange)]
    [InlineData("RTP/AVP/UDP;unicast -1 0 mode=play", WfdParameterError.InvalidValue)]
    [InlineData("RTP/AVP/UDP;unicast 0x10 0 mode=play", WfdParameterError.InvalidValue)]
    [InlineData("RTP/AVP/UDP;unicast 19000 0 play", WfdParameterError.InvalidValue)]
    [InlineData("HTTP 19000 0 mode=play", WfdParameterError.InvalidValue)]
    [InlineData("RTP/AVP/UDP;unicast 19000 0 mode=play extra", WfdParameterError.InvalidValue)]
    [InlineData("RTP/AVP/UDP;unicäst 19000 0 mode=play", WfdParameterError.InvalidCharacter)]
    public void ClientRtpPorts_Malformed(string value, WfdParameterError error) =>
        ParameterAssert.Fails<WfdClientRtpPorts>(value, error);

    // ---- wfd_content_protection ----

    [Theory]
    [InlineData("none")]
    [InlineData("HDCP2.1 port=1189")]
    [InlineData("HDCP2.0 port=0")]
    [InlineData("HDCP2.1")] // Samsung mobile sink, corpus file 14
    public void ContentProtection_Canonical(string value) => ParameterAssert.IsCanonical<WfdContentProtection>(value);

    [Fact]
    public void ContentProtection_Fields()
    {
        Assert.Equal(new WfdContentProtection(HdcpVersion.Hdcp21, 1189), WfdContentProtection.Parse("hdcp2.1  PORT=1189"));
        Assert.True(WfdContentProtection.Parse("none").IsNone);
        Assert.Equal("HDCP2.1 port=1189", ParameterAssert.Write(WfdContentProtection.Parse("hdcp2.1 port=1189")));
    }

    [Theory]
    [InlineData("", WfdParameterError.InvalidValue)]
    [InlineData("HDCP1.4 port=1189", WfdParameterError.InvalidValue)]
    [InlineData("HDCP2.1 1189", WfdParameterError.InvalidValue)]
    [InlineData("HDCP2.1 port=", WfdParameterError.InvalidValue)]
    [InlineData("HDCP2.1 port=70000", WfdParameterError.OutOfRange)]
    [InlineData("HDCP2.1 port=1189 x", WfdParameterError.InvalidValue)]
    public void ContentProtection_Malformed(string value, WfdParameterError error) =>
        ParameterAssert.Fails<WfdContentProtection>(value, error);

    // ---- wfd_display_edid ----

    [Fact]
    public void DisplayEdid_Samsung_RoundTrips()
    {
        Assert.Equal(512, SamsungEdidHex.Length);
        string value = "0002 " + SamsungEdidHex;
        ParameterAssert.IsCanonical<WfdDisplayEdid>(value);
        WfdDisplayEdid edid = WfdDisplayEdid.Parse(value.ToUpperInvariant());
        Assert.Equal(2, edid.BlockCount);
        Assert.Equal(256, edid.Edid.Length);
        Assert.Equal(0x00, edid.Edid.Span[0]);
        Assert.Equal(0xFF, edid.Edid.Span[1]);
        Assert.Equal(value, ParameterAssert.Write(edid));
    }

    [Fact]
    public void DisplayEdid_None() => ParameterAssert.IsCanonical<WfdDisplayEdid>("none");

    [Theory]
    [InlineData("0001 00ffffffffffff0051f38f50010000000e100104a51d10ff2f0000a057499b2610484", WfdParameterError.InvalidFieldWidth)] // corpus file 10
    [InlineData("0002 00ff", WfdParameterError.InvalidFieldWidth)]
    [InlineData("0001", WfdParameterError.InvalidValue)]
    [InlineData("002 00ff", WfdParameterError.InvalidFieldWidth)]
    [InlineData("0000 00ff", WfdParameterError.OutOfRange)]
    [InlineData("0101 00ff", WfdParameterError.OutOfRange)]
    public void DisplayEdid_Malformed(string value, WfdParameterError error) =>
        ParameterAssert.Fails<WfdDisplayEdid>(value, error);

    [Fact]
    public void DisplayEdid_NonHexEdid_IsInvalidValue() =>
        ParameterAssert.Fails<WfdDisplayEdid>("0001 " + new string('z', 256), WfdParameterError.InvalidValue);

    [Fact]
    public void DisplayEdid_OneBlockTooMany_IsWidthError() =>
        ParameterAssert.Fails<WfdDisplayEdid>("0002 " + SamsungEdidHex[..256], WfdParameterError.InvalidFieldWidth);

    // ---- wfd_coupled_sink ----

    [Theory]
    [InlineData("none")]
    [InlineData("00 none")]
    [InlineData("01 0a1b2c3d4e5f")]
    public void CoupledSink_Canonical(string value) => ParameterAssert.IsCanonical<WfdCoupledSink>(value);

    [Fact]
    public void CoupledSink_Fields() =>
        Assert.Equal(new WfdCoupledSink(1, 0x0A1B2C3D4E5FUL), WfdCoupledSink.Parse("01 0A1B2C3D4E5F"));

    [Theory]
    [InlineData("01", WfdParameterError.InvalidValue)]
    [InlineData("1 none", WfdParameterError.InvalidFieldWidth)]
    [InlineData("01 0a1b2c3d4e", WfdParameterError.InvalidFieldWidth)]
    [InlineData("01 0a:1b:2c:3d:4e:5f", WfdParameterError.InvalidValue)]
    [InlineData("01 none none", WfdParameterError.InvalidValue)]
    public void CoupledSink_Malformed(string value, WfdParameterError error) =>
        ParameterAssert.Fails<WfdCoupledSink>(value, error);

    // ---- wfd_uibc_capability ----

    [Theory]
    [InlineData("none")]
    [InlineData("input_category_list=GENERIC, HIDC;generic_cap_list=Keyboard, Mouse;hidc_cap_list=Keyboard/USB, Mouse/USB;port=none")]
    [InlineData("input_category_list=GENERIC;generic_cap_list=Keyboard, Mouse, SingleTouch;hidc_cap_list=none;port=1100")]
    public void UibcCapability_Canonical(string value) => ParameterAssert.IsCanonical<WfdUibcCapability>(value);

    [Fact]
    public void UibcCapability_Windows_WithoutGenericList()
    {
        const string windows = "input_category_list=HIDC;hidc_cap_list=Keyboard/USB, Mouse/USB, MultiTouch/USB, Gesture/USB, RemoteControl/USB, Joystick/USB;port=none";
        WfdUibcCapability cap = WfdUibcCapability.Parse(windows);
        Assert.Equal(["HIDC"], cap.InputCategories);
        Assert.Empty(cap.GenericCapabilities);
        Assert.Equal(6, cap.HidcCapabilities.Count);
        Assert.Equal("Joystick/USB", cap.HidcCapabilities[5]);
        Assert.Null(cap.Port);
        Assert.Equal(
            "input_category_list=HIDC;generic_cap_list=none;hidc_cap_list=Keyboard/USB, Mouse/USB, MultiTouch/USB, Gesture/USB, RemoteControl/USB, Joystick/USB;port=none",
            ParameterAssert.RoundTrips<WfdUibcCapability>(windows));
    }

    [Fact]
    public void UibcCapability_Lazycast_Fields()
    {
        WfdUibcCapability cap = WfdUibcCapability.Parse(
            "input_category_list=GENERIC, HIDC;generic_cap_list=Keyboard, Mouse;hidc_cap_list=Keyboard/USB, Mouse/USB;port=none");
        Assert.Equal(["GENERIC", "HIDC"], cap.InputCategories);
        Assert.Equal(["Keyboard", "Mouse"], cap.GenericCapabilities);
        Assert.Equal(["Keyboard/USB", "Mouse/USB"], cap.HidcCapabilities);
    }

    [Theory]
    [InlineData("input_category_list=GENERIC;bogus=1;port=none", WfdParameterError.InvalidValue)]
    [InlineData("input_category_list=GENERIC;input_category_list=HIDC", WfdParameterError.InvalidValue)]
    [InlineData("input_category_list=GENERIC, ;port=none", WfdParameterError.InvalidValue)]
    [InlineData("input_category_list=GENERIC;port=65536", WfdParameterError.OutOfRange)]
    [InlineData("input_category_list=GENERIC;port=abc", WfdParameterError.InvalidValue)]
    [InlineData("port=1;port=2", WfdParameterError.InvalidValue)]
    [InlineData("GENERIC", WfdParameterError.InvalidValue)]
    public void UibcCapability_Malformed(string value, WfdParameterError error) =>
        ParameterAssert.Fails<WfdUibcCapability>(value, error);

    // ---- keyword parameters ----

    [Theory]
    [InlineData("enable")]
    [InlineData("disable")]
    public void UibcSetting_Canonical(string value) => ParameterAssert.IsCanonical<WfdUibcSetting>(value);

    [Theory]
    [InlineData("supported")]
    [InlineData("none")]
    public void StandbyResumeCapability_Canonical(string value) => ParameterAssert.IsCanonical<WfdStandbyResumeCapability>(value);

    [Theory]
    [InlineData("05")]
    [InlineData("07")]
    [InlineData("ff")]
    [InlineData("none")]
    public void ConnectorType_Canonical(string value) => ParameterAssert.IsCanonical<WfdConnectorType>(value);

    [Theory]
    [InlineData("SETUP", WfdTrigger.Setup)]
    [InlineData("PLAY", WfdTrigger.Play)]
    [InlineData("PAUSE", WfdTrigger.Pause)]
    [InlineData("TEARDOWN", WfdTrigger.Teardown)]
    public void TriggerMethod_Canonical(string value, WfdTrigger trigger)
    {
        ParameterAssert.IsCanonical<WfdTriggerMethod>(value);
        Assert.Equal(trigger, WfdTriggerMethod.Parse(value.ToLowerInvariant()).Method);
    }

    [Theory]
    [InlineData("primary")]
    [InlineData("secondary")]
    public void Route_Canonical(string value) => ParameterAssert.IsCanonical<WfdRoute>(value);

    [Theory]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("none", null)]
    public void IdrRequestCapability_Canonical(string value, bool? expected)
    {
        ParameterAssert.IsCanonical<WfdIdrRequestCapability>(value);
        Assert.Equal(expected, WfdIdrRequestCapability.Parse(value).SendsIdrRequests);
    }

    [Fact]
    public void Keywords_AreCaseInsensitive_AndCanonicalOnWrite()
    {
        Assert.Equal("enable", ParameterAssert.RoundTrips<WfdUibcSetting>("ENABLE"));
        Assert.Equal("supported", ParameterAssert.RoundTrips<WfdStandbyResumeCapability>(" Supported "));
        Assert.Equal("05", ParameterAssert.RoundTrips<WfdConnectorType>("05"));
        Assert.Equal("0a", ParameterAssert.RoundTrips<WfdConnectorType>("0A"));
        Assert.Equal("SETUP", ParameterAssert.RoundTrips<WfdTriggerMethod>("setup"));
        Assert.Equal("secondary", ParameterAssert.RoundTrips<WfdRoute>("Secondary"));
    }

    [Fact]
    public void KeywordParameters_Malformed()
    {
        ParameterAssert.Fails<WfdUibcSetting>("on", WfdParameterError.InvalidValue);
        ParameterAssert.Fails<WfdUibcSetting>("enable disable", WfdParameterError.InvalidValue);
        ParameterAssert.Fails<WfdUibcSetting>("", WfdParameterError.InvalidValue);
        ParameterAssert.Fails<WfdStandbyResumeCapability>("yes", WfdParameterError.InvalidValue);
        ParameterAssert.Fails<WfdConnectorType>("5", WfdParameterError.InvalidFieldWidth);
        ParameterAssert.Fails<WfdConnectorType>("0g", WfdParameterError.InvalidValue);
        ParameterAssert.Fails<WfdConnectorType>("05 07", WfdParameterError.InvalidValue);
        ParameterAssert.Fails<WfdTriggerMethod>("RECORD", WfdParameterError.InvalidValue);
        ParameterAssert.Fails<WfdTriggerMethod>("", WfdParameterError.InvalidValue);
        ParameterAssert.Fails<WfdRoute>("tertiary", WfdParameterError.InvalidValue);
        ParameterAssert.Fails<WfdIdrRequestCapability>("2", WfdParameterError.InvalidValue);
        ParameterAssert.Fails<WfdIdrRequestCapability>("true", WfdParameterError.InvalidValue);
    }

    // ---- wfd_presentation_URL ----

    [Theory]
    [InlineData("rtsp://192.168.173.1/wfd1.0/streamid=0 none")]
    [InlineData("rtsp://192.168.49.1:7236/wfd1.0/streamid=0 rtsp://192.168.49.1:7236/wfd1.0/streamid=1")]
    public void PresentationUrl_Canonical(string value) => ParameterAssert.IsCanonical<WfdPresentationUrl>(value);

    [Fact]
    public void PresentationUrl_NameHasCapitalUrl()
    {
        Assert.Equal("wfd_presentation_URL", WfdPresentationUrl.Name);
        Assert.Equal(new WfdPresentationUrl("rtsp://10.0.0.1/wfd1.0/streamid=0", null), WfdPresentationUrl.Parse("rtsp://10.0.0.1/wfd1.0/streamid=0 NONE"));
    }

    [Theory]
    [InlineData("", WfdParameterError.InvalidValue)]
    [InlineData("rtsp://10.0.0.1/wfd1.0/streamid=0", WfdParameterError.InvalidValue)]
    [InlineData("none none", WfdParameterError.InvalidValue)]
    [InlineData("rtsp://a none extra", WfdParameterError.InvalidValue)]
    public void PresentationUrl_Malformed(string value, WfdParameterError error) =>
        ParameterAssert.Fails<WfdPresentationUrl>(value, error);

    // ---- wfd_av_format_change_timing ----

    [Theory]
    [InlineData("00000bb800 000005dc00")] // Windows WiDi capture
    [InlineData("ffffffffff 0000000000")]
    public void AvFormatChangeTiming_Canonical(string value) => ParameterAssert.IsCanonical<WfdAvFormatChangeTiming>(value);

    [Fact]
    public void AvFormatChangeTiming_Fields()
    {
        Assert.Equal(new WfdAvFormatChangeTiming(0xBB800, 0x5DC00), WfdAvFormatChangeTiming.Parse("00000BB800   000005DC00"));
        Assert.Equal((1UL << 40) - 1, WfdAvFormatChangeTiming.Parse("FFFFFFFFFF 0000000000").Pts);
    }

    [Theory]
    [InlineData("00000bb800", WfdParameterError.InvalidValue)]
    [InlineData("0000bb800 000005dc00", WfdParameterError.InvalidFieldWidth)]
    [InlineData("00000bb8000 000005dc00", WfdParameterError.InvalidFieldWidth)]
    [InlineData("fffffffffffffffffffffffff 000005dc00", WfdParameterError.InvalidFieldWidth)]
    [InlineData("00000bb80z 000005dc00", WfdParameterError.InvalidValue)]
    public void AvFormatChangeTiming_Malformed(string value, WfdParameterError error) =>
        ParameterAssert.Fails<WfdAvFormatChangeTiming>(value, error);

    // ---- name-only parameters ----

    [Fact]
    public void NameOnly_AreSingletonsWithEmptyValue()
    {
        Assert.Same(WfdIdrRequest.Instance, WfdIdrRequest.Parse(""));
        Assert.Same(WfdIdrRequest.Instance, WfdIdrRequest.Parse("  "));
        Assert.Same(WfdStandby.Instance, WfdStandby.Parse(""));
        Assert.Equal("", ParameterAssert.Write(WfdIdrRequest.Instance));
        Assert.Equal("", ParameterAssert.Write(WfdStandby.Instance));
        Assert.True(IsNameOnly<WfdIdrRequest>());
        Assert.True(IsNameOnly<WfdStandby>());
        Assert.False(IsNameOnly<WfdVideoFormats>());
        ParameterAssert.Fails<WfdIdrRequest>("1", WfdParameterError.InvalidValue);
        ParameterAssert.Fails<WfdStandby>("now", WfdParameterError.InvalidValue);
    }

    [Fact]
    public void Writers_AppendWithoutSideEffectsOnEarlierOutput()
    {
        var buffer = new ArrayBufferWriter<byte>(1);
        WfdConnectorType.Parse("05").WriteValue(buffer);
        new WfdAvFormatChangeTiming(1, 2).WriteValue(buffer);
        Assert.Equal("050000000001 0000000002", System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan));
    }

    private static bool IsNameOnly<T>()
        where T : IWfdParameter<T> => T.IsNameOnly;
}
