using System.Buffers.Binary;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Tests.Audio;

[Trait("Category", "unit")]
public sealed class ToneAudioSourceTests
{
    private static MediaClock ManualClock() => new(new ManualTimeProvider());

    [Theory]
    [InlineData(0, 0, 0)] // sin 0
    [InlineData(4, 0, 4096)] // 1 kHz, 1/12 period: sin 30° × 8191.75 = 4095.9
    [InlineData(12, 0, 8192)] // 1 kHz, quarter period (48-sample period)
    [InlineData(24, 0, 0)]
    [InlineData(36, 0, -8192)]
    [InlineData(8, 1, 8192)] // 1.5 kHz, quarter period (32-sample period)
    [InlineData(24, 1, -8192)]
    [InlineData((48_000L * 3600) + 12, 0, 8192)] // an hour in: no phase drift
    public async Task Default_tone_has_exact_samples_at_known_indices(long index, int channel, short expected)
    {
        await using var source = new ToneAudioSource(ManualClock(), pacing: FramePacing.Unpaced);

        Assert.Equal(expected, source.Sample(index, channel));
    }

    [Fact]
    public async Task Samples_follow_the_sine_and_frames_are_phase_continuous()
    {
        await using var source = new ToneAudioSource(ManualClock(), pacing: FramePacing.Unpaced);
        var samples = new List<(short Left, short Right)>();
        for (int k = 0; k < 5; k++)
        {
            using AudioFrame frame = (await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.Equal(480, frame.SampleFrames);
            Assert.Equal(1920, frame.Length);
            Assert.Equal(source.Sample(k * 480L, 0), BinaryPrimitives.ReadInt16LittleEndian(frame.Data));
            for (int i = 0; i < frame.Length; i += 4)
            {
                samples.Add((BinaryPrimitives.ReadInt16LittleEndian(frame.Data[i..]), BinaryPrimitives.ReadInt16LittleEndian(frame.Data[(i + 2)..])));
            }
        }

        // One sine across the frame boundaries (479 → 480 → 481 ...): every sample is the
        // formula's at its running index, within the rounding of a different evaluation order.
        for (int i = 0; i < samples.Count; i++)
        {
            Assert.InRange(samples[i].Left - Math.Round(0.25 * 32767 * Math.Sin(2 * Math.PI * 1000 * i / 48_000)), -1, 1);
            Assert.InRange(samples[i].Right - Math.Round(0.25 * 32767 * Math.Sin(2 * Math.PI * 1500 * i / 48_000)), -1, 1);
            Assert.Equal((source.Sample(i, 0), source.Sample(i, 1)), samples[i]);
        }
    }

    [Fact]
    public async Task Two_sources_give_identical_frames()
    {
        await using var a = new ToneAudioSource(ManualClock(), 44_100, 441, 997, 0.9, pacing: FramePacing.Unpaced);
        await using var b = new ToneAudioSource(ManualClock(), 44_100, 441, 997, 0.9, pacing: FramePacing.Unpaced);
        for (int k = 0; k < 150; k++)
        {
            using AudioFrame x = (await a.ReadFrameAsync(CancellationToken.None))!;
            using AudioFrame y = (await b.ReadFrameAsync(CancellationToken.None))!;
            Assert.True(x.Data.SequenceEqual(y.Data), $"frame {k}");
        }
    }

    [Fact]
    public async Task Unpaced_frames_are_numbered_and_stamped_k_times_10_ms()
    {
        await using var source = new ToneAudioSource(ManualClock(), pacing: FramePacing.Unpaced);

        Assert.Equal(new AudioSourceInfo(48_000, 2, 480), source.Info);
        Assert.Equal(TimeSpan.FromMilliseconds(10), source.Info.FrameDuration);
        for (int k = 0; k < 200; k++)
        {
            using AudioFrame frame = (await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.Equal((ulong)k, frame.FrameNumber);
            Assert.Equal(new MediaTime(k * 270_000L), frame.CaptureTime);
            Assert.Equal((48_000, 2), (frame.SampleRate, frame.Channels));
        }

        Assert.Equal(200, source.FramesRead);
    }

    [Fact]
    public async Task At_44_1_kHz_10_ms_is_441_sample_frames_on_exact_times()
    {
        await using var source = new ToneAudioSource(ManualClock(), 44_100, pacing: FramePacing.Unpaced);

        Assert.Equal(441, source.Info.SamplesPerFrame);
        for (int k = 0; k < 100; k++)
        {
            using AudioFrame frame = (await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.Equal(441, frame.SampleFrames);
            Assert.Equal(new MediaTime(k * 270_000L), frame.CaptureTime);
        }
    }

    [Fact]
    public async Task Timestamps_are_sample_accurate_when_a_frame_is_not_a_whole_number_of_ticks()
    {
        // 100 sample frames at 44.1 kHz = 61 224.49 ticks of 27 MHz: each time is computed from
        // the sample index, so it is floor(k × 100 × 27e6 / 44 100), never k × 61 224.
        await using var source = new ToneAudioSource(ManualClock(), 44_100, samplesPerFrame: 100, pacing: FramePacing.Unpaced);
        var times = new List<long>();
        for (int k = 0; k <= 441; k++)
        {
            using AudioFrame frame = (await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.Equal(100, frame.SampleFrames);
            times.Add(frame.CaptureTime.Ticks);
        }

        Assert.Equal([0L, 61_224, 122_448, 183_673], times.Take(4));
        Assert.Equal(27_000_000, times[441]); // 44 100 samples: exactly one second
        for (int k = 0; k < times.Count; k++)
        {
            Assert.Equal(k * 100L * 27_000_000 / 44_100, times[k]);
        }
    }

    [Fact]
    public async Task Real_time_read_waits_until_the_frames_end_and_stays_on_the_sample_schedule()
    {
        var time = new ManualTimeProvider();
        var clock = new MediaClock(time);
        time.Advance(TimeSpan.FromSeconds(5));
        await using var source = new ToneAudioSource(clock);
        MediaTime start = clock.Now;

        // Frame 0 covers 0–10 ms after the first read: it is ready when its last sample exists.
        Task<AudioFrame?> first = source.ReadFrameAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromTicks(99_999));
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        using (AudioFrame frame = (await first.WaitAsync(TimeSpan.FromSeconds(10)))!)
        {
            Assert.Equal(start, frame.CaptureTime);
            Assert.Equal(new MediaTime(135_000_000), frame.CaptureTime);
        }

        Task<AudioFrame?> second = source.ReadFrameAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(9.9));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(0.1));
        using (AudioFrame frame = (await second.WaitAsync(TimeSpan.FromSeconds(10)))!)
        {
            Assert.Equal(new MediaTime(start.Ticks + 270_000), frame.CaptureTime);
        }

        // A reader 50 ms late gets the five overdue frames at once, still 10 ms apart.
        time.Advance(TimeSpan.FromMilliseconds(50));
        for (int k = 2; k <= 6; k++)
        {
            using AudioFrame frame = Completed(source.ReadFrameAsync(CancellationToken.None))!;
            Assert.Equal(new MediaTime(start.Ticks + (k * 270_000L)), frame.CaptureTime);
        }

        Assert.False(source.ReadFrameAsync(CancellationToken.None).AsTask().IsCompleted);
    }

    [Fact]
    public async Task Audio_and_video_sources_on_one_clock_share_the_start_time()
    {
        var time = new ManualTimeProvider();
        var clock = new MediaClock(time);
        time.Advance(TimeSpan.FromMilliseconds(1234));
        await using var video = new TestPictureSource(clock, 64, 48, 30);
        await using var audio = new ToneAudioSource(clock);

        using MediaFrame picture = (await video.ReadFrameAsync(CancellationToken.None))!;
        Task<AudioFrame?> read = audio.ReadFrameAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(10));
        using AudioFrame sound = (await read.WaitAsync(TimeSpan.FromSeconds(10)))!;

        Assert.Equal(picture.CaptureTime, sound.CaptureTime);
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_a_disposed_source_refuses_reads()
    {
        var time = new ManualTimeProvider();
        var source = new ToneAudioSource(new MediaClock(time));
        using var cts = new CancellationTokenSource();
        Task<AudioFrame?> read = source.ReadFrameAsync(cts.Token).AsTask();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);

        await source.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => source.ReadFrameAsync(CancellationToken.None).AsTask());
    }

    [Theory]
    [InlineData(32_000, 1000, 1500, 0.25, 0)] // not a WFD LPCM rate
    [InlineData(48_000, 0, 1500, 0.25, 0)]
    [InlineData(48_000, 1000, 24_001, 0.25, 0)] // above Nyquist
    [InlineData(48_000, 1000, 1500, 1.5, 0)]
    [InlineData(48_000, 1000, 1500, double.NaN, 0)]
    [InlineData(48_000, 1000, 1500, 0.25, -1)]
    [InlineData(48_000, 1000, 1500, 0.25, 16_381)] // 65 524 bytes: beyond one LPCM PES (65 523)
    public void Bad_options_are_refused(int rate, int left, int right, double amplitude, int samplesPerFrame) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ToneAudioSource(ManualClock(), rate, left, right, amplitude, samplesPerFrame));

    [Fact]
    public async Task The_largest_frame_fits_one_lpcm_pes()
    {
        int largest = TsMuxer.MaxAudioFrameSize / 4;
        await using var source = new ToneAudioSource(ManualClock(), samplesPerFrame: largest, pacing: FramePacing.Unpaced);
        using AudioFrame frame = (await source.ReadFrameAsync(CancellationToken.None))!;
        Assert.Equal(largest * 4, frame.Length);
        Assert.Throws<ArgumentException>(() => new ToneAudioSource(ManualClock(), pool: new AudioFramePool(48_000, 2, 441)));
    }

    [Fact]
    public async Task Unpaced_reads_allocate_nothing_in_steady_state()
    {
        var pool = new AudioFramePool(48_000, 2, 480);
        await using var source = new ToneAudioSource(ManualClock(), pacing: FramePacing.Unpaced, pool: pool);
        for (int i = 0; i < 10; i++)
        {
            ReadAndDispose(source);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 600; i++)
        {
            ReadAndDispose(source);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1, pool.Created);
    }

    internal static void ReadAndDispose(IAudioSource source) => Completed(source.ReadFrameAsync(CancellationToken.None))!.Dispose();

    /// <summary>The frame of a read that must have completed synchronously.</summary>
    internal static AudioFrame? Completed(ValueTask<AudioFrame?> read)
    {
        if (!read.IsCompletedSuccessfully)
        {
            Assert.Fail("The read did not complete synchronously.");
        }

        return read.Result;
    }
}
