using System.Diagnostics;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Ts;
using Miraflow.Testing;

namespace Miraflow.Pipeline.Tests.Flow;

/// <summary>The pipeline end to end on loopback: order, drops, faults, stop, dispose, pause, latency.</summary>
[Trait("Category", "integration")]
public sealed class MediaPipelineTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task Units_and_audio_flow_in_order_and_arrive_as_rtp_payload_type_33()
    {
        await using var rig = new FlowRig(audio: TsAudio.Lpcm48kStereo);
        var audioPool = new AudioFramePool(48_000, 2, 480);
        const int Units = 30;
        for (int i = 0; i < Units; i++)
        {
            Assert.True(rig.Pipeline.Post(rig.Unit((ulong)i, idr: i % 10 == 0, size: 1000 + (i * 200))));
            AudioFrame audio = audioPool.Rent();
            audio.CaptureTime = rig.Clock.Now;
            Assert.True(await rig.Pipeline.SendAudioAsync(audio));
            await WaitUntil(() => rig.Pipeline.Statistics.VideoUnitsSent == i + 1);
        }

        Assert.True(await rig.Pipeline.StopAsync(Budget));
        List<RtpHeader> headers = rig.ReceiveAll(Quiet);

        MediaPipelineStatistics stats = rig.Pipeline.Statistics;
        Assert.Equal(new MediaPipelineStatistics(Units, 0, Units, 0, Units, 3, Units, 0, headers.Count, stats.BytesSent), stats);
        Assert.All(headers, h => Assert.Equal(RtpHeader.PayloadTypeMp2t, h.PayloadType));
        Assert.Equal(33, RtpHeader.PayloadTypeMp2t);
        Assert.Equal(Units, headers.Count(h => h.Marker)); // one marker per video access unit
        for (int i = 1; i < headers.Count; i++)
        {
            Assert.Equal(unchecked((ushort)(headers[i - 1].SequenceNumber + 1)), headers[i].SequenceNumber);
            Assert.True(unchecked((int)(headers[i].Timestamp - headers[i - 1].Timestamp)) >= 0, "RTP timestamps go forward");
        }

        Assert.Equal(65530, headers[0].SequenceNumber);
        rig.AssertAllReturned();
    }

    [Fact]
    public async Task A_full_encode_block_drops_the_newest_picture_and_the_next_picture_is_an_idr()
    {
        var encoder = new FakeEncoder();
        await using var rig = new FlowRig(encoder);
        Assert.True(rig.Pipeline.Post(rig.Picture(0)));
        await WaitUntil(() => rig.Pipeline.Statistics.VideoUnitsSent == 1);

        encoder.Gate.Reset();
        encoder.Entered.Reset();
        Assert.True(rig.Pipeline.Post(rig.Picture(1)));
        Assert.True(encoder.Entered.Wait(Budget));
        Assert.True(rig.Pipeline.Post(rig.Picture(2))); // queued: capacity 2 = one encoding + one waiting
        VideoFrame dropped = rig.Picture(3);
        Assert.False(rig.Pipeline.Post(dropped));

        Assert.True(FlowRig.IsDisposed(dropped));
        Assert.Equal([3UL], rig.Observer.Dropped);
        Assert.Equal(1, rig.Pipeline.Statistics.FramesDropped);
        Assert.Equal(1, rig.Stage.PicturesLost);

        encoder.Gate.Set();
        await WaitUntil(() => rig.Pipeline.Statistics.VideoUnitsSent == 3);
        Assert.True(rig.Pipeline.Post(rig.Picture(4)));
        Assert.True(await rig.Pipeline.StopAsync(Budget));

        // Picture 0 (the first) and picture 1 (the first encoded after the drop) are IDRs.
        MediaPipelineStatistics stats = rig.Pipeline.Statistics;
        Assert.Equal((4L, 1L, 4L, 2L), (stats.FramesIn, stats.FramesDropped, stats.VideoUnitsSent, stats.IdrUnitsSent));
        Assert.Equal(stats.DatagramsSent, rig.ReceiveAll(Quiet).Count);
        rig.AssertAllReturned();
    }

    [Fact]
    public async Task A_pass_through_stream_after_a_drop_waits_for_the_next_idr()
    {
        await using var rig = new FlowRig();
        Assert.True(rig.Pipeline.Post(rig.Unit(0, idr: true)));
        await WaitUntil(() => rig.Pipeline.Statistics.VideoUnitsSent == 1);

        // A loss at the capture edge (here: the stage told directly, as Post does on a full block).
        rig.Stage.OnPictureLost();
        for (ulong i = 1; i <= 3; i++)
        {
            Assert.True(rig.Pipeline.Post(rig.Unit(i, idr: false)));
            await WaitUntil(() => rig.Pipeline.Statistics.FramesSkipped == (long)i);
        }

        Assert.True(rig.Pipeline.Post(rig.Unit(4, idr: true)));
        Assert.True(rig.Pipeline.Post(rig.Unit(5, idr: false)));
        Assert.True(await rig.Pipeline.StopAsync(Budget));

        MediaPipelineStatistics stats = rig.Pipeline.Statistics;
        Assert.Equal((6L, 3L, 3L, 3L, 2L), (stats.FramesIn, stats.FramesEncoded, stats.FramesSkipped, stats.VideoUnitsSent, stats.IdrUnitsSent));
        rig.AssertAllReturned();
    }

    [Fact]
    public async Task A_throwing_encoder_faults_the_pipeline_within_3_s_and_every_lease_comes_back()
    {
        var encoder = new FakeEncoder { ThrowAt = 1 };
        await using var rig = new FlowRig(encoder);
        Assert.True(rig.Pipeline.Post(rig.Picture(0)));
        await WaitUntil(() => rig.Pipeline.Statistics.VideoUnitsSent == 1);

        encoder.Gate.Reset();
        encoder.Entered.Reset();
        Assert.True(rig.Pipeline.Post(rig.Picture(1)));
        Assert.True(encoder.Entered.Wait(Budget));
        Assert.True(rig.Pipeline.Post(rig.Picture(2))); // queued behind the failing picture
        var stopwatch = Stopwatch.StartNew();
        encoder.Gate.Set();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Pipeline.Completion.WaitAsync(Budget));
        Assert.True(stopwatch.Elapsed < Budget);
        Assert.Equal("encoder failed at 1", error.Message);
        await WaitUntil(() => !rig.Observer.Faults.IsEmpty);
        Assert.Same(error, Assert.Single(rig.Observer.Faults)); // reported once, though both blocks end faulted
        Assert.False(rig.Pipeline.Post(rig.Picture(3))); // a faulted pipeline takes nothing (and disposes it)

        await rig.Pipeline.DisposeAsync();
        await rig.Pipeline.DisposeAsync(); // idempotent
        rig.AssertAllReturned();
    }

    [Fact]
    public async Task StopAsync_drains_everything_queued_within_3_s()
    {
        var encoder = new FakeEncoder();
        await using var rig = new FlowRig(encoder);
        encoder.Gate.Reset();
        Assert.True(rig.Pipeline.Post(rig.Picture(0)));
        Assert.True(encoder.Entered.Wait(Budget));
        Assert.True(rig.Pipeline.Post(rig.Picture(1)));
        _ = Task.Delay(200).ContinueWith(_ => encoder.Gate.Set(), TaskScheduler.Default);

        var stopwatch = Stopwatch.StartNew();
        Assert.True(await rig.Pipeline.StopAsync(Budget));
        Assert.True(stopwatch.Elapsed < Budget);
        Assert.True(rig.Pipeline.Completion.IsCompletedSuccessfully);
        Assert.Equal(2, rig.Pipeline.Statistics.VideoUnitsSent);
        Assert.Equal(2, rig.ReceiveAll(Quiet).Count(h => h.Marker));
        rig.AssertAllReturned();
    }

    [Fact]
    public async Task Dispose_past_the_budget_cancels_and_returns_every_queued_lease()
    {
        var encoder = new FakeEncoder { GateTimeout = TimeSpan.FromMilliseconds(800) };
        await using var rig = new FlowRig(encoder, new MediaPipelineOptions { StopBudget = TimeSpan.FromMilliseconds(200) });
        encoder.Gate.Reset();
        Assert.True(rig.Pipeline.Post(rig.Picture(0)));
        Assert.True(encoder.Entered.Wait(Budget));
        Assert.True(rig.Pipeline.Post(rig.Picture(1)));
        Assert.False(rig.Pipeline.Post(rig.Picture(2)));

        var stopwatch = Stopwatch.StartNew();
        await rig.Pipeline.DisposeAsync();
        Assert.True(stopwatch.Elapsed < Budget);
        Assert.True(rig.Pipeline.Completion.IsCanceled);
        rig.AssertAllReturned();
    }

    [Fact]
    public async Task Paused_drops_units_and_resume_waits_for_an_idr()
    {
        await using var rig = new FlowRig();
        Assert.True(rig.Pipeline.Post(rig.Unit(0, idr: true)));
        await WaitUntil(() => rig.Pipeline.Statistics.VideoUnitsSent == 1);
        int before = rig.ReceiveAll(Quiet).Count;
        Assert.True(before > 0);

        rig.Pipeline.Pause();
        Assert.True(rig.Pipeline.Paused);
        for (ulong i = 1; i <= 3; i++)
        {
            Assert.True(rig.Pipeline.Post(rig.Unit(i, idr: false)));
            await WaitUntil(() => rig.Pipeline.Statistics.UnitsDiscarded == (long)i);
        }

        Assert.Empty(rig.ReceiveAll(Quiet));
        long idrsAsked = rig.Stage.IdrsRequested;
        rig.Pipeline.Resume();
        Assert.False(rig.Pipeline.Paused);
        Assert.Equal(idrsAsked + 1, rig.Stage.IdrsRequested);

        Assert.True(rig.Pipeline.Post(rig.Unit(4, idr: false))); // held back: the sink needs an IDR
        Assert.True(rig.Pipeline.Post(rig.Unit(5, idr: true)));
        Assert.True(await rig.Pipeline.StopAsync(Budget));

        MediaPipelineStatistics stats = rig.Pipeline.Statistics;
        Assert.Equal((2L, 2L, 3L, 1L), (stats.VideoUnitsSent, stats.IdrUnitsSent, stats.UnitsDiscarded, stats.FramesSkipped));
        Assert.Equal(1, rig.ReceiveAll(Quiet).Count(h => h.Marker));
        rig.AssertAllReturned();
    }

    [Fact]
    public async Task Latency_from_capture_to_the_last_datagram_is_measured_per_video_frame()
    {
        await using var rig = new FlowRig();
        const int Count = 200; // p99 is the 198th value: two outliers (first-frame JIT, a busy CI core) do not count
        for (int i = 0; i < Count; i++)
        {
            Assert.True(rig.Pipeline.Post(rig.Unit((ulong)i, idr: i == 0, size: 20_000)));
            await WaitUntil(() => rig.Pipeline.Statistics.VideoUnitsSent == i + 1);
        }

        LatencyStatistics latency = rig.Pipeline.Latency;
        Console.WriteLine($"capture -> wire over {latency.Count} frames: p50 {latency.P50.TotalMicroseconds:F0} us, p99 {latency.P99.TotalMicroseconds:F0} us, max {latency.Max.TotalMicroseconds:F0} us");
        Assert.Equal(Count, latency.Count);
        Assert.True(latency.P50 > TimeSpan.Zero);
        Assert.True(latency.P50 <= latency.P99);
        Assert.True(latency.P99 <= latency.Max + TimeSpan.FromMilliseconds(1));
        Assert.True(latency.P50 < TimeSpan.FromMilliseconds(50), $"p50 {latency.P50}");
        Assert.True(latency.P99 < TimeSpan.FromMilliseconds(500), $"p99 {latency.P99}");
        Assert.True(await rig.Pipeline.StopAsync(Budget));
        rig.AssertAllReturned();
    }

    [Fact]
    public async Task Stages_run_in_order_before_the_muxer_and_every_unit_they_drop_or_replace_is_disposed()
    {
        var dropOdd = new DelegateStage(u => u.FrameNumber % 2 == 1 ? null : u);
        var replacements = new List<EncodedFrame>();
        var replaceFour = new DelegateStage(u =>
        {
            if (u.FrameNumber != 4)
            {
                return u;
            }

            EncodedFrame other = EncodedFrame.Create(u.Data);
            other.FrameNumber = 40;
            other.CaptureTime = u.CaptureTime;
            replacements.Add(other);
            return other;
        });
        var seen = new List<ulong>();
        var record = new DelegateStage(u =>
        {
            seen.Add(u.FrameNumber);
            return u;
        });
        await using var rig = new FlowRig(stages: [dropOdd, replaceFour, record]);
        for (int i = 0; i < 8; i++)
        {
            Assert.True(rig.Pipeline.Post(rig.Unit((ulong)i, idr: i == 0)));
            await WaitUntil(() => rig.Pipeline.Statistics.FramesEncoded == i + 1);
        }

        Assert.True(await rig.Pipeline.StopAsync(Budget));
        Assert.Equal([0UL, 2, 40, 6], seen);
        Assert.Equal(4, rig.Pipeline.Statistics.VideoUnitsSent);
        Assert.Equal(0, rig.Pipeline.OutstandingLeases);
        Assert.All(rig.Handed, f => Assert.True(FlowRig.IsDisposed(f)));
        Assert.All(replacements, f => Assert.True(FlowRig.IsDisposed(f)));
    }

    [Fact]
    public async Task A_throwing_stage_faults_the_pipeline_and_returns_the_unit()
    {
        await using var rig = new FlowRig(stages: [new DelegateStage(u => u.FrameNumber == 2 ? throw new InvalidOperationException("stage") : u)]);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(rig.Pipeline.Post(rig.Unit((ulong)i, idr: i == 0)));
            await WaitUntil(() => rig.Pipeline.Statistics.FramesEncoded == i + 1);
        }

        rig.Pipeline.Post(rig.Unit(3, idr: false)); // accepted or not: the pipeline is failing
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => rig.Pipeline.Completion.WaitAsync(Budget));
        Assert.Equal("stage", error.Message);
        await rig.Pipeline.DisposeAsync();
        Assert.Equal(0, rig.Pipeline.OutstandingLeases);
        Assert.All(rig.Handed, f => Assert.True(FlowRig.IsDisposed(f)));
    }

    [Fact]
    public async Task While_no_unit_comes_the_heartbeat_sends_psi_alone_every_half_interval()
    {
        // Time is the test's. The muxer here has the 100 ms PSI interval: the heartbeat ticks every
        // 25 ms and PSI is stale after 50 ms.
        var time = new ManualTimeProvider();
        await using var rig = new FlowRig(options: new MediaPipelineOptions(), time: time);
        Assert.True(rig.Pipeline.Post(rig.Unit(0, idr: true)));
        await WaitUntil(() => rig.Pipeline.Statistics.VideoUnitsSent == 1);
        uint previous = PatTimestamps(rig.ReceiveAllDatagrams(Quiet)).Single(); // the unit's own PSI

        for (int i = 0; i < 8; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(25)); // a tick: PSI 25 ms old, not stale yet
            time.Advance(TimeSpan.FromMilliseconds(25)); // a tick: 50 ms old, stale
            Assert.True(rig.Receiver.Arrives(TimeSpan.FromSeconds(5)), $"no PSI after {(i + 1) * 50} ms without a unit");
            uint pat = PatTimestamps([rig.Receiver.Receive()]).Single();
            Assert.Equal(50u * 90, unchecked(pat - previous)); // 50 ms on the 90 kHz clock: well inside 100 ms
            previous = pat;
        }

        Assert.Empty(rig.ReceiveAllDatagrams(Quiet)); // nothing but those: one datagram per stale interval
        Assert.True(await rig.Pipeline.StopAsync(Budget));
        rig.AssertAllReturned();
    }

    /// <summary>The RTP timestamp of each datagram that carries a PAT.</summary>
    private static List<uint> PatTimestamps(IEnumerable<byte[]> datagrams)
    {
        var times = new List<uint>();
        foreach (byte[] datagram in datagrams)
        {
            Assert.True(RtpHeader.TryRead(datagram, out RtpHeader header, out int offset, out int length));
            for (int i = offset; i < offset + length; i += TsPacket.Size)
            {
                if (TsPacket.ReadPid(datagram.AsSpan(i, TsPacket.Size)) == TsPid.Pat)
                {
                    times.Add(header.Timestamp);
                }
            }
        }

        return times;
    }

    [Fact]
    public async Task Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaPipelineOptions { EncodeCapacity = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaPipelineOptions { SendCapacity = 17 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaPipelineOptions { StopBudget = TimeSpan.Zero }.Validate());
        await using var rig = new FlowRig(options: new MediaPipelineOptions { DedicatedEncodeThread = false });
        Assert.True(rig.Pipeline.Post(rig.Unit(0, idr: true)));
        Assert.True(await rig.Pipeline.StopAsync());
        rig.AssertAllReturned();
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < Budget, "the pipeline did not get there within 3 s");
            await Task.Delay(1);
        }
    }
}

/// <summary>An <see cref="IPipelineStage"/> from a delegate.</summary>
internal sealed class DelegateStage(Func<EncodedFrame, EncodedFrame?> process) : IPipelineStage
{
    public EncodedFrame? Process(EncodedFrame unit) => process(unit);
}
