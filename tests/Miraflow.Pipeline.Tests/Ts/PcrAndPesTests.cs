using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Tests.Ts;

[Trait("Category", "unit")]
public sealed class PcrAndPesTests
{
    private static readonly MediaTime s_time = new((0x1_2345_6789L * 300) + 299);

    [Fact]
    public void Pcr_packet_is_adaptation_only_with_the_standard_six_byte_field()
    {
        var packet = new byte[TsPacket.Size];

        PcrPacket.Write(packet, continuityCounter: 0, s_time);

        // PID 0x1000, AFC 10, length 183, PCR_flag, base 0x123456789 / ext 299, stuffing
        Assert.Equal("47100020" + "B7" + "10" + "91A2B3C4FF2B", TsTestData.Hex(packet.AsSpan(0, 12)));
        Assert.All(packet[12..], b => Assert.Equal(0xFF, b));
        Assert.Equal(s_time.Ticks, PcrPacket.ReadField(packet.AsSpan(6)));
    }

    [Fact]
    public void Pes_header_with_pts_and_dts()
    {
        var header = new byte[PesHeader.SizeWithPtsDts];
        var pts = MediaTime.From90kHz(0x1_2345_6789);
        var dts = MediaTime.From90kHz(0x1_2345_6789 - 3003);

        int length = PesHeader.Write(header, PesHeader.VideoStreamId, payloadLength: 1000, pts, dts);

        Assert.Equal(19, length);
        // start code, stream 0xE0, length 3+10+1000, '10' + data_alignment, PTS+DTS, 10 header bytes
        Assert.Equal("000001E0" + "03F5" + "84" + "C0" + "0A" + "398D15CF13" + "198D15B79D", TsTestData.Hex(header));
        Assert.Equal(0x1_2345_6789L, PesHeader.ReadTimestamp(header.AsSpan(9)));
        Assert.Equal(0x1_2345_6789L - 3003, PesHeader.ReadTimestamp(header.AsSpan(14)));
    }

    [Fact]
    public void Pes_header_has_no_dts_when_it_equals_the_pts()
    {
        var header = new byte[PesHeader.SizeWithPtsDts];
        var pts = MediaTime.From90kHz(900_000);

        int length = PesHeader.Write(header, PesHeader.PrivateStream1, payloadLength: 1924, pts, pts);

        Assert.Equal(14, length);
        Assert.Equal("000001BD" + "078C" + "84" + "80" + "05" + "2100377741", TsTestData.Hex(header.AsSpan(0, 14)));
    }

    [Fact]
    public void Pes_length_is_zero_for_video_longer_than_65535()
    {
        var header = new byte[PesHeader.SizeWithPtsDts];

        PesHeader.Write(header, PesHeader.VideoStreamId, payloadLength: 70_000, MediaTime.Zero, MediaTime.Zero);

        Assert.Equal(0, header[4]);
        Assert.Equal(0, header[5]);
    }

    [Fact]
    public void Pts_wraps_at_33_bits()
    {
        var header = new byte[PesHeader.SizeWithPtsDts];

        PesHeader.Write(header, PesHeader.VideoStreamId, 10, MediaTime.From90kHz((1L << 33) + 5), MediaTime.From90kHz((1L << 33) + 5));

        Assert.Equal(5, PesHeader.ReadTimestamp(header.AsSpan(9)));
    }

    [Theory]
    [InlineData(48_000, 480, "A0060011")]
    [InlineData(48_000, 80, "A0010011")]
    [InlineData(44_100, 441, "A0060009")]
    [InlineData(48_000, 1, "A0010011")]
    public void Lpcm_header(int rate, int sampleFrames, string expected)
    {
        var header = new byte[LpcmAudio.HeaderSize];

        LpcmAudio.WriteHeader(header, rate, sampleFrames);

        Assert.Equal(expected, TsTestData.Hex(header));
    }

    [Fact]
    public void Lpcm_samples_go_out_big_endian()
    {
        byte[] littleEndian = [0x34, 0x12, 0xCD, 0xAB, 0x01, 0x00, 0xFF, 0x7F];
        var output = new byte[8];

        LpcmAudio.CopyToBigEndian(littleEndian, output);

        Assert.Equal("1234ABCD00017FFF", TsTestData.Hex(output));
    }
}
