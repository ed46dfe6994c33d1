using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Ts;
using Miraflow.Pipeline.Tests.Ts;

namespace Miraflow.Pipeline.Tests.Rtp;

[Trait("Category", "unit")]
public sealed class RtpPacketizerTests
{
    private static RtpPacketizer Create(ushort sequence = 100, uint offset = 0) =>
        new(new RtpPacketizerOptions { Ssrc = 0x11223344, InitialSequenceNumber = sequence, TimestampOffset = offset });

    private static void WritePackets(RtpPacketizer packetizer, int count, bool endOfFrame)
    {
        for (int i = 0; i < count; i++)
        {
            Span<byte> packet = packetizer.NextPacket();
            Assert.Equal(TsPacket.Size, packet.Length);
            packet.Fill((byte)i);
            packet[0] = TsPacket.SyncByte;
        }

        packetizer.EndOfUnit(endOfFrame);
    }

    [Fact]
    public void Packs_seven_ts_packets_per_datagram_and_flushes_the_rest_at_the_end_of_the_unit()
    {
        var packetizer = Create();
        using var batch = new DatagramBatch();
        packetizer.Begin(batch, MediaTime.From90kHz(3000));

        WritePackets(packetizer, 16, endOfFrame: true);

        Assert.Equal(3, batch.Count);
        Assert.Equal([1328, 1328, 12 + (2 * 188)], Enumerable.Range(0, 3).Select(i => batch.GetRange(i).Length));
        Assert.Equal(16 * 188, packetizer.OctetCount);
        Assert.Equal(3, packetizer.PacketCount);
    }

    [Fact]
    public void Headers_carry_sequence_timestamp_ssrc_and_a_marker_on_the_last_datagram_of_a_frame()
    {
        var packetizer = Create(sequence: 7, offset: 1000);
        using var batch = new DatagramBatch();
        packetizer.Begin(batch, MediaTime.From90kHz(3000));

        WritePackets(packetizer, 14, endOfFrame: true);

        Assert.Equal("80210007" + "00000FA0" + "11223344", Convert.ToHexString(batch[0][..12]));
        Assert.Equal("80A10008" + "00000FA0" + "11223344", Convert.ToHexString(batch[1][..12]));
        Assert.Equal(TsPacket.SyncByte, batch[1][12 + (6 * 188)]);
        Assert.Equal(13, batch[1][12 + (6 * 188) + 1]); // the 14th TS packet, in place
    }

    [Fact]
    public void Audio_units_flush_without_a_marker()
    {
        var packetizer = Create();
        using var batch = new DatagramBatch();
        packetizer.Begin(batch, MediaTime.Zero);

        WritePackets(packetizer, 3, endOfFrame: false);

        Assert.Equal(0x21, batch[0][1]);
    }

    [Fact]
    public void Sequence_numbers_wrap_at_65536()
    {
        var packetizer = Create(sequence: 65_534);
        using var batch = new DatagramBatch();
        packetizer.Begin(batch, MediaTime.Zero);

        WritePackets(packetizer, 21, endOfFrame: true);

        Assert.Equal([65_534, 65_535, 0], Enumerable.Range(0, 3).Select(i => (int)(batch[i][2] << 8 | batch[i][3])));
        Assert.Equal(1, packetizer.NextSequenceNumber);
    }

    [Fact]
    public void Timestamps_are_the_90khz_clock_plus_the_offset_modulo_2_pow_32()
    {
        var packetizer = Create(offset: uint.MaxValue);

        Assert.Equal(8u, packetizer.ToRtpTimestamp(MediaTime.From90kHz(9)));
        Assert.Equal(2_999u, packetizer.ToRtpTimestamp(new MediaTime((3_000 * 300) + 299)));
    }

    [Fact]
    public void Default_ssrc_sequence_and_offset_are_random_per_session()
    {
        var a = new RtpPacketizer();
        var b = new RtpPacketizer();
        var c = new RtpPacketizer();

        Assert.False(a.Ssrc == b.Ssrc && b.Ssrc == c.Ssrc);
        Assert.False(a.NextSequenceNumber == b.NextSequenceNumber && b.NextSequenceNumber == c.NextSequenceNumber);
    }

    [Fact]
    public void Fewer_packets_per_datagram_when_configured()
    {
        var packetizer = new RtpPacketizer(new RtpPacketizerOptions { PacketsPerDatagram = 2 });
        using var batch = new DatagramBatch();
        packetizer.Begin(batch, MediaTime.Zero);

        WritePackets(packetizer, 5, endOfFrame: true);

        Assert.Equal([388, 388, 200], Enumerable.Range(0, 3).Select(i => batch.GetRange(i).Length));
    }

    [Fact]
    public void Misuse_is_reported()
    {
        var packetizer = Create();
        using var batch = new DatagramBatch();

        Assert.Throws<InvalidOperationException>(() => packetizer.NextPacket());
        packetizer.Begin(batch, MediaTime.Zero);
        packetizer.NextPacket();
        Assert.Throws<InvalidOperationException>(() => packetizer.Begin(batch, MediaTime.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RtpPacketizer(new RtpPacketizerOptions { PacketsPerDatagram = 8 }));
    }

    [Fact]
    public void The_muxer_writes_straight_into_the_datagrams()
    {
        var muxer = new TsMuxer(new TsMuxerOptions { Audio = TsAudio.None });
        var packetizer = Create();
        using var batch = new DatagramBatch();
        byte[] au = TsTestData.Concat(TsTestData.Sps, TsTestData.Pps, TsTestData.IdrSlice(5000));

        packetizer.Begin(batch, MediaTime.Zero);
        muxer.WriteVideo(ref packetizer, au, MediaTime.Zero, MediaTime.Zero, MediaTime.Zero);

        long packets = muxer.Statistics.Packets;
        Assert.Equal((packets + 6) / 7, batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            ReadOnlySpan<byte> datagram = batch[i];
            for (int at = 12; at < datagram.Length; at += 188)
            {
                Assert.Equal(TsPacket.SyncByte, datagram[at]);
            }
        }
    }

    [Fact]
    public void Reports_now_on_the_session_clock_for_rtcp()
    {
        var time = new ManualTimeProvider();
        var clock = new MediaClock(time);
        var state = new RtpPacketizer(new RtpPacketizerOptions { TimestampOffset = 10 }, clock);

        time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(180_010u, ((IRtpSenderState)state).CurrentRtpTimestamp);
    }
}
