using Miraflow.Simulator.Analysis;
using Miraflow.Simulator.Tests.Cli;

namespace Miraflow.Simulator.Tests.Analysis;

/// <summary>The analyzer as a library on a real WFD stream (our muxer), with the faults a capture can have.</summary>
[Trait("Category", "integration")]
public sealed class TsAnalyzerTests(MuxedStreamFixture stream) : IClassFixture<MuxedStreamFixture>
{
    [Fact]
    public void Feeding_in_odd_sized_pieces_gives_the_same_report_as_one_span()
    {
        TsAnalysisReport whole = TsAnalyzer.Analyze(stream.Bytes);
        var analyzer = new TsAnalyzer();
        for (int at = 0; at < stream.Bytes.Length; at += 1009)
        {
            analyzer.Feed(stream.Bytes.AsSpan(at, Math.Min(1009, stream.Bytes.Length - at)));
        }

        TsAnalysisReport pieces = analyzer.Complete();
        Assert.Equal((whole.Packets, whole.ContinuityErrors, whole.Pat.Count, whole.Pmt.Count, whole.Pcr.Count), (pieces.Packets, pieces.ContinuityErrors, pieces.Pat.Count, pieces.Pmt.Count, pieces.Pcr.Count));
        Assert.Equal(whole.Video?.Frames, pieces.Video?.Frames);
        Assert.Equal(0, whole.SyncLosses);
        Assert.Equal(MuxedStreamFixture.Frames, whole.Video?.Frames);
    }

    [Fact]
    public void Garbage_in_the_middle_is_one_sync_loss_and_one_resync_and_the_skipped_bytes_are_counted()
    {
        byte[] broken = [.. stream.Bytes.AsSpan(0, 188 * 100), .. new byte[50], .. stream.Bytes.AsSpan(188 * 100)];

        TsAnalysisReport report = TsAnalyzer.Analyze(broken);

        Assert.Equal(1, report.SyncLosses);
        Assert.Equal(1, report.Resyncs);
        Assert.Equal(50, report.SkippedBytes);
        Assert.Equal(stream.Bytes.Length / 188, report.Packets);
        Assert.False(report.IsClean);
    }

    [Fact]
    public void A_pat_with_a_wrong_crc_is_counted_and_not_used()
    {
        byte[] broken = (byte[])stream.Bytes.Clone();
        int first = FindPidPacket(broken, 0);
        broken[first + 5 + 8] ^= 0xFF; // a byte inside the first PAT section (after pointer_field and header)

        TsAnalysisReport report = TsAnalyzer.Analyze(broken);

        Assert.Equal(1, report.PatCrcErrors);
        Assert.Equal(TsAnalyzer.Analyze(stream.Bytes).Pat.Count - 1, report.Pat.Count);
        Assert.False(report.IsClean);
    }

    private static int FindPidPacket(byte[] ts, int pid)
    {
        for (int at = 0; at + 188 <= ts.Length; at += 188)
        {
            if ((((ts[at + 1] & 0x1F) << 8) | ts[at + 2]) == pid)
            {
                return at;
            }
        }

        throw new InvalidOperationException($"no packet on PID {pid}");
    }
}
