using System.Diagnostics;
using Miraflow.Pipeline.Ts;
using Miraflow.Simulator.Sink;

namespace Miraflow.Simulator.Tests.Sink;

/// <summary>The sink's IDR detection in the TS and its M13 rate limit and recovery timing, fed crafted input.</summary>
[Trait("Category", "unit")]
public sealed class IdrRecoveryTests
{
    private static readonly long Ms = Stopwatch.Frequency / 1000;

    [Theory]
    [InlineData(5, true)] // IDR slice
    [InlineData(1, false)] // non-IDR slice
    public void The_first_slice_of_a_video_PES_tells_an_IDR_picture(int sliceType, bool idr)
    {
        var detector = new IdrPictureDetector();
        byte[] es = [0, 0, 0, 1, 0x09, 0xF0, 0, 0, 0, 1, 0x67, 0x42, 0xC0, 0x1F, 0, 0, 1, 0x68, 0xCE, 0, 0, 1, (byte)(0x60 | sliceType), 0x88, 0x84];

        Assert.Equal(idr, detector.Record(PesStart(TsPid.Video, es)));
        Assert.Equal(idr ? 1 : 0, detector.IdrPictures);
    }

    [Fact]
    public void A_start_code_split_across_TS_packets_is_followed_and_other_PIDs_are_ignored()
    {
        var detector = new IdrPictureDetector();
        byte[] first = PesStart(TsPid.Video, [0, 0, 0, 1, 0x09, 0xF0, 0, 0]); // stuffed up to the packet's end
        byte[] audio = PesStart(TsPid.Audio, [0, 0, 1, 0x65]);
        byte[] second = Continuation(TsPid.Video, [1, 0x65, 0x88]); // 00 00 | 01 65: an IDR slice

        Assert.False(detector.Record(first));
        Assert.False(detector.Record(audio));
        Assert.True(detector.Record(second));
        Assert.False(detector.Record(Continuation(TsPid.Video, [0, 0, 1, 0x65]))); // the rest of the PES is not scanned
        Assert.Equal(1, detector.IdrPictures);
    }

    [Fact]
    public void Requests_are_rate_limited_not_repeated_while_one_waits_and_timed_to_the_IDR()
    {
        var recovery = new IdrRecovery(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1));
        Assert.True(recovery.TryBegin(1000 * Ms));
        Assert.False(recovery.TryBegin(1001 * Ms)); // one in flight
        recovery.Sent(1002 * Ms, sent: true);
        Assert.False(recovery.TryBegin(1400 * Ms)); // within 500 ms
        Assert.False(recovery.TryBegin(1900 * Ms)); // waiting for the IDR, under 1 s
        Assert.True(recovery.TryBegin(2100 * Ms)); // waited over 1 s: ask again
        recovery.Sent(2100 * Ms, sent: true);
        recovery.IdrArrived(2142 * Ms);

        IdrRecoveryStatistics stats = recovery.Snapshot(idrPictures: 3);
        Assert.Equal(2, stats.Requests);
        Assert.Equal(1, stats.Recoveries);
        Assert.False(stats.Pending);
        Assert.Equal(1140, stats.LongestWait!.Value.TotalMilliseconds, precision: 0); // from the first request of the wait
        Assert.Equal(3, stats.IdrPictures);

        Assert.False(recovery.TryBegin(2500 * Ms)); // 400 ms after the last request
        Assert.True(recovery.TryBegin(2600 * Ms));
        recovery.Sent(2600 * Ms, sent: false); // the session was not playing: nothing counted
        Assert.Equal(2, recovery.Snapshot(3).Requests);
        recovery.IdrArrived(2700 * Ms); // an IDR nobody waited for
        Assert.Equal(1, recovery.Snapshot(3).Recoveries);
    }

    /// <summary>A video TS packet with PUSI whose payload is a PES header (PTS only) and then <paramref name="es"/>, padded with an adaptation field.</summary>
    private static byte[] PesStart(int pid, byte[] es)
    {
        byte[] pes = [0, 0, 1, 0xE0, 0, 0, 0x80, 0x80, 5, 0x21, 0, 1, 0, 1, .. es];
        return Packet(pid, payloadUnitStart: true, pes);
    }

    private static byte[] Continuation(int pid, byte[] es) => Packet(pid, payloadUnitStart: false, es);

    private static byte[] Packet(int pid, bool payloadUnitStart, byte[] payload)
    {
        var packet = new byte[TsPacket.Size];
        int stuffing = TsPacket.Size - 4 - payload.Length;
        TsPacket.WriteHeader(packet, pid, payloadUnitStart, adaptationFieldControl: 0b11, continuityCounter: 0);
        TsPacket.WriteStuffing(packet.AsSpan(4, stuffing), stuffing);
        payload.CopyTo(packet.AsSpan(4 + stuffing));
        return packet;
    }
}
