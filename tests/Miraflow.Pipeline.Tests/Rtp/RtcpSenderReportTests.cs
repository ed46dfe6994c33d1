using Miraflow.Pipeline.Rtp;

namespace Miraflow.Pipeline.Tests.Rtp;

[Trait("Category", "unit")]
public sealed class RtcpSenderReportTests
{
    [Fact]
    public void Writes_the_compound_packet_byte_for_byte()
    {
        // RFC 3550 §6.4.1 and §6.5, written out by hand.
        byte[] expected = Convert.FromHexString(
            "80C80006" // V=2 P=0 RC=0, PT=200 (SR), length 6 (28 bytes)
            + "DEADBEEF" // SSRC
            + "83AA7E80" + "80000000" // NTP: 1970-01-01T00:00:00.5Z
            + "00015F90" // RTP timestamp 90,000
            + "000003E8" // packet count 1,000
            + "001414A0" // octet count 1,316,000
            + "81CA0003" // V=2 P=0 SC=1, PT=202 (SDES), length 3 (16 bytes)
            + "DEADBEEF" // SSRC of the chunk
            + "0103" + "737263" // CNAME, 3 bytes, "src"
            + "000000"); // END item and padding to the 32-bit boundary
        var buffer = new byte[64];
        ulong ntp = RtcpSenderReport.ToNtpTimestamp(DateTimeOffset.UnixEpoch.AddMilliseconds(500));

        bool written = RtcpSenderReport.TryWrite(buffer, 0xDEADBEEF, ntp, 90_000, 1_000, 1_316_000, "src"u8, out int length);

        Assert.True(written);
        Assert.Equal(44, length);
        Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());
        Assert.All(buffer.AsSpan(length).ToArray(), b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(1, 8, 1)] // 4 + 2 + 1 = 7: one null octet
    [InlineData(2, 12, 4)] // 4 + 2 + 2 = 8 is aligned, yet the END octet is needed: four null octets
    [InlineData(3, 12, 3)]
    [InlineData(4, 12, 2)]
    [InlineData(5, 12, 1)]
    [InlineData(6, 16, 4)]
    [InlineData(255, 264, 3)]
    public void The_sdes_chunk_ends_with_null_octets_up_to_a_word_boundary(int cnameLength, int chunkLength, int nulls)
    {
        byte[] cname = new byte[cnameLength];
        Array.Fill(cname, (byte)'a');
        var buffer = new byte[RtcpSenderReport.MaxLength + 8];
        Array.Fill(buffer, (byte)0xEE);

        Assert.True(RtcpSenderReport.TryWrite(buffer, 7, 0, 0, 0, 0, cname, out int length));

        Assert.Equal(28 + 4 + chunkLength, length);
        Assert.Equal(length, RtcpSenderReport.GetLength(cnameLength));
        Assert.Equal(0, length % 4);
        Assert.Equal((4 + chunkLength) / 4 - 1, (buffer[30] << 8) | buffer[31]);
        Assert.Equal(cnameLength, buffer[37]);
        Assert.All(buffer.AsSpan(length - nulls, nulls).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal((byte)'a', buffer[length - nulls - 1]);
        Assert.Equal(0xEE, buffer[length]);
    }

    [Fact]
    public void Too_small_a_destination_writes_nothing()
    {
        var buffer = new byte[43];
        Array.Fill(buffer, (byte)0xEE);

        bool written = RtcpSenderReport.TryWrite(buffer, 1, 2, 3, 4, 5, "src"u8, out int length);

        Assert.False(written);
        Assert.Equal(0, length);
        Assert.All(buffer, b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void Cname_must_be_1_to_255_bytes()
    {
        var buffer = new byte[512];

        Assert.Throws<ArgumentOutOfRangeException>(() => RtcpSenderReport.TryWrite(buffer, 1, 2, 3, 4, 5, [], out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => RtcpSenderReport.TryWrite(buffer, 1, 2, 3, 4, 5, new byte[256], out _));
        Assert.Equal(296, RtcpSenderReport.MaxLength);
        Assert.Equal(RtcpSenderReport.MaxLength, RtcpSenderReport.GetLength(255));
    }

    [Fact]
    public void Ntp_timestamps_count_from_1900_with_a_binary_fraction()
    {
        Assert.Equal(0UL, RtcpSenderReport.ToNtpTimestamp(new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.Equal(0x83AA7E80_00000000UL, RtcpSenderReport.ToNtpTimestamp(DateTimeOffset.UnixEpoch));
        Assert.Equal(0x83AA7E80_40000000UL, RtcpSenderReport.ToNtpTimestamp(DateTimeOffset.UnixEpoch.AddMilliseconds(250)));
        Assert.Equal(0x83AA7E80_00000000UL, RtcpSenderReport.ToNtpTimestamp(new DateTimeOffset(1970, 1, 1, 2, 0, 0, TimeSpan.FromHours(2))));

        // 2036-02-07T06:28:16Z ends era 0: the seconds wrap (RFC 5905 §6).
        Assert.Equal(0x00000001_00000000UL, RtcpSenderReport.ToNtpTimestamp(new DateTimeOffset(2036, 2, 7, 6, 28, 17, TimeSpan.Zero)));

        // One 100 ns tick is 429.4967296 units of 2^-32 s.
        Assert.Equal(429UL, RtcpSenderReport.ToNtpTimestamp(DateTimeOffset.UnixEpoch.AddTicks(1)) & 0xFFFF_FFFF);
    }
}
