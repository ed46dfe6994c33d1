using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;

namespace Miraflow.Pipeline.Tests.Sources;

/// <summary>Real-time pacing, cancellation and disposal, shown on the test picture source.</summary>
[Trait("Category", "unit")]
public sealed class FramePacingTests
{
    private static readonly TimeSpan s_period30 = TimeSpan.FromTicks(333_334); // just over 1/30 s

    [Fact]
    public async Task Paced_frames_wait_for_their_slot_and_are_spaced_one_period_apart()
    {
        var time = new ManualTimeProvider();
        time.Advance(TimeSpan.FromSeconds(5));
        var clock = new MediaClock(time);
        time.Advance(TimeSpan.FromMilliseconds(250));
        await using var source = new TestPictureSource(clock, 64, 48, 30);

        using MediaFrame first = (await source.ReadFrameAsync(CancellationToken.None))!;
        Assert.Equal(MediaTime.FromMicroseconds(250_000), first.CaptureTime);

        for (int k = 1; k <= 30; k++)
        {
            ValueTask<MediaFrame?> read = source.ReadFrameAsync(CancellationToken.None);
            Assert.False(read.IsCompleted, $"frame {k} came before its time");
            time.Advance(s_period30 / 2);
            Assert.False(read.IsCompleted, $"frame {k} came half a period early");
            time.Advance(s_period30 - (s_period30 / 2));

            using MediaFrame frame = (await read)!;
            Assert.Equal(first.CaptureTime.Ticks + (k * 900_000L), frame.CaptureTime.Ticks);
            Assert.Equal((ulong)k, frame.FrameNumber);
        }

        Assert.Equal(0, source.LateFrames);
    }

    [Fact]
    public async Task Non_integer_rates_keep_their_average_without_drift()
    {
        var time = new ManualTimeProvider();
        await using var source = new TestPictureSource(new MediaClock(time), 16, 16, 60_000 / 1001.0);
        (await source.ReadFrameAsync(CancellationToken.None))!.Dispose();
        MediaTime last = default;
        for (int k = 1; k <= 600; k++)
        {
            ValueTask<MediaFrame?> read = source.ReadFrameAsync(CancellationToken.None);
            while (time.ActiveTimerCount > 0)
            {
                time.Advance(TimeSpan.FromMilliseconds(1)); // fires the wait's timer; the read then completes
            }

            using MediaFrame frame = (await read)!;
            Assert.True(frame.CaptureTime > last);
            last = frame.CaptureTime;
        }

        // 600 frames at 59.94 fps: 10.01 s, to the 27 MHz tick.
        Assert.Equal(270_270_000L, last.Ticks);
    }

    [Fact]
    public async Task A_reader_that_falls_behind_gets_the_next_frame_at_once_stamped_now()
    {
        var time = new ManualTimeProvider();
        await using var source = new TestPictureSource(new MediaClock(time), 64, 48, 30);
        (await source.ReadFrameAsync(CancellationToken.None))!.Dispose();

        time.Advance(TimeSpan.FromMilliseconds(500));
        ValueTask<MediaFrame?> late = source.ReadFrameAsync(CancellationToken.None);
        Assert.True(late.IsCompleted);
        using MediaFrame frame = (await late)!;
        Assert.Equal(MediaTime.FromMicroseconds(500_000), frame.CaptureTime);
        Assert.Equal(1ul, frame.FrameNumber);
        Assert.Equal(1, source.LateFrames);

        ValueTask<MediaFrame?> next = source.ReadFrameAsync(CancellationToken.None);
        Assert.False(next.IsCompleted);
        time.Advance(s_period30);
        using MediaFrame after = (await next)!;
        Assert.Equal(frame.CaptureTime.Ticks + 900_000, after.CaptureTime.Ticks);
    }

    [Fact]
    public async Task A_cancelled_read_throws_and_leaks_no_frame()
    {
        var time = new ManualTimeProvider();
        var pool = new VideoFramePool(64, 48, PixelFormat.I420, capacity: 4);
        await using var source = new TestPictureSource(new MediaClock(time), 64, 48, 30, pool: pool);
        (await source.ReadFrameAsync(CancellationToken.None))!.Dispose();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await source.ReadFrameAsync(new CancellationToken(canceled: true)));

        using var cts = new CancellationTokenSource();
        ValueTask<MediaFrame?> waiting = source.ReadFrameAsync(cts.Token);
        Assert.False(waiting.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);

        time.Advance(s_period30);
        using MediaFrame frame = (await source.ReadFrameAsync(CancellationToken.None))!;
        Assert.Equal(1ul, frame.FrameNumber); // the cancelled reads took no frame number
        Assert.Equal(1, pool.Created); // and no frame: the first one came back and was reused
    }

    [Fact]
    public async Task Reading_after_dispose_throws()
    {
        var source = new TestPictureSource(new MediaClock(), 64, 48, 30, pacing: FramePacing.Unpaced);
        (await source.ReadFrameAsync(CancellationToken.None))!.Dispose();

        await source.DisposeAsync();
        await source.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await source.ReadFrameAsync(CancellationToken.None));
    }
}
