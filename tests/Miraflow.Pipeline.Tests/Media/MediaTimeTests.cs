using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Tests.Media;

[Trait("Category", "unit")]
public sealed class MediaTimeTests
{
    [Fact]
    public void Splits_into_pcr_base_and_extension()
    {
        var time = new MediaTime((12_345L * 300) + 299);

        Assert.Equal(12_345UL, time.PcrBase);
        Assert.Equal(299, time.PcrExtension);
        Assert.Equal(12_345L, time.Ticks90kHz);
    }

    [Fact]
    public void Pcr_base_wraps_at_33_bits()
    {
        var time = MediaTime.From90kHz((1L << 33) + 7);

        Assert.Equal(7UL, time.PcrBase);
        Assert.Equal((1L << 33) + 7, time.Ticks90kHz);
    }

    [Theory]
    [InlineData(48_000, 480, 10_000)]
    [InlineData(90_000, 3_003, 33_366)]
    [InlineData(44_100, 441, 10_000)]
    public void Sample_index_maps_to_microseconds(int rate, long index, long microseconds) =>
        Assert.Equal(microseconds, MediaTime.FromSampleIndex(index, rate).Microseconds);

    [Fact]
    public void Clock_counts_from_its_epoch_without_overflow_on_long_uptimes()
    {
        var time = new SteppedTimeProvider(start: long.MaxValue / 4);
        var clock = new MediaClock(time);

        time.Advance(TimeSpan.FromDays(30));

        Assert.Equal(TimeSpan.FromDays(30).Ticks * 27 / 10, clock.Now.Ticks);
    }

    private sealed class SteppedTimeProvider(long start) : TimeProvider
    {
        private long _now = start;

        public override long TimestampFrequency => 1_000_000_000;

        public override long GetTimestamp() => _now;

        public void Advance(TimeSpan by) => _now += by.Ticks * 100;
    }
}
