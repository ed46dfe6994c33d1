using Miraflow.Pipeline.Rtp;

namespace Miraflow.Pipeline.Tests.Rtp;

[Trait("Category", "unit")]
public sealed class RtpHeaderTests
{
    [Fact]
    public void Writes_version_2_payload_type_33_and_big_endian_fields()
    {
        var bytes = new byte[RtpHeader.Size];

        new RtpHeader(Marker: true, PayloadType: 33, SequenceNumber: 0xBEEF, Timestamp: 0x01020304, Ssrc: 0xDEADBEEF).Write(bytes);

        Assert.Equal("80A1BEEF01020304DEADBEEF", Convert.ToHexString(bytes));
    }

    [Fact]
    public void Without_marker_the_second_byte_is_the_payload_type()
    {
        var bytes = new byte[RtpHeader.Size];

        new RtpHeader(false, 33, 0, 0, 1).Write(bytes);

        Assert.Equal("8021000000000000" + "00000001", Convert.ToHexString(bytes));
    }

    [Fact]
    public void Reads_back_what_it_wrote()
    {
        var bytes = new byte[RtpHeader.Size + 188];
        var header = new RtpHeader(true, 33, 65_535, uint.MaxValue, 42);
        header.Write(bytes);

        Assert.True(RtpHeader.TryRead(bytes, out RtpHeader read, out int offset, out int length));
        Assert.Equal(header, read);
        Assert.Equal((12, 188), (offset, length));
    }

    [Fact]
    public void Skips_csrcs_and_extension_and_removes_padding()
    {
        // V=2, P=1, X=1, CC=2; two CSRCs; a one-word extension; 4 payload bytes; 3 padding bytes.
        byte[] packet = Convert.FromHexString(
            "B2" + "21" + "0001" + "00000002" + "00000003" +
            "AAAAAAAA" + "BBBBBBBB" +
            "BEDE0001" + "11223344" +
            "CAFEF00D" + "000003");

        Assert.True(RtpHeader.TryRead(packet, out RtpHeader header, out int offset, out int length));
        Assert.Equal(new RtpHeader(false, 33, 1, 2, 3), header);
        Assert.Equal("CAFEF00D", Convert.ToHexString(packet.AsSpan(offset, length)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("80210001000000020000")]            // shorter than 12 bytes
    [InlineData("402100010000000200000003")]        // version 1
    [InlineData("8F2100010000000200000003")]        // 15 CSRCs announced, none present
    [InlineData("A02100010000000200000003FF")]      // padding longer than the packet
    public void Refuses_what_is_not_an_rtp_packet(string hex) =>
        Assert.False(RtpHeader.TryRead(Convert.FromHexString(hex), out _, out _, out _));
}
