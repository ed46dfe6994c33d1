using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Tests.Ts;

[Trait("Category", "unit")]
public sealed class PsiWriterTests
{
    [Fact]
    public void Crc32_mpeg2_has_its_check_value() =>
        Assert.Equal(0x0376E6E7u, Crc32Mpeg2.Compute("123456789"u8));

    [Fact]
    public void Pat_is_the_android_layout_with_version_1()
    {
        var packet = new byte[TsPacket.Size];

        PsiWriter.WritePat(packet, continuityCounter: 5);

        // header (PUSI, PID 0, payload only, CC 5), pointer, section, CRC, stuffing
        Assert.Equal("47400015" + "00" + "00B00D0000C3000000" + "01E100" + "2DF65295", TsTestData.Hex(packet.AsSpan(0, 21)));
        Assert.All(packet[21..], b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void Pmt_with_h264_and_lpcm_48k()
    {
        var packet = new byte[TsPacket.Size];

        PsiWriter.WritePmt(packet, continuityCounter: 0, AvcProfileLevel.ConstrainedBaseline31, TsAudio.Lpcm48kStereo);

        string expected =
            "47410010" + "00" +
            "02B025" + "0001" + "C3" + "00" + "00" + // table 2, length 37, program 1, version 1
            "F000" + "F000" +                          // PCR_PID 0x1000, no program info
            "1BF011F00A" + "280442C01F3F" + "2A027E1F" + // H.264 on 0x1011: AVC video + timing/HRD descriptors
            "83F100F004" + "8302462F" +                // LPCM on 0x1100: 48 kHz stereo
            "914C0F26";                                // CRC-32/MPEG-2
        Assert.Equal(expected, TsTestData.Hex(packet.AsSpan(0, expected.Length / 2)));
        Assert.All(packet[(expected.Length / 2)..], b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void Pmt_video_only_and_with_aac()
    {
        var videoOnly = new byte[TsPacket.Size];
        var aac = new byte[TsPacket.Size];

        PsiWriter.WritePmt(videoOnly, 0, AvcProfileLevel.ConstrainedBaseline31, TsAudio.None);
        PsiWriter.WritePmt(aac, 0, AvcProfileLevel.ConstrainedBaseline31, TsAudio.Aac48kStereo);

        Assert.Equal("02B01C0001C30000F000F0001BF011F00A280442C01F3F2A027E1F" + "5C00162C", TsTestData.Hex(videoOnly.AsSpan(5, 31)));
        Assert.Equal("02B0210001C30000F000F0001BF011F00A280442C01F3F2A027E1F" + "0FF100F000" + "4098D5A0", TsTestData.Hex(aac.AsSpan(5, 36)));
    }

    [Fact]
    public void Lpcm_descriptor_codes_44_1_khz_as_0x26()
    {
        var packet = new byte[TsPacket.Size];

        PsiWriter.WritePmt(packet, 0, AvcProfileLevel.ConstrainedBaseline31, new TsAudio(TsAudioCodec.Lpcm, 44_100, 2));

        Assert.Equal("8302262F", TsTestData.Hex(packet.AsSpan(5 + 27 + 5, 4)));
    }

    [Fact]
    public void Version_goes_into_bits_5_to_1()
    {
        var packet = new byte[TsPacket.Size];

        PsiWriter.WritePat(packet, 0, version: 31);

        Assert.Equal(0xFF, packet[10]);
        Assert.Equal(0u, Crc32Mpeg2.Compute(packet.AsSpan(5, 16))); // a section followed by its CRC checks to 0
    }
}
