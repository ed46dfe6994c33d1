using System.Diagnostics;
using Miraflow.Exports.Interop;
using Miraflow.Simulator.Os;

namespace Miraflow.Simulator.Demo;

/// <summary>One picture's path: captured by the simulated GPU, reported sent by the driver, completed at the sink (Stopwatch timestamps).</summary>
/// <param name="Frame">The OS's frame number.</param>
/// <param name="Captured">When the GPU captured it (the chunk's <c>CaptureTimestamp</c>).</param>
/// <param name="Sent">When the driver reported its first <c>CHUNK_SENT</c> (just before its first datagram went out).</param>
/// <param name="Arrived">When the datagram that completed its PES reached the sink.</param>
public readonly record struct FrameTiming(ulong Frame, long Captured, long Sent, long Arrived)
{
    /// <summary>Capture → sink, in milliseconds.</summary>
    public double CaptureToSinkMs => Latency.Milliseconds(Arrived - Captured);

    /// <summary>Capture → send (the driver pipeline alone), in milliseconds.</summary>
    public double CaptureToSendMs => Latency.Milliseconds(Sent - Captured);
}

/// <summary>Capture-to-sink latency of a session and what contradicts the matching it rests on.</summary>
/// <param name="Frames">Each matched picture, in send order.</param>
/// <param name="SinkP50">Capture → sink, median (ms; 0 when nothing matched).</param>
/// <param name="SinkP99">Capture → sink, 99th percentile (ms).</param>
/// <param name="SendP50">Capture → send, median (ms).</param>
/// <param name="SendP99">Capture → send, 99th percentile (ms).</param>
/// <param name="Problems">Why the figures cannot be trusted (empty when they can).</param>
public sealed record LatencyReport(IReadOnlyList<FrameTiming> Frames, double SinkP50, double SinkP99, double SendP50, double SendP99, IReadOnlyList<string> Problems);

/// <summary>
/// Capture-to-sink latency, measured without marking the pictures: the OS knows when each frame
/// was captured (by frame number), the driver's <c>CHUNK_SENT</c> reports give the frame numbers
/// in send order, and the sink knows when each video PES arrived. On a lossless loopback link
/// the k-th PES the sink completes is the k-th frame the driver sent, so
/// latency_k = arrival_k − capture(frame_k). The matching is checked, not assumed: the counts
/// must agree, and every arrival must come after its frame's <c>CHUNK_SENT</c>.
/// </summary>
public static class Latency
{
    /// <summary>Stopwatch ticks to milliseconds.</summary>
    public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>
    /// The frames the driver reported sent, in order, each with the time of its first
    /// <c>CHUNK_SENT</c> (a frame of N slices reports N parts; they are one PES).
    /// </summary>
    public static IReadOnlyList<(ulong Frame, long Sent)> SentFrames(IReadOnlyList<StatisticRecord> statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        var sent = new List<(ulong, long)>();
        ulong last = 0;
        foreach (StatisticRecord record in statistics)
        {
            if (record.Data.StatisticType != MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT)
            {
                continue;
            }

            ulong frame = record.Data.ChunkSent.ChunkId.FrameNumber;
            if (frame != last)
            {
                sent.Add((frame, record.Timestamp));
                last = frame;
            }
        }

        return sent;
    }

    /// <summary>Frames reported dropped (<c>CHUNK_PROCESSING_COMPLETE</c> of type <c>FRAME_DROPPED</c>).</summary>
    public static long DroppedReports(IReadOnlyList<StatisticRecord> statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        long dropped = 0;
        foreach (StatisticRecord record in statistics)
        {
            if (record.Data.StatisticType == MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE
                && record.Data.EncodeComplete.ChunkInfo.ChunkType == MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED)
            {
                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>
    /// Matches the k-th sent frame with the k-th arrival. With <paramref name="final"/> false
    /// (while streaming) only the arrivals so far are matched and no count problem is reported.
    /// </summary>
    public static LatencyReport Match(IReadOnlyList<(ulong Frame, long Sent)> sent, Func<ulong, long?> captureOf, IReadOnlyList<long> arrivals, bool final)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(captureOf);
        ArgumentNullException.ThrowIfNull(arrivals);
        var problems = new List<string>();
        if (final && sent.Count != arrivals.Count)
        {
            problems.Add($"the sink completed {arrivals.Count} video PES but the driver reported {sent.Count} frames sent");
        }

        int n = Math.Min(sent.Count, arrivals.Count);
        var frames = new List<FrameTiming>(n);
        int early = 0, unknown = 0;
        for (int k = 0; k < n; k++)
        {
            (ulong frame, long sentAt) = sent[k];
            if (captureOf(frame) is not long captured)
            {
                unknown++;
                continue;
            }

            if (arrivals[k] < sentAt || sentAt < captured)
            {
                early++;
            }

            frames.Add(new FrameTiming(frame, captured, sentAt, arrivals[k]));
        }

        if (early > 0)
        {
            problems.Add($"{early} pictures arrived before they were reported sent, or were sent before they were captured: the arrivals do not match the frames");
        }

        if (unknown > 0)
        {
            problems.Add($"{unknown} frames reported sent were never captured by the GPU");
        }

        double[] sink = [.. frames.Select(f => f.CaptureToSinkMs)];
        double[] send = [.. frames.Select(f => f.CaptureToSendMs)];
        return new LatencyReport(frames, Percentile(sink, 50), Percentile(sink, 99), Percentile(send, 50), Percentile(send, 99), problems);
    }

    /// <summary>The nearest-rank percentile: the smallest value with at least <paramref name="percent"/> % of the values at or below it; 0 for no values.</summary>
    public static double Percentile(IReadOnlyList<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return 0;
        }

        double[] sorted = [.. values];
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
