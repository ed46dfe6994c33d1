namespace Miraflow.Pipeline.Tests.Sources;

/// <summary>
/// A <see cref="TimeProvider"/> whose clock moves only in <see cref="Advance"/>, which fires the
/// timers that fall due, in due order, on the calling thread, with the clock set to each one's
/// due time. Timestamps are 100 ns ticks. Enough for the sources' <c>Task.Delay</c> pacing.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<Timer> _timers = [];
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers waiting to fire.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate)
            {
                return _timers.Count(t => t.Due >= 0);
            }
        }
    }

    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(GetTimestamp());

    public void Advance(TimeSpan delta)
    {
        long target;
        lock (_gate)
        {
            target = _now + delta.Ticks;
        }

        while (true)
        {
            Timer? due = null;
            lock (_gate)
            {
                foreach (Timer timer in _timers)
                {
                    if (timer.Due >= 0 && timer.Due <= target && (due is null || timer.Due < due.Due))
                    {
                        due = timer;
                    }
                }

                if (due is null)
                {
                    _now = Math.Max(_now, target);
                    return;
                }

                _now = Math.Max(_now, due.Due);
                due.Due = due.Period > 0 ? due.Due + due.Period : -1;
            }

            due.Callback(due.State);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class Timer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long Due { get; set; } = -1;

        public long Period { get; private set; }

        public TimerCallback Callback => callback;

        public object? State => state;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? -1 : owner._now + dueTime.Ticks;
                Period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
                return true;
            }
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                Due = -1;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
