using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Tests.TestSupport;

namespace Miraflow.Rtsp.Tests.Parameters;

[Trait("Category", "unit")]
public sealed class WfdVideoFormatsTests
{
    // Real sinks (protocol doc §2.2 and the corpus), as received.
    [Theory]
    [InlineData("Samsung", "40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none, 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none")]
    [InlineData("LG webOS", "40 00 01 10 000194FF 155575DF 00000555 00 0000 0000 1F none none, 02 10 000194FF 155575DF 00000555 00 0000 0000 1F none none")]
    [InlineData("Windows 10", "40 00 01 10 0001bdeb 051557ff 00000fff 10 0000 001f 11 0780 0438, 02 10 0001bdeb 155557ff 00000fff 10 0000 001f 11 0780 0438")]
    [InlineData("ActionTec", "00 01 02 08 00019ceb 05557fff 00000fff 02 0000 00ff 11 0780 0438, 01 08 00019ceb 05557fff 00000fff 02 0000 00ff 11 0780 0438")]
    [InlineData("LG 2015", "40 00 01 08 0001FFFF 3FFFFFFF 000005FF 00 0000 0000 10 none none, 02 08 0001FFFF 3FFFFFFF 000005FF 00 0000 0000 10 none none")]
    [InlineData("Android 4.4", "28 00 01 01 ffffffff ffffffff ffffffff 00 0000 0000 00 none none")]
    [InlineData("lazycast", "00 00 02 10 0001FEFF 3FFFFFFF 00000FFF 00 0000 0000 00 none none")]
    [InlineData("intel wds", "40 00 01 10 0001FFFF 1FFFFFFF 00000FFF 00 0000 0000 11 0000 0000, 02 10 0001FFFF 1FFFFFFF 00000FFF 00 0000 0000 11 0000 0000")]
    [InlineData("M4", "00 00 01 08 00000080 00000000 00000000 00 0000 0000 00 none none")]
    public void RealSinks_RoundTrip_AndWriteLowerCase(string sink, string value)
    {
        Assert.NotNull(sink);
        string written = ParameterAssert.RoundTrips<WfdVideoFormats>(value);
        Assert.Equal(value.ToLowerInvariant(), written);
        ParameterAssert.IsCanonical<WfdVideoFormats>(value.ToLowerInvariant());
    }

    [Fact]
    public void Samsung_ParsesEveryField()
    {
        WfdVideoFormats v = WfdVideoFormats.Parse(
            "40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none, 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none");
        Assert.Equal(0x40, v.Native);
        Assert.Equal(0, v.PreferredDisplayModeSupported);
        Assert.Equal(2, v.Codecs.Count);
        Assert.Equal(
            new H264Codec(H264Profiles.ConstrainedHigh, H264Levels.Level40, 0x0001DEFF, 0x053C7FFF, 0x00000FFF, 0, 0, 0, 0x11, null, null),
            v.Codecs[0]);
        Assert.Equal(H264Profiles.ConstrainedBaseline, v.Codecs[1].Profile);
        Assert.False(v.IsNone);
    }

    [Fact]
    public void WindowsAndActionTec_KeepMaxResolution()
    {
        WfdVideoFormats v = WfdVideoFormats.Parse("00 01 02 08 00019ceb 05557fff 00000fff 02 0000 00ff 11 0780 0438");
        Assert.Equal((ushort)1920, v.Codecs[0].MaxHorizontalResolution);
        Assert.Equal((ushort)1080, v.Codecs[0].MaxVerticalResolution);
        Assert.Equal((ushort)0x00ff, v.Codecs[0].SliceEncodingParameters);
        Assert.Equal(2, v.Codecs[0].Latency);
    }

