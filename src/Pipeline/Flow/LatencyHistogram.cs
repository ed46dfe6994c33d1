namespace Miraflow.Pipeline.Flow;

/// <summary>
/// A fixed-size log-linear histogram of microsecond values (HdrHistogram's layout with 10
/// significant bits): values below 1,024 µs have their own bucket, above that each power of two
/// is split into 512 buckets. Values are clamped at about 134 s. Recording allocates nothing and
/// is thread-safe; a snapshot taken while recording may be one value apart.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 1024;
    private const int HalfSubBuckets = SubBuckets / 2;
    private const int MaxShift = 17;
    private const long MaxValue = (1L << (MaxShift + 10)) - 1;

    private readonly long[] _buckets = new long[SubBuckets + (MaxShift * HalfSubBuckets)];
    private long _count;
    private long _max;

    /// <summary>Records one value in microseconds; negative values count as zero.</summary>
    public void Record(long microseconds)
    {
        long value = Math.Clamp(microseconds, 0, MaxValue);
        Interlocked.Increment(ref _buckets[IndexOf(value)]);
        Interlocked.Increment(ref _count);
        long max = Interlocked.Read(ref _max);
        while (value > max)
        {
            long seen = Interlocked.CompareExchange(ref _max, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The count, p50, p99 and maximum.</summary>
    public LatencyStatistics Snapshot()
    {
        long count = Interlocked.Read(ref _count);
        return new LatencyStatistics(count, Percentile(count, 0.50), Percentile(count, 0.99), TimeSpan.FromMicroseconds(Interlocked.Read(ref _max)));
    }

    /// <summary>The bucket of <paramref name="value"/> (0 ≤ value ≤ <see cref="MaxValue"/>).</summary>
    internal static int IndexOf(long value)
    {
        int shift = Math.Max(0, (64 - (int)long.LeadingZeroCount(value)) - 10);
        return shift == 0 ? (int)value : SubBuckets + ((shift - 1) * HalfSubBuckets) + (int)((value >> shift) - HalfSubBuckets);
    }

    /// <summary>The middle of bucket <paramref name="index"/>'s value range.</summary>
    internal static long MidpointOf(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        int shift = ((index - SubBuckets) / HalfSubBuckets) + 1;
        long low = (long)(((index - SubBuckets) % HalfSubBuckets) + HalfSubBuckets) << shift;
        return low + ((1L << shift) / 2);
    }

    private TimeSpan Percentile(long count, double fraction)
    {
        if (count == 0)
        {
            return TimeSpan.Zero;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(count * fraction));
        long seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= rank)
            {
                return TimeSpan.FromMicroseconds(MidpointOf(i));
            }
        }

        return TimeSpan.FromMicroseconds(Interlocked.Read(ref _max));
    }
}
