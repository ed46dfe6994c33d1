using System.Globalization;

namespace Miraflow.Simulator.Stability;

/// <summary>One reading of the process during a stability run.</summary>
/// <param name="Elapsed">Time since streaming began.</param>
/// <param name="LiveHeapBytes">The managed heap after a full collection: what is really held.</param>
/// <param name="ResidentBytes">The process's resident set (<see cref="Environment.WorkingSet"/>).</param>
/// <param name="Threads">The process's threads.</param>
/// <param name="Descriptors">Open file descriptors (Linux; -1 elsewhere).</param>
/// <param name="FramesSent">CHUNK_SENT reports so far.</param>
/// <param name="SinkPictures">Pictures (video PES) the sink received so far.</param>
public readonly record struct MemorySample(TimeSpan Elapsed, long LiveHeapBytes, long ResidentBytes, int Threads, int Descriptors, long FramesSent, long SinkPictures);

/// <summary>The verdict on a series of <see cref="MemorySample"/>s.</summary>
/// <param name="HeapGrowthBytes">Median live heap of the last third minus that of the first third (after the warm-up).</param>
/// <param name="ResidentGrowthBytes">The same for the resident set.</param>
/// <param name="HeapSlopeBytesPerMinute">Least-squares slope of the live heap after the warm-up.</param>
/// <param name="Problems">Why the memory is not flat (empty when it is).</param>
public sealed record MemoryVerdict(long HeapGrowthBytes, long ResidentGrowthBytes, double HeapSlopeBytesPerMinute, IReadOnlyList<string> Problems)
{
    /// <summary>True when every bound held.</summary>
    public bool IsFlat => Problems.Count == 0;
}

/// <summary>
/// Judges whether memory stayed flat over a long run: after a warm-up (the first fifth of the run,
/// at most 10 minutes) the median of the last third of the samples may exceed that of the first
/// third by <see cref="MaxHeapGrowthBytes"/> (live managed heap) and <see cref="MaxResidentGrowthBytes"/>
/// (resident set, which the runtime and the native encoder grow and trim on their own); threads and
/// descriptors may not climb by more than a few. Medians of thirds, not end points, so one sample
/// taken during an IDR burst does not decide. Over a judged window of at least
/// <see cref="SlopeWindow"/>, the live heap's least-squares slope may not exceed
/// <see cref="MaxHeapSlopeBytesPerMinute"/> either, which catches leaks too slow for the growth bound.
/// </summary>
public static class MemoryTrend
{
    /// <summary>How much the live managed heap may grow: 8 MiB.</summary>
    public const long MaxHeapGrowthBytes = 8L * 1024 * 1024;

    /// <summary>
    /// The steepest live-heap slope allowed over a long window: 64 KiB a minute, 36 bytes per picture
    /// at 30 fps. (<c>miraflow stability</c> runs the emulators without their per-picture records.)
    /// </summary>
    public const long MaxHeapSlopeBytesPerMinute = 64 * 1024;

    /// <summary>The shortest judged window over which the slope is trusted (shorter ones are noise): 20 minutes.</summary>
    public static readonly TimeSpan SlopeWindow = TimeSpan.FromMinutes(20);

    /// <summary>How much the resident set may grow: 64 MiB.</summary>
    public const long MaxResidentGrowthBytes = 64L * 1024 * 1024;

    /// <summary>How many more threads the end may have than the start: 4 (pool threads come and go).</summary>
    public const int MaxThreadGrowth = 4;

    /// <summary>How many more descriptors the end may have than the start: 8.</summary>
    public const int MaxDescriptorGrowth = 8;

    /// <summary>The samples needed after the warm-up for a verdict.</summary>
    public const int MinSamples = 6;

    /// <summary>The warm-up excluded from the verdict for a run of <paramref name="duration"/>.</summary>
    public static TimeSpan WarmUp(TimeSpan duration) => TimeSpan.FromTicks(Math.Min(duration.Ticks / 5, TimeSpan.FromMinutes(10).Ticks));

    /// <summary>Judges <paramref name="samples"/> (in time order) of a run of <paramref name="duration"/>.</summary>
    public static MemoryVerdict Judge(IReadOnlyList<MemorySample> samples, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(samples);
        TimeSpan warmUp = WarmUp(duration);
        MemorySample[] judged = [.. samples.Where(s => s.Elapsed >= warmUp)];
        if (judged.Length < MinSamples)
        {
            return new MemoryVerdict(0, 0, 0, [Invariant($"only {judged.Length} samples after the {warmUp.TotalSeconds:F0} s warm-up; at least {MinSamples} are needed (a longer run or a shorter interval)")]);
        }

        int third = judged.Length / 3;
        ReadOnlySpan<MemorySample> early = judged.AsSpan(0, third), late = judged.AsSpan(judged.Length - third);
        long heapGrowth = Median(late, s => s.LiveHeapBytes) - Median(early, s => s.LiveHeapBytes);
        long residentGrowth = Median(late, s => s.ResidentBytes) - Median(early, s => s.ResidentBytes);
        double slope = Slope(judged);
        var problems = new List<string>();
        if (heapGrowth > MaxHeapGrowthBytes)
        {
            problems.Add(Invariant($"the live managed heap grew by {heapGrowth / 1048576.0:F1} MiB (bound {MaxHeapGrowthBytes / 1048576} MiB; {slope / 1024:F0} KiB/min)"));
        }

        if (judged[^1].Elapsed - judged[0].Elapsed >= SlopeWindow && slope > MaxHeapSlopeBytesPerMinute)
        {
            problems.Add(Invariant($"the live managed heap climbs {slope / 1024:F0} KiB/min (bound {MaxHeapSlopeBytesPerMinute / 1024} KiB/min over {SlopeWindow.TotalMinutes:F0} min or more)"));
        }

        if (residentGrowth > MaxResidentGrowthBytes)
        {
            problems.Add(Invariant($"the resident set grew by {residentGrowth / 1048576.0:F1} MiB (bound {MaxResidentGrowthBytes / 1048576} MiB)"));
        }

        if (judged[^1].Threads > judged[0].Threads + MaxThreadGrowth)
        {
            problems.Add(Invariant($"threads went from {judged[0].Threads} to {judged[^1].Threads}"));
        }

        if (judged[0].Descriptors >= 0 && judged[^1].Descriptors > judged[0].Descriptors + MaxDescriptorGrowth)
        {
            problems.Add(Invariant($"open descriptors went from {judged[0].Descriptors} to {judged[^1].Descriptors}"));
        }

        return new MemoryVerdict(heapGrowth, residentGrowth, slope, problems);
    }

    private static long Median(ReadOnlySpan<MemorySample> samples, Func<MemorySample, long> value)
    {
        long[] values = new long[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            values[i] = value(samples[i]);
        }

        Array.Sort(values);
        return values[values.Length / 2];
    }

    /// <summary>Least-squares slope of the live heap, bytes per minute.</summary>
    private static double Slope(ReadOnlySpan<MemorySample> samples)
    {
        double meanX = 0, meanY = 0;
        foreach (MemorySample s in samples)
        {
            meanX += s.Elapsed.TotalMinutes;
            meanY += s.LiveHeapBytes;
        }

        meanX /= samples.Length;
        meanY /= samples.Length;
        double covariance = 0, variance = 0;
        foreach (MemorySample s in samples)
        {
            double dx = s.Elapsed.TotalMinutes - meanX;
            covariance += dx * (s.LiveHeapBytes - meanY);
            variance += dx * dx;
        }

        return variance == 0 ? 0 : covariance / variance;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
