using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Ts;
using static Miraflow.Pipeline.Tests.Ts.TsTestData;

namespace Miraflow.Pipeline.Tests.Ts;

/// <summary>House rule 26: mux and packetize allocate nothing per frame once warm.</summary>
[Trait("Category", "unit")]
public sealed class SteadyStateAllocationTests
{
    [Fact]
    public void Mux_and_packetize_600_frames_with_audio_allocate_nothing()
    {
        byte[] idr = Concat(Sps, Pps, IdrSlice(200_000));
        byte[] idrBare = Concat(Aud, IdrSlice(200_000));
        byte[] p = Concat(Aud, NonIdrSlice(40_000));
        byte[] audio = new byte[1920];
        var muxer = new TsMuxer();
        var packetizer = new RtpPacketizer();
        using var batch = new DatagramBatch();
        long us = 0;

        void Frame(int index)
        {
            var now = MediaTime.FromMicroseconds(us);
            byte[] au = index % 60 == 0 ? (index % 120 == 0 ? idr : idrBare) : p;
            packetizer.Begin(batch, now);
            muxer.WriteVideo(ref packetizer, au, now, now, now);
            batch.Clear();
            for (int a = 0; a < 2; a++)
            {
                packetizer.Begin(batch, now);
                muxer.WriteAudio(ref packetizer, audio, now, now);
                batch.Clear();
            }

            us += 16_667;
        }

        for (int i = 0; i < 120; i++)
        {
            Frame(i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 120; i < 720; i++)
        {
            Frame(i);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(720, muxer.Statistics.VideoUnits);
        Assert.Equal(6, muxer.Statistics.ParameterSetsInserted); // the bare IDRs got SPS/PPS
    }
}
