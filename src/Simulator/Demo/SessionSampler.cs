using System.Diagnostics;
using Miraflow.Exports.Interop;
using Miraflow.Simulator.Os;
using Miraflow.Simulator.Sink;

namespace Miraflow.Simulator.Demo;

/// <summary>One reading of a running session, for the live view (rates are over the last interval).</summary>
/// <param name="Elapsed">Time since streaming began.</param>
/// <param name="State">The session's state in a word or two (negotiating, streaming, stopping, ended: …).</param>
/// <param name="FramesSent">Frames the driver reported sent so far.</param>
/// <param name="FramesPerSecond">Frames sent per second over the last interval.</param>
/// <param name="BitsPerSecond">Bit/s the sink received over the last interval (null without a sink of ours).</param>
/// <param name="EncoderKbps">The encoder's target the driver last reported (kbit/s), 0 before.</param>
/// <param name="Drops">Frames dropped so far: by the KMD for want of a slot, or reported dropped by the driver.</param>
/// <param name="LatencyP50">Capture → sink median so far (ms), null without a sink of ours.</param>
/// <param name="LatencyP99">Capture → sink 99th percentile so far (ms).</param>
/// <param name="SinkProblems">Sequence gaps + continuity errors the sink counted (null without a sink of ours).</param>
public sealed record SessionSample(
    TimeSpan Elapsed,
    string State,
    long FramesSent,
    double FramesPerSecond,
    double? BitsPerSecond,
    uint EncoderKbps,
    long Drops,
    double? LatencyP50,
    double? LatencyP99,
    long? SinkProblems);

/// <summary>Reads a running session's figures from the OS emulator and, when there is one, our sink.</summary>
internal sealed class SessionSampler(OsEmulator os, SinkEmulator? sink)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _lastAt = Stopwatch.GetTimestamp();
    private long _lastFrames;
    private long _lastBytes;

    /// <summary>When sampling began (a Stopwatch timestamp).</summary>
    public long Started => _started;

    /// <summary>Frames reported sent at the last sample.</summary>
    public long Frames => _lastFrames;

    public SessionSample Sample(string state)
    {
        long now = Stopwatch.GetTimestamp();
        double seconds = Math.Max(1e-3, Latency.Milliseconds(now - _lastAt) / 1000);
        long framesSent = os.FramesReportedSent; // counters: the OS emulator may keep only its latest records
        double? bitrate = null, p50 = null, p99 = null;
        long? problems = null;
        if (sink is not null)
        {
            SinkStatistics stats = sink.Statistics;
            bitrate = (stats.Bytes - _lastBytes) * 8 / seconds;
            _lastBytes = stats.Bytes;
            problems = stats.SequenceGaps + stats.ContinuityErrors;
            IReadOnlyList<(ulong Frame, long Sent)> sent = Latency.SentFrames(os.Statistics); // with our sink, every record is kept
            LatencyReport latency = Latency.Match(sent, CaptureOf, sink.VideoPesArrivalTimestamps(includeLast: false), final: false);
            p50 = latency.SinkP50;
            p99 = latency.SinkP99;
        }

        var sample = new SessionSample(
            Stopwatch.GetElapsedTime(_started),
            state,
            framesSent,
            (framesSent - _lastFrames) / seconds,
            bitrate,
            os.LastEncodeRateKbps,
            os.FramesDropped + os.StatisticCount(MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE, MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED),
            p50,
            p99,
            problems);
        _lastFrames = framesSent;
        _lastAt = now;
        return sample;
    }

    private long? CaptureOf(ulong frame) => os.TryGetCaptureTimestamp(frame, out long captured) ? captured : null;
}
