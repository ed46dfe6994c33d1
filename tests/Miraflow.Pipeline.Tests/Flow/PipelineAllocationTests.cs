using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Ts;
using Xunit.Abstractions;
using static Miraflow.Pipeline.Tests.Ts.TsTestData;

namespace Miraflow.Pipeline.Tests.Flow;

/// <summary>Runs alone: <see cref="GC.GetTotalAllocatedBytes(bool)"/> counts every thread of the process.</summary>
[CollectionDefinition(nameof(PipelineAllocationGroup), DisableParallelization = true)]
public sealed class PipelineAllocationGroup;

/// <summary>
/// Steady state of the whole pipeline (house style §5.3 item 6, shape A): 600 pass-through
/// access units with an audio frame each, after warm-up, measured across all threads.
/// </summary>
[Collection(nameof(PipelineAllocationGroup))]
[Trait("Category", "integration")]
public sealed class PipelineAllocationTests(ITestOutputHelper output)
{
    private const int Frames = 600;
    private const long BudgetPerFrame = 1024;

    [Fact]
    public async Task Steady_state_allocates_at_most_1_KB_per_frame()
    {
        await using var rig = new FlowRig(audio: TsAudio.Lpcm48kStereo);
        var units = new EncodedFramePool(capacity: 16);
        var audio = new AudioFramePool(48_000, 2, 480, capacity: 16);
        byte[] idr = Concat(Aud, Sps, Pps, IdrSlice(30_000));
        byte[] slice = Concat(Aud, NonIdrSlice(8_000));
        MediaPipeline pipeline = rig.Pipeline;

        Run(pipeline, rig.Clock, units, audio, idr, slice, 0, 200);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        Run(pipeline, rig.Clock, units, audio, idr, slice, 200, Frames);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        double perFrame = (double)allocated / Frames;
        output.WriteLine($"{allocated} B over {Frames} frames (video + audio): {perFrame:F0} B per frame");
        Console.WriteLine($"pipeline steady state: {perFrame:F0} B per frame");
        long stopStart = System.Diagnostics.Stopwatch.GetTimestamp();
        Assert.True(await pipeline.StopAsync(TimeSpan.FromSeconds(3)));
        TimeSpan stopTook = System.Diagnostics.Stopwatch.GetElapsedTime(stopStart);
        output.WriteLine($"stop took {stopTook.TotalMilliseconds:F1} ms");
        Assert.True(stopTook < TimeSpan.FromSeconds(3));
        MediaPipelineStatistics stats = pipeline.Statistics;
        Assert.Equal(200 + Frames, stats.VideoUnitsSent);
        Assert.Equal(0, stats.FramesDropped);
        Assert.Equal(0, pipeline.OutstandingLeases);
        Assert.Equal(0, units.Outstanding); // every pooled buffer is back in its pool
        Assert.Equal(0, audio.Outstanding);
        Assert.InRange(perFrame, 0, BudgetPerFrame);
    }

    /// <summary>Frames one at a time, each waited for and followed by a short pause so the blocks go idle as at 60 fps.</summary>
    private static void Run(MediaPipeline pipeline, MediaClock clock, EncodedFramePool units, AudioFramePool audio, byte[] idr, byte[] slice, int first, int count)
    {
        for (int i = first; i < first + count; i++)
        {
            EncodedFrame unit = units.Rent();
            unit.Write(i % 120 == 0 ? idr : slice);
            unit.FrameNumber = (ulong)i;
            unit.CaptureTime = clock.Now;
            Assert.True(pipeline.Post(unit));
            AudioFrame sound = audio.Rent();
            sound.CaptureTime = clock.Now;
            Assert.True(pipeline.PostAudio(sound));
            var spin = default(SpinWait);
            while (pipeline.Statistics.VideoUnitsSent <= i || pipeline.Statistics.AudioFramesSent <= i)
            {
                spin.SpinOnce();
            }

            Thread.Sleep(1);
        }
    }
}
