using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Tests.Media;

[Trait("Category", "unit")]
public sealed class FramePoolTests
{
    [Fact]
    public void I420_planes_follow_each_other_with_their_strides()
    {
        using VideoFrame frame = VideoFrame.Create(64, 32, PixelFormat.I420, lumaStride: 80, chromaStride: 48);

        Assert.Equal(80 * 32, frame.Y.Length);
        Assert.Equal(48 * 16, frame.U.Length);
        Assert.Equal(48 * 16, frame.V.Length);
        Assert.Equal((80 * 32) + (2 * 48 * 16), frame.ByteCount);
    }

    [Fact]
    public void Nv12_has_one_interleaved_chroma_plane()
    {
        using VideoFrame frame = VideoFrame.Create(64, 32, PixelFormat.Nv12);

        Assert.Equal(64 * 16, frame.U.Length);
        Assert.Throws<InvalidOperationException>(() => frame.V.Length);
    }

    [Theory]
    [InlineData(63, 32, 0)]
    [InlineData(64, 0, 0)]
    [InlineData(64, 32, 60)]
    public void Odd_sizes_and_narrow_strides_are_refused(int width, int height, int stride) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoFrame.Create(width, height, PixelFormat.I420, stride));

    [Fact]
    public void A_pool_hands_back_the_same_frames_and_a_second_dispose_is_ignored()
    {
        var pool = new VideoFramePool(64, 32, PixelFormat.I420, capacity: 2);

        VideoFrame first = pool.Rent();
        first.Dispose();
        first.Dispose();
        VideoFrame again = pool.Rent();
        VideoFrame other = pool.Rent();

        Assert.Same(first, again);
        Assert.NotSame(again, other);
        Assert.Equal(2, pool.Created);
    }

    [Fact]
    public void Encoded_frames_grow_and_come_back_empty()
    {
        var pool = new EncodedFramePool(capacity: 1, initialBytes: 16);
        EncodedFrame frame = pool.Rent();
        frame.Write(new byte[1000]);
        frame.IsIdr = true;
        frame.PartNumber = 3;

        frame.Dispose();
        EncodedFrame again = pool.Rent();

        Assert.Same(frame, again);
        Assert.Equal(0, again.Length);
        Assert.False(again.IsIdr);
        Assert.Equal(0u, again.PartNumber);
        Assert.True(again.GetSpan().Length >= 1000);
    }

    [Fact]
    public void Steady_renting_allocates_nothing()
    {
        var frames = new VideoFramePool(64, 32, PixelFormat.I420);
        var encoded = new EncodedFramePool();
        for (int i = 0; i < 10; i++)
        {
            frames.Rent().Dispose();
            encoded.Rent().Dispose();
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            VideoFrame f = frames.Rent();
            EncodedFrame e = encoded.Rent();
            e.Write(f.Y[..100]);
            e.Dispose();
            f.Dispose();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
