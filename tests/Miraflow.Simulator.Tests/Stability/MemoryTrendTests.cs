using Miraflow.Simulator.Stability;

namespace Miraflow.Simulator.Tests.Stability;

/// <summary>The flat-memory verdict of <c>miraflow stability</c>: it passes a flat series and fails every kind of growth.</summary>
[Trait("Category", "unit")]
public sealed class MemoryTrendTests
{
    private static readonly TimeSpan TwoHours = TimeSpan.FromMinutes(120);
    private const long MiB = 1024 * 1024;

    [Fact]
    public void A_flat_series_with_noise_and_a_growing_warm_up_is_flat()
    {
        // The 10-minute warm-up may grow; afterwards ±3 MiB of noise around 40 MiB.
        Assert.Equal(TimeSpan.FromMinutes(10), MemoryTrend.WarmUp(TwoHours));
        MemoryVerdict verdict = MemoryTrend.Judge(Series(minute => minute < 10 ? 10 * MiB + (minute * 3 * MiB) : 40 * MiB + ((minute % 7) - 3) * MiB), TwoHours);
        Assert.True(verdict.IsFlat, string.Join("; ", verdict.Problems));
        Assert.InRange(verdict.HeapGrowthBytes, -6 * MiB, 6 * MiB);
    }

    [Fact]
    public void A_slow_leak_fails_on_its_slope_and_a_fast_one_on_its_growth_too()
    {
        // 100 KiB a minute: 7.3 MiB between the medians of the first and last thirds of the judged
        // 111 minutes, under the growth bound, but a steady slope above 64 KiB/min.
        MemoryVerdict slow = MemoryTrend.Judge(Series(minute => (40 * MiB) + (minute * 100 * 1024)), TwoHours);
        Assert.False(slow.IsFlat);
        Assert.StartsWith("the live managed heap climbs 100 KiB/min", Assert.Single(slow.Problems), StringComparison.Ordinal);
        Assert.InRange(slow.HeapSlopeBytesPerMinute, 99 * 1024, 101 * 1024);

        MemoryVerdict fast = MemoryTrend.Judge(Series(minute => (40 * MiB) + (minute * 300 * 1024)), TwoHours);
        Assert.Equal(2, fast.Problems.Count);
        Assert.StartsWith("the live managed heap grew by", fast.Problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Growing_resident_memory_threads_and_descriptors_each_fail()
    {
        MemoryVerdict verdict = MemoryTrend.Judge(
            Series(_ => 40 * MiB, resident: minute => (200 * MiB) + (minute * MiB), threads: minute => 20 + (minute / 10), descriptors: minute => 100 + (minute / 5)),
            TwoHours);
        Assert.Equal(3, verdict.Problems.Count);
        Assert.Contains(verdict.Problems, p => p.StartsWith("the resident set grew", StringComparison.Ordinal));
        Assert.Contains(verdict.Problems, p => p.StartsWith("threads went from", StringComparison.Ordinal));
        Assert.Contains(verdict.Problems, p => p.StartsWith("open descriptors went from", StringComparison.Ordinal));
    }

    [Fact]
    public void Too_few_samples_after_the_warm_up_is_no_verdict_of_flatness()
    {
        MemorySample[] three = [.. Series(_ => 40 * MiB).Where(s => s.Elapsed <= TimeSpan.FromMinutes(13))];
        MemoryVerdict verdict = MemoryTrend.Judge(three, TwoHours);
        Assert.False(verdict.IsFlat);
        Assert.Contains("warm-up", Assert.Single(verdict.Problems), StringComparison.Ordinal);
    }

    /// <summary>One sample a minute for two hours.</summary>
    private static List<MemorySample> Series(Func<int, long> heap, Func<int, long>? resident = null, Func<int, int>? threads = null, Func<int, int>? descriptors = null) =>
        [.. Enumerable.Range(1, 120).Select(minute => new MemorySample(
            TimeSpan.FromMinutes(minute),
            heap(minute),
            resident?.Invoke(minute) ?? 200 * MiB,
            threads?.Invoke(minute) ?? 20,
            descriptors?.Invoke(minute) ?? 100,
            minute * 1800L,
            minute * 1800L))];
}
