using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Ts;
using Miraflow.Simulator.Sink;

namespace Miraflow.Simulator.Tests.Sink;

/// <summary>The sink's datagram checks, fed crafted datagrams: every count pinned exactly.</summary>
[Trait("Category", "unit")]
public sealed class RtpTsInspectorTests
{
    private const int Video = 0x1011;

    [Fact]
    public void In_order_datagrams_with_consecutive_counters_are_lossless()
    {
        var inspector = new RtpTsInspector();
        for (int i = 0; i < 40; i++)
        {
            Assert.True(inspector.Inspect(Datagram((ushort)i, Packets(Video, 7 * i, 7)), out int offset, out int length));
            Assert.Equal((RtpHeader.Size, 7 * TsPacket.Size), (offset, length));
        }

        SinkStatistics stats = inspector.Snapshot();
        Assert.Equal(40, stats.Datagrams);
        Assert.Equal(40L * (RtpHeader.Size + (7 * TsPacket.Size)), stats.Bytes);
        Assert.Equal(280, stats.TsPackets);
        Assert.True(stats.IsLossless, stats.ToString());
    }

    [Fact]
    public void A_missing_sequence_number_is_one_gap_and_its_lost_packets_counted()
    {
        var inspector = new RtpTsInspector();
        inspector.Inspect(Datagram(10, Packets(Video, 0, 1)), out _, out _);
        inspector.Inspect(Datagram(11, Packets(Video, 1, 1)), out _, out _);
        inspector.Inspect(Datagram(14, Packets(Video, 2, 1)), out _, out _); // 12 and 13 are missing

        SinkStatistics stats = inspector.Snapshot();
        Assert.Equal(1, stats.SequenceGaps);
        Assert.Equal(2, stats.LostPackets);
        Assert.Equal(0, stats.OutOfOrder);
        Assert.Equal(0, stats.ContinuityErrors);
    }

    [Fact]
    public void The_sequence_number_wraps_from_65535_to_0_without_a_gap_but_a_jump_across_the_wrap_is_one()
    {
        var inspector = new RtpTsInspector();
        inspector.Inspect(Datagram(65534, Packets(Video, 0, 1)), out _, out _);
        inspector.Inspect(Datagram(65535, Packets(Video, 1, 1)), out _, out _);
        inspector.Inspect(Datagram(0, Packets(Video, 2, 1)), out _, out _);
        Assert.Equal(0, inspector.Snapshot().SequenceGaps);

        inspector.Inspect(Datagram(3, Packets(Video, 3, 1)), out _, out _); // 1 and 2 missing
        inspector.Inspect(Datagram(2, Packets(Video, 4, 1)), out _, out _); // late
        SinkStatistics stats = inspector.Snapshot();
        Assert.Equal((1L, 2L, 1L), (stats.SequenceGaps, stats.LostPackets, stats.OutOfOrder));
    }

    [Fact]
    public void A_skipped_continuity_counter_is_one_error_per_pid_and_counting_resumes_from_it()
    {
        var inspector = new RtpTsInspector();
        byte[] packets = [.. Packets(Video, 0, 3), .. Packets(TsPid.Audio, 5, 2), .. Packets(Video, 4, 2), .. Packets(TsPid.Audio, 7, 1)];
        inspector.Inspect(Datagram(1, packets), out _, out _);

        // Video 0 1 2 then 4 5: one error (3 skipped). Audio 5 6 then 7: none.
        SinkStatistics stats = inspector.Snapshot();
        Assert.Equal(8, stats.TsPackets);
        Assert.Equal(1, stats.ContinuityErrors);
        Assert.Equal(0, stats.SequenceGaps);
    }

    [Fact]
    public void Adaptation_field_only_packets_keep_the_counter_and_are_errors_when_they_change_it()
    {
        var inspector = new RtpTsInspector();
        byte[] packets =
        [
            .. Packets(Video, 3, 1),
            .. AdaptationOnly(Video, 3, discontinuity: false), // keeps 3: fine
            .. Packets(Video, 4, 1),                           // 3 + 1: fine
            .. AdaptationOnly(Video, 5, discontinuity: false), // must stay 4: error
        ];
        inspector.Inspect(Datagram(1, packets), out _, out _);
        Assert.Equal(1, inspector.Snapshot().ContinuityErrors);
    }

