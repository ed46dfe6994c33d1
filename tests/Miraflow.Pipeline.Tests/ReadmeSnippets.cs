using System.Net;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Transport;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Tests;

/// <summary>
/// The media code shown in README.md, compiled and run here so it cannot rot:
/// <see cref="ReadmeTests"/> checks that the README holds exactly the region below and runs it.
/// </summary>
internal static class ReadmeSnippets
{
    public static UdpSenderStatistics StreamAccessUnits(IEnumerable<EncodedFrame> accessUnits, IPEndPoint sinkRtpEndPoint)
    {
        // begin-snippet: stream-access-units
        // One muxer, packetizer and sender per stream; one batch, reused, per media unit.
        var clock = new MediaClock();
        var muxer = new TsMuxer(new TsMuxerOptions { Audio = TsAudio.None });
        var packetizer = new RtpPacketizer(clock: clock);
        using var sender = new UdpMediaSender(sinkRtpEndPoint);
        using var batch = new DatagramBatch();

        foreach (EncodedFrame unit in accessUnits)
        {
            MediaTime now = clock.Now;
            batch.Clear();
            packetizer.Begin(batch, now);
            muxer.WriteVideo(ref packetizer, unit.Data, unit.CaptureTime, unit.CaptureTime, now);
            sender.Send(batch); // all datagrams of the unit; a send error is counted, never thrown
        }
        // end-snippet

        return sender.Statistics;
    }
}