    [Fact]
    public void IntelWdsZeroMaxResolution_IsZeroNotNone()
    {
        WfdVideoFormats v = WfdVideoFormats.Parse("40 00 01 10 0001FFFF 1FFFFFFF 00000FFF 00 0000 0000 11 0000 0000");
        Assert.Equal((ushort)0, v.Codecs[0].MaxHorizontalResolution);
        Assert.EndsWith("11 0000 0000", ParameterAssert.Write(v), StringComparison.Ordinal);
    }

    [Fact]
    public void ReservedBits_AreKeptForRoundTrip()
    {
        WfdVideoFormats v = WfdVideoFormats.Parse("28 00 ff ff ffffffff ffffffff ffffffff 00 0000 0000 00 none none");
        Assert.Equal(0xFFFFFFFFu, v.Codecs[0].Vesa);
        Assert.Equal((H264Profiles)0xFF, v.Codecs[0].Profile);
        Assert.Equal("28 00 ff ff ffffffff ffffffff ffffffff 00 0000 0000 00 none none", ParameterAssert.Write(v));
    }

    [Theory]
    [InlineData("40  00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none ,01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none")]
    [InlineData("  40 00 02 04 0001DEFF\t053C7FFF 00000FFF 00 0000 0000 11 none none  ,   01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none  ")]
    [InlineData("40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 NONE None,01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none")]
    public void ExtraSpaces_AreTolerated(string value) =>
        Assert.Equal(
            "40 00 02 04 0001deff 053c7fff 00000fff 00 0000 0000 11 none none, 01 04 0001deff 053c7fff 00000fff 00 0000 0000 11 none none",
            ParameterAssert.RoundTrips<WfdVideoFormats>(value));

    [Fact]
    public void None_RoundTrips()
    {
        Assert.Same(WfdVideoFormats.None, WfdVideoFormats.Parse("none"));
        Assert.True(WfdVideoFormats.None.IsNone);
        ParameterAssert.IsCanonical<WfdVideoFormats>("none");
    }

    [Theory]
    [InlineData("", WfdParameterError.InvalidValue)]
    [InlineData("40", WfdParameterError.InvalidValue)]
    [InlineData("40 00", WfdParameterError.InvalidValue)]
    [InlineData("40 00 02 04 0001DEFF 053C7FFF", WfdParameterError.InvalidValue)]
    [InlineData("00 00 01 01 00000001 00000000 ... none none", WfdParameterError.InvalidValue)] // Galaxy Tab log elision
    [InlineData("40 00 02 04 0001DEF 053C7FFF 00000FFF 00 0000 0000 11 none none", WfdParameterError.InvalidFieldWidth)]
    [InlineData("400 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none", WfdParameterError.InvalidFieldWidth)]
    [InlineData("40 00 2 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none", WfdParameterError.InvalidFieldWidth)]
    [InlineData("40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 780 0438", WfdParameterError.InvalidFieldWidth)]
    [InlineData("40 00 02 04 000000000001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none", WfdParameterError.InvalidFieldWidth)]
    [InlineData("40 00 02 04 0x01DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none", WfdParameterError.InvalidValue)]
    [InlineData("40 00 02 04 0001DEFG 053C7FFF 00000FFF 00 0000 0000 11 none none", WfdParameterError.InvalidValue)]
    [InlineData("40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none garbage", WfdParameterError.InvalidValue)]
    [InlineData("40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none,", WfdParameterError.InvalidValue)]
    [InlineData("40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none, ", WfdParameterError.InvalidValue)]
    [InlineData("40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none,, 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none", WfdParameterError.InvalidValue)]
    [InlineData("40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none", WfdParameterError.InvalidValue)]
    [InlineData("none none", WfdParameterError.InvalidValue)]
    [InlineData("40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none", WfdParameterError.InvalidValue)]
    [InlineData("40 00 02 04 \u0660001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none", WfdParameterError.InvalidValue)]
    public void Malformed_ThrowsTypedError(string value, WfdParameterError error) =>
        ParameterAssert.Fails<WfdVideoFormats>(value, error);
}