    [Fact]
    public void One_duplicate_packet_is_allowed_a_second_one_is_not_and_a_discontinuity_indicator_restarts()
    {
        var inspector = new RtpTsInspector();
        byte[] packets =
        [
            .. Packets(Video, 0, 2),                          // 0 1
            .. Packets(Video, 1, 1),                          // 1 again: an allowed duplicate
            .. Packets(Video, 2, 1),                          // 2
            .. Packets(Video, 2, 1),                          // duplicate
            .. Packets(Video, 2, 1),                          // a second duplicate: error
            .. AdaptationOnly(Video, 9, discontinuity: true), // discontinuity: counting restarts at 9
            .. Packets(Video, 10, 1),
        ];
        inspector.Inspect(Datagram(1, packets), out _, out _);
        Assert.Equal(1, inspector.Snapshot().ContinuityErrors);
    }

    [Fact]
    public void Non_rtp_datagrams_bad_sync_bytes_and_partial_packets_are_counted_not_kept()
    {
        var inspector = new RtpTsInspector();
        Assert.False(inspector.Inspect([0x47, 0x00, 0x00, 0x10], out _, out int length));
        Assert.Equal(0, length);

        byte[] bad = Packets(Video, 0, 2);
        bad[TsPacket.Size] = 0x00; // the second packet loses its sync byte
        Assert.True(inspector.Inspect(Datagram(1, [.. bad, 0x47, 0x01]), out _, out _));

        SinkStatistics stats = inspector.Snapshot();
        Assert.Equal((2L, 1L), (stats.Datagrams, stats.NonRtp));
        Assert.Equal((2L, 1L, 1L), (stats.TsPackets, stats.SyncErrors, stats.MisalignedPayloads));
        Assert.False(stats.IsLossless);
    }

    [Fact]
    public void The_null_pid_is_never_checked()
    {
        var inspector = new RtpTsInspector();
        inspector.Inspect(Datagram(1, [.. Packets(TsPid.Null, 0, 1), .. Packets(TsPid.Null, 9, 1)]), out _, out _);
        Assert.Equal(0, inspector.Snapshot().ContinuityErrors);
    }

    [Fact]
    public void WithoutPid_keeps_the_other_packets_in_order()
    {
        byte[] stream = [.. Packets(Video, 0, 1), .. Packets(TsPid.Audio, 0, 2), .. Packets(Video, 1, 1), 0x47];
        byte[] video = TsPacketFilter.WithoutPid(stream, TsPid.Audio);
        Assert.Equal(2 * TsPacket.Size, video.Length);
        Assert.Equal([0, 1], [TsPacket.ReadContinuityCounter(video), TsPacket.ReadContinuityCounter(video.AsSpan(TsPacket.Size))]);
    }

    private static byte[] Datagram(ushort sequence, byte[] payload)
    {
        var datagram = new byte[RtpHeader.Size + payload.Length];
        new RtpHeader(false, RtpHeader.PayloadTypeMp2t, sequence, 0, 0x1234).Write(datagram);
        payload.CopyTo(datagram, RtpHeader.Size);
        return datagram;
    }

    /// <summary><paramref name="count"/> payload-only packets of <paramref name="pid"/>, counters from <paramref name="firstCounter"/> (mod 16).</summary>
    private static byte[] Packets(int pid, int firstCounter, int count)
    {
        var packets = new byte[count * TsPacket.Size];
        for (int i = 0; i < count; i++)
        {
            Span<byte> packet = packets.AsSpan(i * TsPacket.Size, TsPacket.Size);
            packet.Fill(0xFF);
            TsPacket.WriteHeader(packet, pid, payloadUnitStart: false, TsPacket.PayloadOnly, (firstCounter + i) & 0x0F);
        }

        return packets;
    }

    private static byte[] AdaptationOnly(int pid, int counter, bool discontinuity)
    {
        var packet = new byte[TsPacket.Size];
        TsPacket.WriteHeader(packet, pid, payloadUnitStart: false, TsPacket.AdaptationOnly, counter & 0x0F);
        packet[4] = TsPacket.Size - 5; // adaptation_field_length: the rest of the packet
        packet[5] = discontinuity ? (byte)0x80 : (byte)0x00;
        packet.AsSpan(6).Fill(0xFF);
        return packet;
    }
}
