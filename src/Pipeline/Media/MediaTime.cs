namespace Miraflow.Pipeline.Media;

/// <summary>
/// A point on the media clock, in ticks of the 27 MHz MPEG-2 system clock.
/// </summary>
/// <remarks>
/// One clock serves every timestamp Miraflow writes (ISO/IEC 13818-1 §2.4.2.2):
/// <code>
///   27 MHz ticks ──÷300──► 90 kHz  (PTS, DTS, RTP timestamp, PCR base)
///                 ──%300──► PCR extension
/// </code>
/// Values are counted from the <see cref="MediaClock"/>'s epoch and never wrap here; the
/// 33-bit (PTS, PCR base) and 32-bit (RTP) wraps happen only where the fields are written.
/// </remarks>
public readonly record struct MediaTime(long Ticks) : IComparable<MediaTime>
{
    /// <summary>The MPEG-2 system clock frequency: 27 MHz.</summary>
    public const long TicksPerSecond = 27_000_000;

    /// <summary>27 MHz ticks per 90 kHz tick.</summary>
    public const long TicksPer90kHz = 300;

    /// <summary>The clock's epoch.</summary>
    public static MediaTime Zero => default;

    /// <summary>This time on the 90 kHz clock (PTS/DTS/RTP units), not yet wrapped.</summary>
    public long Ticks90kHz => Ticks / TicksPer90kHz;

    /// <summary>The PCR base: the 90 kHz count, wrapped to 33 bits.</summary>
    public ulong PcrBase => (ulong)Ticks90kHz & 0x1_FFFF_FFFF;

    /// <summary>The PCR extension: the 27 MHz remainder, 0–299.</summary>
    public int PcrExtension => (int)(Ticks % TicksPer90kHz);

    /// <summary>Whole microseconds since the epoch.</summary>
    public long Microseconds => Ticks / 27;

    /// <summary>The time as a <see cref="TimeSpan"/> since the epoch (100 ns resolution).</summary>
    public TimeSpan ToTimeSpan() => TimeSpan.FromTicks(Ticks * 10 / 27);

    /// <summary>A time <paramref name="microseconds"/> after the epoch.</summary>
    public static MediaTime FromMicroseconds(long microseconds) => new(microseconds * 27);

    /// <summary>A time <paramref name="ticks"/> 90 kHz ticks after the epoch.</summary>
    public static MediaTime From90kHz(long ticks) => new(ticks * TicksPer90kHz);

    /// <summary>A time <paramref name="span"/> after the epoch.</summary>
    public static MediaTime FromTimeSpan(TimeSpan span) => new(span.Ticks * 27 / 10);

    /// <summary>The time of sample <paramref name="index"/> at <paramref name="rate"/> per second.</summary>
    /// <remarks>Exact for rates that divide 27 MHz (48 kHz, 44.1 kHz rounds down by &lt; 1 tick).</remarks>
    public static MediaTime FromSampleIndex(long index, int rate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        return new(Math.DivRem(index, rate, out long rest) * TicksPerSecond + rest * TicksPerSecond / rate);
    }

    /// <summary>The time between two points.</summary>
    public static TimeSpan operator -(MediaTime left, MediaTime right) => new MediaTime(left.Ticks - right.Ticks).ToTimeSpan();

    /// <summary>A point moved by a duration.</summary>
    public static MediaTime operator +(MediaTime left, TimeSpan right) => new(left.Ticks + (right.Ticks * 27 / 10));

    /// <inheritdoc/>
    public int CompareTo(MediaTime other) => Ticks.CompareTo(other.Ticks);

    /// <summary>Compares two times.</summary>
    public static bool operator <(MediaTime left, MediaTime right) => left.Ticks < right.Ticks;

    /// <summary>Compares two times.</summary>
    public static bool operator >(MediaTime left, MediaTime right) => left.Ticks > right.Ticks;

    /// <summary>Compares two times.</summary>
    public static bool operator <=(MediaTime left, MediaTime right) => left.Ticks <= right.Ticks;

    /// <summary>Compares two times.</summary>
    public static bool operator >=(MediaTime left, MediaTime right) => left.Ticks >= right.Ticks;

    /// <inheritdoc/>
    public override string ToString() => ToTimeSpan().ToString("c", System.Globalization.CultureInfo.InvariantCulture);
}
