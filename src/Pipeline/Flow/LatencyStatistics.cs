namespace Miraflow.Pipeline.Flow;

/// <summary>
/// Capture-to-wire latency of video frames: from a picture's capture time to the moment its
/// last datagram was handed to the kernel, on the session's <see cref="Media.MediaClock"/>.
/// </summary>
/// <param name="Count">Frames measured.</param>
/// <param name="P50">The median (zero when nothing was measured).</param>
/// <param name="P99">The 99th percentile.</param>
/// <param name="Max">The largest latency seen.</param>
/// <remarks>Percentiles come from a log-linear histogram with 512 to 1,024 buckets per power of two (relative error below 0.2 %).</remarks>
public readonly record struct LatencyStatistics(long Count, TimeSpan P50, TimeSpan P99, TimeSpan Max);
