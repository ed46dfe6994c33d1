namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>
/// A <see cref="TimeProvider"/> (a copy of the Rtsp tests' <c>ManualTimeProvider</c>, where its
/// own tests live) whose clock moves only when <see cref="Advance"/> is called.
/// Timers made with <see cref="CreateTimer"/> fire from <see cref="Advance"/>, on the calling
/// thread, in due-time order (ties in the order they were scheduled), each with the clock set to
/// its due time; periodic timers fire once per elapsed period. A timer that is due immediately
/// (due time zero) fires on the next <see cref="Advance"/>, <c>Advance(TimeSpan.Zero)</c>
/// included, never inside <see cref="CreateTimer"/> or <see cref="ITimer.Change"/>.
/// </summary>
/// <remarks>
/// Thread-safe: the clock and the timer list are guarded by one lock, callbacks run outside it
/// (so a callback may create, change or dispose timers and read the clock), and concurrent
/// <see cref="Advance"/> calls are serialised. A callback may call <see cref="Advance"/> itself.
/// An exception thrown by a callback propagates out of <see cref="Advance"/>.
/// </remarks>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly object _advanceGate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;
    private long _nextSequence;

    /// <summary>Starts at 2025-01-01T00:00:00Z.</summary>
    public ManualTimeProvider()
        : this(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Starts at <paramref name="start"/>.</summary>
    public ManualTimeProvider(DateTimeOffset start) => _now = start;

    /// <summary>Timers that are scheduled to fire.</summary>
    public int ActiveTimerCount
    {
        get
        {
            lock (_gate)
            {
                int count = 0;
                foreach (ManualTimer timer in _timers)
                {
                    if (timer.IsArmed)
                    {
                        count++;
                    }
                }

                return count;
            }
        }
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Ticks of the manual clock: one tick per 100 ns.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _now.UtcTicks;
        }
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_advanceGate)
        {
            DateTimeOffset target;
            lock (_gate)
            {
                target = _now + delta;
            }

            while (true)
            {
                ManualTimer? due = null;
                lock (_gate)
                {
                    foreach (ManualTimer timer in _timers)
                    {
                        if (timer.IsArmed && timer.Due <= target
                            && (due is null || timer.Due < due.Due || (timer.Due == due.Due && timer.Sequence < due.Sequence)))
                        {
                            due = timer;
                        }
                    }

                    if (due is null)
                    {
                        if (target > _now)
                        {
                            _now = target;
                        }

                        return;
                    }

                    if (due.Due > _now)
                    {
                        _now = due.Due;
                    }

                    if (due.Period > TimeSpan.Zero)
                    {
                        due.Due += due.Period;
                        due.Sequence = ++_nextSequence;
                    }
                    else
                    {
                        due.IsArmed = false;
                    }
                }

                due.Fire();
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private bool Change(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime));
        }

        if (period < TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period));
        }

        lock (_gate)
        {
            if (timer.IsDisposed)
            {
                return false;
            }

            timer.IsArmed = dueTime != Timeout.InfiniteTimeSpan;
            timer.Due = timer.IsArmed ? _now + dueTime : DateTimeOffset.MaxValue;
            timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
            timer.Sequence = ++_nextSequence;
            return true;
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate)
        {
            timer.IsDisposed = true;
            timer.IsArmed = false;
            _timers.Remove(timer);
        }
    }

    /// <summary>A timer of a <see cref="ManualTimeProvider"/>; its mutable state is guarded by the provider's lock.</summary>
    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; set; }

        public TimeSpan Period { get; set; }

        public long Sequence { get; set; }

        public bool IsArmed { get; set; }

        public bool IsDisposed { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => owner.Change(this, dueTime, period);

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
