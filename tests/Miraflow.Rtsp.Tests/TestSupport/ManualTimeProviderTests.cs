namespace Miraflow.Rtsp.Tests.TestSupport;

[Trait("Category", "unit")]
public sealed class ManualTimeProviderTests
{
    private static readonly DateTimeOffset s_start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Advance_MovesClockAndTimestampByExactlyDelta()
    {
        var time = new ManualTimeProvider();
        long before = time.GetTimestamp();

        time.Advance(TimeSpan.FromMilliseconds(1500));

        Assert.Equal(s_start.AddMilliseconds(1500), time.GetUtcNow());
        Assert.Equal(TimeSpan.FromMilliseconds(1500), time.GetElapsedTime(before));
    }

    [Fact]
    public void Advance_NegativeDelta_Throws()
    {
        var time = new ManualTimeProvider();
        Assert.Throws<ArgumentOutOfRangeException>(() => time.Advance(TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public void OneShotTimer_FiresAtItsDueTime_NotBefore_AndOnlyOnce()
    {
        var time = new ManualTimeProvider();
        var fired = new List<DateTimeOffset>();
        using ITimer timer = time.CreateTimer(_ => fired.Add(time.GetUtcNow()), null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.Empty(fired);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([s_start.AddSeconds(5)], fired);
        Assert.Equal(s_start.AddSeconds(15) - TimeSpan.FromTicks(1), time.GetUtcNow());
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public void PeriodicTimer_FiresOncePerElapsedPeriod_WithTheClockAtEachDueTime()
    {
        var time = new ManualTimeProvider();
        var fired = new List<DateTimeOffset>();
        using ITimer timer = time.CreateTimer(_ => fired.Add(time.GetUtcNow()), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        time.Advance(TimeSpan.FromSeconds(6));

        Assert.Equal([s_start.AddSeconds(1), s_start.AddSeconds(3), s_start.AddSeconds(5)], fired);
        Assert.Equal(1, time.ActiveTimerCount);
    }

    [Fact]
    public void TimersFireInDueTimeOrder_WhateverTheCreationOrder()
    {
        var time = new ManualTimeProvider();
        var order = new List<string>();
        using ITimer late = time.CreateTimer(_ => order.Add("late"), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using ITimer early = time.CreateTimer(_ => order.Add("early"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using ITimer tieFirst = time.CreateTimer(_ => order.Add("tie-1"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        using ITimer tieSecond = time.CreateTimer(_ => order.Add("tie-2"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(["early", "tie-1", "tie-2", "late"], order);
    }

    [Fact]
    public void ZeroDueTime_FiresOnNextAdvance_NotInsideCreateTimer()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        using ITimer timer = time.CreateTimer(_ => fired++, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Equal(0, fired);

        time.Advance(TimeSpan.Zero);

        Assert.Equal(1, fired);
        Assert.Equal(s_start, time.GetUtcNow());
    }

    [Fact]
    public void ChangeToInfinite_AndDispose_StopTheTimer()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        ITimer stopped = time.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        ITimer disposed = time.CreateTimer(_ => fired += 100, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        Assert.True(stopped.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        disposed.Dispose();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(0, fired);
        Assert.False(disposed.Change(TimeSpan.Zero, TimeSpan.Zero));
        stopped.Dispose();
    }

    [Fact]
    public void CallbackMayScheduleATimerThatFallsDueInTheSameAdvance()
    {
        var time = new ManualTimeProvider();
        var fired = new List<DateTimeOffset>();
        ITimer? inner = null;
        using ITimer outer = time.CreateTimer(
            _ => inner = time.CreateTimer(_ => fired.Add(time.GetUtcNow()), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan),
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal([s_start.AddSeconds(2)], fired);
        inner?.Dispose();
    }

    [Fact]
    public async Task TaskDelay_CompletesOnlyWhenTheClockPassesTheDelay()
    {
        var time = new ManualTimeProvider();
        Task delay = Task.Delay(TimeSpan.FromSeconds(30), time);

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(delay.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ConcurrentAdvances_AddUp_AndPeriodicCountIsExact()
    {
        var time = new ManualTimeProvider();
        int fired = 0;
        using ITimer timer = time.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromTicks(10), TimeSpan.FromTicks(10));

        Task[] workers = new Task[4];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(() =>
            {
                for (int i = 0; i < 1000; i++)
                {
                    time.Advance(TimeSpan.FromTicks(1));
                    _ = time.GetUtcNow();
                }
            });
        }

        await Task.WhenAll(workers);

        Assert.Equal(s_start.AddTicks(4000), time.GetUtcNow());
        Assert.Equal(400, Volatile.Read(ref fired));
    }
}
