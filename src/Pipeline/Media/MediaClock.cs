namespace Miraflow.Pipeline.Media;

/// <summary>
/// The one clock of a session: capture timestamps, PTS, PCR and RTP timestamps are all read
/// from it, so they cannot drift apart (protocol doc §3.2, §6).
/// </summary>
/// <remarks>
/// It counts 27 MHz ticks from the moment it was created, on the monotonic timestamp of a
/// <see cref="TimeProvider"/> (<see cref="System.Diagnostics.Stopwatch"/> for
/// <see cref="TimeProvider.System"/>), never the wall clock.
/// </remarks>
public sealed class MediaClock
{
    private readonly TimeProvider _time;
    private readonly long _epoch;
    private readonly long _frequency;

    /// <summary>Starts a clock at zero now.</summary>
    public MediaClock(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        _epoch = _time.GetTimestamp();
        _frequency = _time.TimestampFrequency;
    }

    /// <summary>The time provider the clock reads.</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>The current time.</summary>
    public MediaTime Now => FromTimestamp(_time.GetTimestamp());

    /// <summary>
    /// Converts a timestamp of this clock's <see cref="TimeProvider"/> (for example a capture
    /// time taken with <see cref="TimeProvider.GetTimestamp"/>) to media time.
    /// </summary>
    public MediaTime FromTimestamp(long timestamp)
    {
        // Split the division so the multiplication cannot overflow on long uptimes.
        long elapsed = timestamp - _epoch;
        long seconds = Math.DivRem(elapsed, _frequency, out long rest);
        return new MediaTime((seconds * MediaTime.TicksPerSecond) + (rest * MediaTime.TicksPerSecond / _frequency));
    }
}
