using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Tests.TestSupport;

namespace Miraflow.Pipeline.Tests.Sources;

[Trait("Category", "unit")]
public sealed class RawYuvFileSourceTests : IDisposable
{
    private const int Width = 34, Height = 10, FrameBytes = Width * Height * 3 / 2;
    private readonly TempDirectory _directory = new("sources");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Plays_each_picture_once_then_ends()
    {
        string path = WritePictures(3);
        await using var source = new RawYuvFileSource(new MediaClock(), path, Width, Height, 25, loop: false, pacing: FramePacing.Unpaced);

        Assert.Equal(3, source.FrameCount);
        Assert.Equal(new FrameSourceInfo(Width, Height, 25, Encoded: false), source.Info);
        for (int k = 0; k < 3; k++)
        {
            using var frame = (VideoFrame)(await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.True(frame.Data.SequenceEqual(Picture(k)), $"picture {k}");
            Assert.Equal((ulong)k, frame.FrameNumber);
            Assert.Equal(new MediaTime(k * 1_080_000L), frame.CaptureTime);
        }

        Assert.Null(await source.ReadFrameAsync(CancellationToken.None));
        Assert.Null(await source.ReadFrameAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Loops_back_to_the_first_picture_and_keeps_counting()
    {
        string path = WritePictures(3);
        await using var source = new RawYuvFileSource(new MediaClock(), path, Width, Height, 30, pacing: FramePacing.Unpaced);

        for (int k = 0; k < 8; k++)
        {
            using var frame = (VideoFrame)(await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.True(frame.Data.SequenceEqual(Picture(k % 3)), $"frame {k}");
            Assert.Equal((ulong)k, frame.FrameNumber);
            Assert.Equal(new MediaTime(k * 900_000L), frame.CaptureTime);
        }

        Assert.Equal(8, source.FramesRead);
    }

    [Theory]
    [InlineData(PixelFormat.I420)]
    [InlineData(PixelFormat.Nv12)]
    public async Task Pictures_land_in_padded_frames_row_by_row(PixelFormat format)
    {
        string path = WritePictures(2);
        var pool = new VideoFramePool(Width, Height, format, lumaStride: Width + 6, chromaStride: Width + 2);
        await using var source = new RawYuvFileSource(new MediaClock(), path, Width, Height, 30, format, pacing: FramePacing.Unpaced, pool: pool);

        (await source.ReadFrameAsync(CancellationToken.None))!.Dispose();
        using var frame = (VideoFrame)(await source.ReadFrameAsync(CancellationToken.None))!;
        using VideoFrame tight = VideoFrame.Create(Width, Height, format);
        Picture(1).CopyTo(tight.Data);
        using VideoFrame expected = VideoFrame.Create(Width, Height, format, Width + 6, Width + 2);
        frame.Data.CopyTo(expected.Data);
        PictureConverter.Copy(tight, expected);

        Assert.True(expected.Data.SequenceEqual(frame.Data));
        Assert.Equal(1, pool.Created);
    }

    [Fact]
    public async Task Test_pictures_written_to_a_file_come_back_unchanged()
    {
        await using var pictures = new TestPictureSource(new MediaClock(), 320, 240, 30, pacing: FramePacing.Unpaced);
        string path = _directory.File("desktop.yuv");
        var written = new List<byte[]>();
        await using (FileStream file = File.Create(path))
        {
            for (int k = 0; k < 4; k++)
            {
                using var frame = (VideoFrame)(await pictures.ReadFrameAsync(CancellationToken.None))!;
                written.Add(frame.Data.ToArray());
                file.Write(frame.Data);
            }
        }

        await using var source = new RawYuvFileSource(new MediaClock(), path, 320, 240, 30, loop: false, pacing: FramePacing.Unpaced);
        foreach (byte[] expected in written)
        {
            using var frame = (VideoFrame)(await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.True(frame.Data.SequenceEqual(expected));
        }

        Assert.Null(await source.ReadFrameAsync(CancellationToken.None));
    }

    [Fact]
    public void A_missing_file_is_reported_by_name()
    {
        string path = _directory.File("missing.yuv");

        var error = Assert.Throws<FileNotFoundException>(() => new RawYuvFileSource(new MediaClock(), path, Width, Height, 30));

        Assert.Equal(path, error.FileName);
        Assert.Contains("missing.yuv", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(FrameBytes - 1)]
    [InlineData((2 * FrameBytes) + 7)]
    public void A_file_that_is_not_whole_pictures_is_refused_with_the_sizes(int length)
    {
        string path = _directory.File("odd.yuv");
        File.WriteAllBytes(path, new byte[length]);

        var error = Assert.Throws<InvalidDataException>(() => new RawYuvFileSource(new MediaClock(), path, Width, Height, 30));

        Assert.Contains($"{length} bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{FrameBytes} bytes each", error.Message, StringComparison.Ordinal);
        File.Delete(path); // the source closed the file
    }

    [Fact]
    public async Task Paced_reads_follow_the_clock_and_cancelled_reads_take_nothing()
    {
        var time = new ManualTimeProvider();
        var pool = new VideoFramePool(Width, Height, PixelFormat.I420, capacity: 2);
        await using var source = new RawYuvFileSource(new MediaClock(time), WritePictures(2), Width, Height, 50, pool: pool);

        using (MediaFrame first = (await source.ReadFrameAsync(CancellationToken.None))!)
        {
            Assert.Equal(MediaTime.Zero, first.CaptureTime);
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await source.ReadFrameAsync(new CancellationToken(true)));
        using (var cts = new CancellationTokenSource())
        {
            ValueTask<MediaFrame?> waiting = source.ReadFrameAsync(cts.Token);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        }

        for (int k = 1; k <= 3; k++)
        {
            ValueTask<MediaFrame?> read = source.ReadFrameAsync(CancellationToken.None);
            Assert.False(read.IsCompleted);
            time.Advance(TimeSpan.FromMilliseconds(20));
            using var frame = (VideoFrame)(await read)!;
            Assert.Equal(new MediaTime(k * 540_000L), frame.CaptureTime);
            Assert.True(frame.Data.SequenceEqual(Picture(k % 2)));
        }

        Assert.Equal(1, pool.Created);
    }

    [Fact]
    public async Task Reading_after_dispose_throws()
    {
        var source = new RawYuvFileSource(new MediaClock(), WritePictures(1), Width, Height, 30, pacing: FramePacing.Unpaced);
        await source.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await source.ReadFrameAsync(CancellationToken.None));
    }

    private static byte[] Picture(int index)
    {
        byte[] picture = new byte[FrameBytes];
        new Random(index).NextBytes(picture);
        return picture;
    }

    private string WritePictures(int count)
    {
        string path = _directory.File($"pictures{count}.yuv");
        using FileStream file = File.Create(path);
        for (int i = 0; i < count; i++)
        {
            file.Write(Picture(i));
        }

        return path;
    }
}
