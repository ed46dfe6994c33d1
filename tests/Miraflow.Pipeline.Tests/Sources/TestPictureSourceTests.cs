using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Pipeline.Tests.Sources;

[Trait("Category", "unit")]
public sealed class TestPictureSourceTests
{
    [Fact]
    public async Task Unpaced_frames_are_numbered_and_stamped_index_over_rate()
    {
        await using var source = new TestPictureSource(new MediaClock(new ManualTimeProvider()), 64, 48, 30, pacing: FramePacing.Unpaced);

        for (int k = 0; k < 10; k++)
        {
            using var frame = (VideoFrame)(await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.Equal((ulong)k, frame.FrameNumber);
            Assert.Equal(0u, frame.PartNumber);
            Assert.Equal(new MediaTime(k * 900_000L), frame.CaptureTime);
            Assert.Equal((64, 48, PixelFormat.I420), (frame.Width, frame.Height, frame.Format));
        }

        Assert.Equal(new FrameSourceInfo(64, 48, 30, Encoded: false, PixelFormat.I420), source.Info);
        Assert.Equal(10, source.FramesRead);
    }

    [Fact]
    public async Task Two_sources_give_identical_frames()
    {
        await using var first = new TestPictureSource(new MediaClock(), 320, 240, 60, pacing: FramePacing.Unpaced);
        await using var second = new TestPictureSource(new MediaClock(), 320, 240, 60, pacing: FramePacing.Unpaced);

        for (int k = 0; k < 40; k++)
        {
            using var a = (VideoFrame)(await first.ReadFrameAsync(CancellationToken.None))!;
            using var b = (VideoFrame)(await second.ReadFrameAsync(CancellationToken.None))!;
            Assert.True(a.Data.SequenceEqual(b.Data), $"frame {k}");
        }

        using VideoFrame c = VideoFrame.Create(320, 240, PixelFormat.I420);
        using VideoFrame d = VideoFrame.Create(320, 240, PixelFormat.I420, 400, 200);
        first.Render(c, 12_345, MediaTime.FromSampleIndex(12_345, 60));
        second.Render(d, 12_345, MediaTime.FromSampleIndex(12_345, 60));
        using VideoFrame dTight = VideoFrame.Create(320, 240, PixelFormat.I420);
        PictureConverter.Copy(d, dTight);
        Assert.True(c.Data.SequenceEqual(dTight.Data));
    }

    [Theory]
    [InlineData(PixelFormat.I420)]
    [InlineData(PixelFormat.Nv12)]
    public async Task Clock_and_window_change_every_frame_and_the_corner_never_does(PixelFormat format)
    {
        await using var source = new TestPictureSource(new MediaClock(), 1280, 720, 60, format, FramePacing.Unpaced);
        DesktopPicture layout = GetLayout(source);
        (int clockX, int clockY, int clockWidth, int clockHeight) = layout.ClockArea;
        (int windowWidth, int windowHeight) = layout.WindowSize;
        int cornerWidth = 1280 / 16, cornerHeight = 720 / 10;

        using var reference = (VideoFrame)(await source.ReadFrameAsync(CancellationToken.None))!;
        VideoFrame previous = Clone(reference);
        for (int k = 1; k < 90; k++)
        {
            using var frame = (VideoFrame)(await source.ReadFrameAsync(CancellationToken.None))!;
            (int windowX, int windowY) = layout.WindowPosition(k);

            Assert.False(SameLuma(previous, frame, clockX, clockY, clockWidth, clockHeight), $"clock, frame {k}");
            Assert.False(SameLuma(previous, frame, windowX, windowY, windowWidth, windowHeight), $"window, frame {k}");
            Assert.True(SameLuma(reference, frame, 0, 0, cornerWidth, cornerHeight), $"corner, frame {k}");
            Assert.True(SameChroma(reference, frame, cornerWidth / 2, cornerHeight / 2), $"corner chroma, frame {k}");
            previous.Dispose();
            previous = Clone(frame);
        }

        previous.Dispose();
        Assert.NotEqual(layout.WindowPosition(0), layout.WindowPosition(89));
    }

    [Fact]
    public async Task Nv12_output_is_the_I420_picture_interleaved()
    {
        var clock = new MediaClock();
        await using var i420Source = new TestPictureSource(clock, 854, 480, 30, PixelFormat.I420, FramePacing.Unpaced);
        await using var nv12Source = new TestPictureSource(clock, 854, 480, 30, PixelFormat.Nv12, FramePacing.Unpaced);
        using VideoFrame i420 = VideoFrame.Create(854, 480, PixelFormat.I420);
        using VideoFrame nv12 = VideoFrame.Create(854, 480, PixelFormat.Nv12, 860, 870);
        using VideoFrame converted = VideoFrame.Create(854, 480, PixelFormat.I420);

        i420Source.Render(i420, 77, new MediaTime(123_456_789));
        nv12Source.Render(nv12, 77, new MediaTime(123_456_789));
        PictureConverter.Nv12ToI420(nv12, converted);

        Assert.True(i420.Data.SequenceEqual(converted.Data));
    }

    public static TheoryData<int, int> EveryWfdSize()
    {
        var sizes = new HashSet<(int, int)>();
        foreach (IReadOnlyList<VideoMode> table in new[] { VideoModes.Cea, VideoModes.Vesa, VideoModes.Hh })
        {
            foreach (VideoMode mode in table)
            {
                sizes.Add((mode.Width, mode.Height));
            }
        }

        var data = new TheoryData<int, int>();
        foreach ((int width, int height) in sizes)
        {
            data.Add(width, height);
        }

        foreach ((int width, int height) in new[] { (2, 2), (4, 2), (18, 10), (66, 34), (130, 2), (2, 130) })
        {
            data.Add(width, height);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryWfdSize))]
    public async Task Every_WFD_size_and_tiny_sizes_render(int width, int height)
    {
        await using var source = new TestPictureSource(new MediaClock(), width, height, 60, PixelFormat.Nv12, FramePacing.Unpaced);
        using MediaFrame? frame = await source.ReadFrameAsync(CancellationToken.None);
        using VideoFrame later = VideoFrame.Create(width, height, PixelFormat.Nv12, width + 6, width + 2);

        source.Render(later, 10_000, new MediaTime(long.MaxValue / 2));

        Assert.NotNull(frame);
    }

