using System.Buffers;
using System.Buffers.Binary;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Tests.TestSupport;
using Miraflow.Pipeline.Transport;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Tests.Integration;

/// <summary>
/// Issue 3, RTP without tshark: our datagrams received on a loopback socket, their RTP headers
/// read by hand (RFC 3550 §5.1, RFC 2250 §2), and the transport stream they carry reassembled
/// and decoded by ffmpeg.
/// </summary>
[Collection(MediaIntegration.Name)]
[Trait("Category", "integration")]
public sealed class RtpLoopbackTests
{
    private const int Frames = 60;

    /// <summary>12-byte RTP header + 7 TS packets (protocol doc §4.1).</summary>
    private const int FullDatagram = 12 + (7 * 188);

    // Fixed header values, chosen so the sequence number (16 bits) and timestamp (32 bits) wrap within the run.
    private const uint Ssrc = 0x4D49_5241;
    private const ushort FirstSequence = 65_000;
    private const uint TimestampOffset = 0xFFFF_0000;

    [Fact]
    public async Task Datagrams_carry_valid_rtp_headers_and_reassemble_into_the_muxed_stream()
    {
        using var directory = new TempDirectory("rtp-loopback");
        H264TestStream video = await H264TestStream.EncodeAsync(directory, H264Framing.Bare, Frames);
        List<MediaUnit> units = MediaSchedule.Interleave(video, new LpcmTone());
        var packetizer = new RtpPacketizer(new RtpPacketizerOptions { Ssrc = Ssrc, InitialSequenceNumber = FirstSequence, TimestampOffset = TimestampOffset });

        // Sent as fast as the receiver keeps up (at most 32 datagrams in flight), so none is dropped.
        using var receiver = new LoopbackReceiver();
        using var sender = new UdpMediaSender(receiver.EndPoint);
        using var single = new DatagramBatch();
        List<SentUnit> sent = await RtpStreamer.StreamAsync(units, new TsMuxer(), packetizer, (batch, _) =>
        {
            for (int i = 0; i < batch.Count; i++)
            {
                receiver.WaitForCount(sender.Statistics.DatagramsSent - 31, TimeSpan.FromSeconds(5));
                single.Clear();
                single.Add(batch[i]);
                sender.Send(single);
            }
        }, Pacing.Unpaced);
        await receiver.WaitForCountAsync(sender.Statistics.DatagramsSent, TimeSpan.FromSeconds(5));
        List<byte[]> datagrams = receiver.Snapshot();

        Assert.Equal(sent.Sum(u => u.Datagrams), datagrams.Count);
        Assert.True(datagrams.Count > 65_536 - FirstSequence, "The run should wrap the sequence number.");
        int next = 0;
        var ts = new ArrayBufferWriter<byte>();
        foreach (SentUnit unit in sent)
        {
            uint timestamp = unchecked((uint)unit.Unit.ReadyTime.Ticks90kHz + TimestampOffset);
            for (int i = 0; i < unit.Datagrams; i++, next++)
            {
                byte[] d = datagrams[next];
                bool last = i == unit.Datagrams - 1;
                string where = $"datagram {next} ({unit.Unit.Kind} unit {unit.Unit.Index}, {i + 1} of {unit.Datagrams})";

                Assert.True(d[0] == 0x80, $"{where}: first byte 0x{d[0]:X2}, expected 0x80 (version 2, no padding, no extension, no CSRC).");
                Assert.True((d[1] & 0x7F) == 33, $"{where}: payload type {d[1] & 0x7F}.");
                Assert.True((d[1] & 0x80) != 0 == (last && unit.Unit.Kind == MediaKind.Video), $"{where}: marker bit {d[1] >> 7}; it belongs on the last datagram of each video access unit only.");
                Assert.True(BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(2)) == unchecked((ushort)(FirstSequence + next)), $"{where}: sequence number {BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(2))}, expected {unchecked((ushort)(FirstSequence + next))}.");
                Assert.True(BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(4)) == timestamp, $"{where}: timestamp {BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(4))}, expected {timestamp} (the unit's mux time on 90 kHz plus the offset).");
                Assert.True(BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(8)) == Ssrc, $"{where}: SSRC 0x{BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(8)):X8}.");
                Assert.True(last ? d.Length is > 12 and <= FullDatagram && (d.Length - 12) % 188 == 0 : d.Length == FullDatagram, $"{where}: {d.Length} bytes; every datagram but a unit's last is {FullDatagram}.");
                for (int at = 12; at < d.Length; at += 188)
                {
                    Assert.True(d[at] == 0x47, $"{where}: no TS sync byte at {at}.");
                }

                ts.Write(d.AsSpan(12));
            }
        }

        // The payloads, in order, are exactly what the muxer writes to a file for the same units.
        var reference = new ArrayBufferWriter<byte>();
        var sink = new TsBufferSink(reference);
        var muxer = new TsMuxer();
        foreach (MediaUnit unit in units)
        {
            MediaSchedule.Mux(muxer, ref sink, unit);
        }

        Assert.True(reference.WrittenSpan.SequenceEqual(ts.WrittenSpan), $"The reassembled stream ({ts.WrittenCount} bytes) differs from the muxer's file output ({reference.WrittenCount} bytes) at byte {reference.WrittenSpan.CommonPrefixLength(ts.WrittenSpan)}.");

        // And ffmpeg reads it: every picture, and a silent decode (without the audio PID, see MediaJudges).
        string path = directory.File("reassembled.ts");
        await File.WriteAllBytesAsync(path, ts.WrittenMemory);
        FfprobeReport probe = await FfprobeReport.ProbeAsync(path);
        FfprobeStream videoStream = Assert.Single(probe.Streams, s => s.CodecType == "video");
        Assert.Equal(Frames, probe.Packets.Count(p => p.StreamIndex == videoStream.Index));

        string videoOnly = directory.File("reassembled.video-only.ts");
        await File.WriteAllBytesAsync(videoOnly, TsPackets.WithoutPid(ts.WrittenSpan, TsPid.Audio));
        ToolResult decode = await MediaJudges.DecodeToNullAsync(videoOnly);
        Assert.True(decode.ExitCode == 0 && decode.StandardOutput.Length == 0 && decode.StandardError.Length == 0, $"ffmpeg should decode silently.\n{decode.Describe()}");
    }
}
