using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Tests.TestSupport;

namespace Miraflow.Rtsp.Tests.Parameters;

[Trait("Category", "unit")]
public sealed class WfdAudioCodecsTests
{
    [Theory]
    [InlineData("LPCM 00000003 00, AAC 00000001 00")]
    [InlineData("LPCM 00000003 00, AAC 0000000f 00, AC3 00000007 00")]
    [InlineData("LPCM 00000003 02, AAC 00000001 02, AC3 00000000 02")]
    [InlineData("AAC 00000001 00")]
    [InlineData("LPCM 00000002 00")]
    [InlineData("none")]
    public void Canonical_RoundTrips(string value) => ParameterAssert.IsCanonical<WfdAudioCodecs>(value);

    [Theory]
    [InlineData("AAC 0000000F 00", "AAC 0000000f 00")]
    [InlineData("lpcm 00000003 00 ,aac 00000001 00", "LPCM 00000003 00, AAC 00000001 00")]
    [InlineData("  LPCM   00000003  00 ,   AAC 00000001 00 ", "LPCM 00000003 00, AAC 00000001 00")]
    [InlineData("NONE", "none")]
    public void Tolerant_ParsesToCanonical(string value, string canonical) =>
        Assert.Equal(canonical, ParameterAssert.RoundTrips<WfdAudioCodecs>(value));

    [Fact]
    public void Windows10_ParsesEntries()
    {
        WfdAudioCodecs codecs = WfdAudioCodecs.Parse("LPCM 00000003 00, AAC 0000000f 00, AC3 00000007 00");
        Assert.Equal(
            [new AudioCodec(AudioFormat.Lpcm, 3, 0), new AudioCodec(AudioFormat.Aac, 0xF, 0), new AudioCodec(AudioFormat.Ac3, 7, 0)],
            codecs.Codecs);
        Assert.Equal(new AudioCodec(AudioFormat.Aac, 0xF, 0), codecs.Find(AudioFormat.Aac));
    }

    [Fact]
    public void ReservedModeBits_AreKept_ButMasked()
    {
        AudioCodec lpcm = WfdAudioCodecs.Parse("LPCM 000001ff 00").Codecs[0];
        Assert.Equal(0x1FFu, lpcm.Modes);
        Assert.Equal(0x3u, lpcm.SupportedModes);
        Assert.Equal(0xFu, new AudioCodec(AudioFormat.Aac, 0xFFFFFFFF, 0).SupportedModes);
        Assert.Equal(0x7u, new AudioCodec(AudioFormat.Ac3, 0xFFFFFFFF, 0).SupportedModes);
    }

    [Theory]
    [InlineData(AudioFormat.Lpcm, 0, 44_100, 2)]
    [InlineData(AudioFormat.Lpcm, 1, 48_000, 2)]
    [InlineData(AudioFormat.Aac, 0, 48_000, 2)]
    [InlineData(AudioFormat.Aac, 3, 48_000, 8)]
    [InlineData(AudioFormat.Ac3, 2, 48_000, 6)]
    public void TryGetMode_FollowsTheTable(AudioFormat format, int bit, int rate, int channels)
    {
        Assert.True(AudioCodec.TryGetMode(format, bit, out int r, out int c));
        Assert.Equal((rate, channels), (r, c));
    }

    [Theory]
    [InlineData(AudioFormat.Lpcm, 2)]
    [InlineData(AudioFormat.Aac, 4)]
    [InlineData(AudioFormat.Ac3, 3)]
    public void TryGetMode_RejectsReservedBits(AudioFormat format, int bit) =>
        Assert.False(AudioCodec.TryGetMode(format, bit, out _, out _));

    [Theory]
    [InlineData("", WfdParameterError.InvalidValue)]
    [InlineData("MP3 00000001 00", WfdParameterError.InvalidValue)]
    [InlineData("LPCM 0000003 00", WfdParameterError.InvalidFieldWidth)]
    [InlineData("LPCM 00000003 0", WfdParameterError.InvalidFieldWidth)]
    [InlineData("LPCM 00000003", WfdParameterError.InvalidValue)]
    [InlineData("LPCM 0000000g 00", WfdParameterError.InvalidValue)]
    [InlineData("LPCM 00000003 00,", WfdParameterError.InvalidValue)]
    [InlineData("LPCM 00000003 00 AAC 00000001 00", WfdParameterError.InvalidValue)]
    public void Malformed_ThrowsTypedError(string value, WfdParameterError error) =>
        ParameterAssert.Fails<WfdAudioCodecs>(value, error);
}
