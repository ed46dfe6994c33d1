using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Tests.TestSupport;
using Miraflow.Pipeline.Transport;

namespace Miraflow.Pipeline.Tests.Transport;

[Trait("Category", "integration")]
public sealed class UdpMediaSenderPacingTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    private static UdpSenderOptions Paced(int threshold = 32, int burst = 25, int windowMs = 8) => new()
    {
        Pacing = new UdpPacingOptions
        {
            Enabled = true,
            ThresholdDatagrams = threshold,
            BurstDatagrams = burst,
            Window = TimeSpan.FromMilliseconds(windowMs),
        },
    };

    [Fact]
    public async Task A_large_batch_leaves_in_bursts_spread_over_the_window()
    {
        using var receiver = new LoopbackReceiver();
        var time = new ManualTimeProvider();
        using var sender = new UdpMediaSender(receiver.EndPoint, Paced(), null, time);
        using DatagramBatch batch = TestBatches.FullThen(99, 300);

        // 100 datagrams, 25 a burst: 4 bursts, 8 ms / 4 = 2 ms apart.
        ValueTask sending = sender.SendAsync(batch);
        Assert.False(sending.IsCompleted);

        var received = new List<byte[]>();
        for (int burst = 0; burst < 4; burst++)
        {
            if (burst > 0)
            {
                WaitForTimer(time);
                time.Advance(TimeSpan.FromMilliseconds(2) - TimeSpan.FromTicks(1));
                Assert.False(receiver.Arrives(Quiet), $"burst {burst} left before its time");
                time.Advance(TimeSpan.FromTicks(1));
            }

            received.AddRange(receiver.Receive(25));
            if (burst < 3)
            {
                Assert.False(receiver.Arrives(Quiet), $"burst {burst} was larger than 25 datagrams");
            }
        }

        await sending.AsTask().WaitAsync(LoopbackReceiver.Timeout);
        TestBatches.AssertSame(batch, received);
        UdpSenderStatistics stats = sender.Statistics;
        Assert.Equal(1, stats.Batches);
        Assert.Equal(100, stats.DatagramsSent);
    }

    [Fact]
    public void A_batch_at_the_threshold_is_sent_at_once()
    {
        using var receiver = new LoopbackReceiver();
        var time = new ManualTimeProvider();
        using var sender = new UdpMediaSender(receiver.EndPoint, Paced(threshold: 32), null, time);
        using DatagramBatch batch = TestBatches.FullThen(31, 10);

        ValueTask sending = sender.SendAsync(batch);

        Assert.True(sending.IsCompletedSuccessfully);
        TestBatches.AssertSame(batch, receiver.Receive(32));
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public void Send_ignores_pacing()
    {
        using var receiver = new LoopbackReceiver();
        var time = new ManualTimeProvider();
        using var sender = new UdpMediaSender(receiver.EndPoint, Paced(), null, time);
        using DatagramBatch batch = TestBatches.FullThen(100);

        sender.Send(batch);

        TestBatches.AssertSame(batch, receiver.Receive(100));
    }

    [Fact]
    public async Task Cancelling_between_bursts_stops_the_batch()
    {
        using var receiver = new LoopbackReceiver();
        var time = new ManualTimeProvider();
        using var sender = new UdpMediaSender(receiver.EndPoint, Paced(), null, time);
        using DatagramBatch batch = TestBatches.FullThen(100);
        using var cts = new CancellationTokenSource();

        ValueTask sending = sender.SendAsync(batch, cts.Token);
        receiver.Receive(25);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.AsTask().WaitAsync(LoopbackReceiver.Timeout));
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.False(receiver.Arrives(Quiet));
        Assert.Equal(25, sender.Statistics.DatagramsSent);
    }

    [Fact]
    public void A_cancelled_token_sends_nothing()
    {
        using var receiver = new LoopbackReceiver();
        using var sender = new UdpMediaSender(receiver.EndPoint);
        using DatagramBatch batch = TestBatches.FullThen(3);

        ValueTask sending = sender.SendAsync(batch, new CancellationToken(canceled: true));

        Assert.True(sending.IsCanceled);
        Assert.False(receiver.Arrives(Quiet));
    }

    [Fact]
    public async Task Pacing_runs_on_the_real_clock_too()
    {
        using var receiver = new LoopbackReceiver();
        using var sender = new UdpMediaSender(receiver.EndPoint, Paced(threshold: 8, burst: 8, windowMs: 4));
        using DatagramBatch batch = TestBatches.FullThen(40);

        Task sending = sender.SendAsync(batch).AsTask();

        TestBatches.AssertSame(batch, receiver.Receive(40));
        await sending.WaitAsync(LoopbackReceiver.Timeout);
    }

    [Fact]
    public void The_sender_copies_the_options_so_later_changes_do_not_pace()
    {
        using var receiver = new LoopbackReceiver();
        var options = new UdpSenderOptions();
        using var sender = new UdpMediaSender(receiver.EndPoint, options);
        options.Pacing.Enabled = true;
        options.Pacing.ThresholdDatagrams = 1;
        using var batch = TestBatches.FullThen(10);

        Assert.True(ValueTasks.CompletedSynchronously(sender.SendAsync(batch)));
        Assert.Equal(10, receiver.Receive(10).Count);
    }

    [Theory]
    [InlineData(100, 25, 8, 4, 25, 2.0)] // the plain case
    [InlineData(100, 16, 8, 7, 15, 8.0 / 7)] // 7 bursts of up to 15
    [InlineData(150, 4, 8, 8, 19, 1.0)] // 38 bursts wanted, 8 allowed (1 ms apart)
    [InlineData(33, 32, 8, 2, 17, 4.0)]
    [InlineData(40, 100, 8, 1, 40, 8.0)] // one burst: no wait
    [InlineData(10, 3, 1, 1, 10, 1.0)] // a 1 ms window has room for one burst
    public void Bursts_are_planned_evenly(int count, int burstDatagrams, int windowMs, int bursts, int perBurst, double intervalMs)
    {
        (int Bursts, int PerBurst, TimeSpan Interval) plan = UdpMediaSender.PlanBursts(count, burstDatagrams, TimeSpan.FromMilliseconds(windowMs));

        Assert.Equal(bursts, plan.Bursts);
        Assert.Equal(perBurst, plan.PerBurst);
        Assert.Equal(intervalMs, plan.Interval.TotalMilliseconds, 3);
        Assert.True((plan.Bursts - 1) * plan.PerBurst < count && plan.Bursts * plan.PerBurst >= count);
    }

    /// <summary>The sender arms its delay after a burst; advancing before that would skip it.</summary>
    private static void WaitForTimer(ManualTimeProvider time)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (time.ActiveTimerCount == 0)
        {
            Assert.True(clock.Elapsed < LoopbackReceiver.Timeout, "The sender never armed its pacing delay.");
            Thread.Sleep(1);
        }
    }
}