    [Fact]
    public async Task ForMode_takes_the_size_and_pictures_per_second_of_the_mode()
    {
        VideoMode interlaced = VideoModes.Cea[9]; // 1920x1080i60: 30 pictures per second
        await using var source = TestPictureSource.ForMode(new MediaClock(), interlaced, pacing: FramePacing.Unpaced);

        Assert.Equal(new FrameSourceInfo(1920, 1080, 30, Encoded: false), source.Info);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var clock = new MediaClock();
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestPictureSource(clock, 63, 48, 30));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestPictureSource(clock, 64, 48, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TestPictureSource(clock, 64, 48, double.NaN));
        Assert.Throws<ArgumentException>(() => new TestPictureSource(clock, 64, 48, 30, pool: new VideoFramePool(64, 48, PixelFormat.Nv12)));
    }

    [Fact]
    public async Task Steady_unpaced_reading_allocates_nothing()
    {
        var pool = new VideoFramePool(640, 360, PixelFormat.I420, capacity: 2);
        await using var source = new TestPictureSource(new MediaClock(), 640, 360, 60, pacing: FramePacing.Unpaced, pool: pool);
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

        static void ReadAndDispose(TestPictureSource source)
        {
            ValueTask<MediaFrame?> read = source.ReadFrameAsync(CancellationToken.None);
            Assert.True(read.IsCompletedSuccessfully);
            read.Result!.Dispose();
        }
    }

    internal static DesktopPicture GetLayout(TestPictureSource source) => source.Picture;

    private static VideoFrame Clone(VideoFrame frame)
    {
        VideoFrame copy = VideoFrame.Create(frame.Width, frame.Height, frame.Format);
        PictureConverter.Copy(frame, copy);
        return copy;
    }

    private static bool SameLuma(VideoFrame a, VideoFrame b, int x, int y, int width, int height)
    {
        for (int row = Math.Max(y, 0); row < Math.Min(y + height, a.Height); row++)
        {
            int from = Math.Max(x, 0), to = Math.Min(x + width, a.Width);
            if (!a.Y.Slice((row * a.LumaStride) + from, to - from).SequenceEqual(b.Y.Slice((row * b.LumaStride) + from, to - from)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameChroma(VideoFrame a, VideoFrame b, int chromaWidth, int chromaHeight)
    {
        int bytes = a.Format == PixelFormat.I420 ? chromaWidth : 2 * chromaWidth;
        for (int row = 0; row < chromaHeight; row++)
        {
            if (!a.U.Slice(row * a.ChromaStride, bytes).SequenceEqual(b.U.Slice(row * b.ChromaStride, bytes))
                || (a.Format == PixelFormat.I420 && !a.V.Slice(row * a.ChromaStride, bytes).SequenceEqual(b.V.Slice(row * b.ChromaStride, bytes))))
            {
                return false;
            }
        }

        return true;
    }
}
