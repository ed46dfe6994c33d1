using Miraflow.Pipeline.Flow;

namespace Miraflow.Pipeline.Tests.Flow;

[Trait("Category", "unit")]
public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(0L)]
    [InlineData(1023L)]
    [InlineData(1024L)]
    [InlineData(1025L)]
    [InlineData(16_667L)]
    [InlineData(999_999L)]
    [InlineData((1L << 27) - 1)]
    public void Buckets_keep_values_within_0_2_percent(long value)
    {
        long mid = LatencyHistogram.MidpointOf(LatencyHistogram.IndexOf(value));
        Assert.InRange(Math.Abs(mid - value), 0, Math.Max(1, value / 500));
    }

    [Fact]
    public void Indexes_are_monotonic_and_cover_the_whole_table()
    {
        int last = -1;
        for (long v = 0; v < (1L << 27); v = v < 4096 ? v + 1 : v + (v / 1000))
        {
            int index = LatencyHistogram.IndexOf(v);
            Assert.True(index >= last);
            last = index;
        }

        Assert.Equal(1024 + (17 * 512) - 1, LatencyHistogram.IndexOf((1L << 27) - 1));
    }

    [Fact]
    public void Percentiles_of_1_to_1000_ms()
    {
        var histogram = new LatencyHistogram();
        Assert.Equal(default, histogram.Snapshot());
        for (int ms = 1000; ms >= 1; ms--)
        {
            histogram.Record(ms * 1000L);
        }

        histogram.Record(-5); // clock step: counts as zero
        LatencyStatistics s = histogram.Snapshot();
        Assert.Equal(1001, s.Count);
        Assert.InRange(s.P50.TotalMilliseconds, 499, 502);
        Assert.InRange(s.P99.TotalMilliseconds, 989, 993);
        Assert.Equal(TimeSpan.FromSeconds(1), s.Max);
    }
}
