using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Tests.Media;

[Trait("Category", "unit")]
public sealed class PictureConverterTests
{
    public static TheoryData<int> Paths()
    {
        var paths = new TheoryData<int> { (int)SimdPath.Scalar };
        if (Vector128.IsHardwareAccelerated)
        {
            paths.Add((int)SimdPath.Vector128);
        }

        if (Avx2.IsSupported)
        {
            paths.Add((int)SimdPath.Avx2);
        }

        return paths;
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Deinterleave_matches_the_reference_for_every_length_and_offset(int path)
    {
        var random = new Random(20_260_401);
        byte[] uv = new byte[2 * 200 + 3];
        random.NextBytes(uv);
        for (int pairs = 0; pairs <= 140; pairs++)
        {
            for (int offset = 0; offset < 3; offset++)
            {
                byte[] u = new byte[pairs + 2], v = new byte[pairs + 2];
                u[^1] = v[^1] = 0xA5;
                PictureConverter.Deinterleave(uv.AsSpan(offset, 2 * pairs), u.AsSpan(0, pairs), v.AsSpan(0, pairs), (SimdPath)path);

                for (int i = 0; i < pairs; i++)
                {
                    Assert.Equal(uv[offset + (2 * i)], u[i]);
                    Assert.Equal(uv[offset + (2 * i) + 1], v[i]);
                }

                Assert.Equal(0xA5, u[^1]);
                Assert.Equal(0xA5, v[^1]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Interleave_matches_the_reference_for_every_length(int path)
    {
        var random = new Random(7);
        for (int pairs = 0; pairs <= 140; pairs++)
        {
            byte[] u = new byte[pairs], v = new byte[pairs];
            random.NextBytes(u);
            random.NextBytes(v);
            byte[] uv = new byte[(2 * pairs) + 1];
            uv[^1] = 0x5A;

            PictureConverter.Interleave(u, v, uv.AsSpan(0, 2 * pairs), (SimdPath)path);

            for (int i = 0; i < pairs; i++)
            {
                Assert.Equal(u[i], uv[2 * i]);
                Assert.Equal(v[i], uv[(2 * i) + 1]);
            }

            Assert.Equal(0x5A, uv[^1]);
        }
    }

    [Fact]
    public void Short_spans_are_refused()
    {
        byte[] u = new byte[8], v = new byte[8], uv = new byte[15];
        Assert.Throws<ArgumentException>(() => PictureConverter.Deinterleave(uv, u, v));
        Assert.Throws<ArgumentException>(() => PictureConverter.Interleave(u, v.AsSpan(1), new byte[16]));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Nv12_to_I420_equals_the_scalar_reference_on_every_even_width_and_padded_strides(int path)
    {
        var random = new Random(1080);
        for (int width = 2; width <= 66; width += 2)
        {
            foreach ((int height, int lumaPad, int chromaPad) in new[] { (2, 0, 0), (6, 3, 5), (10, 17, 1) })
            {
                using VideoFrame nv12 = VideoFrame.Create(width, height, PixelFormat.Nv12, width + lumaPad, width + chromaPad);
                random.NextBytes(nv12.Data);
                nv12.CaptureTime = new MediaTime(12345);
                nv12.FrameNumber = 77;
                using VideoFrame actual = VideoFrame.Create(width, height, PixelFormat.I420, width + chromaPad, (width / 2) + lumaPad);
                using VideoFrame expected = VideoFrame.Create(width, height, PixelFormat.I420, width + chromaPad, (width / 2) + lumaPad);
                actual.Data.Fill(0xEE);
                expected.Data.Fill(0xEE);

                PictureConverter.Nv12ToI420(nv12, actual, (SimdPath)path);
                ReferenceNv12ToI420(nv12, expected);

                Assert.True(expected.Data.SequenceEqual(actual.Data), $"{width}x{height} pads {lumaPad}/{chromaPad}");
                Assert.Equal(new MediaTime(12345), actual.CaptureTime);
                Assert.Equal(77ul, actual.FrameNumber);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void I420_to_Nv12_and_back_is_lossless(int path)
    {
        var random = new Random(42);
        for (int width = 2; width <= 66; width += 2)
        {
            using VideoFrame i420 = VideoFrame.Create(width, 8, PixelFormat.I420, width + 7, (width / 2) + 3);
            random.NextBytes(i420.Data);
            using VideoFrame nv12 = VideoFrame.Create(width, 8, PixelFormat.Nv12, width + 1, width + 9);
            using VideoFrame back = VideoFrame.Create(width, 8, PixelFormat.I420);

            PictureConverter.I420ToNv12(i420, nv12, (SimdPath)path);
            PictureConverter.Nv12ToI420(nv12, back, (SimdPath)path);

            AssertSamePicture(i420, back);
            for (int row = 0; row < 4; row++)
            {
                for (int x = 0; x < width / 2; x++)
                {
                    Assert.Equal(i420.U[(row * i420.ChromaStride) + x], nv12.U[(row * nv12.ChromaStride) + (2 * x)]);
                    Assert.Equal(i420.V[(row * i420.ChromaStride) + x], nv12.U[(row * nv12.ChromaStride) + (2 * x) + 1]);
                }
            }
        }
    }

    [Fact]
    public void Copy_changes_strides_and_leaves_the_padding_alone()
    {
        var random = new Random(3);
        using VideoFrame source = VideoFrame.Create(34, 6, PixelFormat.I420, 40, 20);
        random.NextBytes(source.Data);
        using VideoFrame destination = VideoFrame.Create(34, 6, PixelFormat.I420, 35, 18);
        destination.Data.Fill(0xEE);

        PictureConverter.Copy(source, destination);

        AssertSamePicture(source, destination);
        Assert.Equal(0xEE, destination.Y[34]); // padding of the first luma row
        Assert.Equal(0xEE, destination.U[17]); // padding of the first U row
        Assert.Equal(0xEE, destination.V[^1]); // padding of the last V row
    }

    [Fact]
    public void Convert_handles_each_pair_of_layouts()
    {
        var random = new Random(5);
        using VideoFrame i420 = VideoFrame.Create(18, 4, PixelFormat.I420);
        random.NextBytes(i420.Data);
        using VideoFrame nv12 = VideoFrame.Create(18, 4, PixelFormat.Nv12, 20, 22);
        using VideoFrame nv12Copy = VideoFrame.Create(18, 4, PixelFormat.Nv12);
        using VideoFrame i420Copy = VideoFrame.Create(18, 4, PixelFormat.I420, 19, 10);

        PictureConverter.Convert(i420, nv12);
        PictureConverter.Convert(nv12, nv12Copy);
        PictureConverter.Convert(nv12Copy, i420Copy);

        AssertSamePicture(i420, i420Copy);
    }

    [Fact]
    public void Mismatched_sizes_and_layouts_are_refused()
    {
        using VideoFrame nv12 = VideoFrame.Create(16, 4, PixelFormat.Nv12);
        using VideoFrame small = VideoFrame.Create(14, 4, PixelFormat.I420);
        using VideoFrame i420 = VideoFrame.Create(16, 4, PixelFormat.I420);

        Assert.Throws<ArgumentException>(() => PictureConverter.Nv12ToI420(nv12, small));
        Assert.Throws<ArgumentException>(() => PictureConverter.Nv12ToI420(i420, i420));
        Assert.Throws<ArgumentException>(() => PictureConverter.I420ToNv12(nv12, nv12));
        Assert.Throws<ArgumentException>(() => PictureConverter.Copy(nv12, i420));
        Assert.Throws<ArgumentException>(() => PictureConverter.CopyPlane(new byte[10], 5, new byte[10], 4, 5, 2));
    }

    [Fact]
    public void Conversion_allocates_nothing()
    {
        using VideoFrame nv12 = VideoFrame.Create(1920, 1080, PixelFormat.Nv12);
        using VideoFrame i420 = VideoFrame.Create(1920, 1080, PixelFormat.I420);
        PictureConverter.Nv12ToI420(nv12, i420);

        long before = GC.GetAllocatedBytesForCurrentThread();
        PictureConverter.Nv12ToI420(nv12, i420);
        PictureConverter.I420ToNv12(i420, nv12);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The obvious per-sample loop, independent of the converter's code.</summary>
    private static void ReferenceNv12ToI420(VideoFrame nv12, VideoFrame i420)
    {
        for (int y = 0; y < nv12.Height; y++)
        {
            for (int x = 0; x < nv12.Width; x++)
            {
                i420.Y[(y * i420.LumaStride) + x] = nv12.Y[(y * nv12.LumaStride) + x];
            }
        }

        for (int y = 0; y < nv12.Height / 2; y++)
        {
            for (int x = 0; x < nv12.Width / 2; x++)
            {
                i420.U[(y * i420.ChromaStride) + x] = nv12.U[(y * nv12.ChromaStride) + (2 * x)];
                i420.V[(y * i420.ChromaStride) + x] = nv12.U[(y * nv12.ChromaStride) + (2 * x) + 1];
            }
        }
    }

    private static void AssertSamePicture(VideoFrame expected, VideoFrame actual)
    {
        Assert.Equal(expected.Format, actual.Format);
        for (int y = 0; y < expected.Height; y++)
        {
            Assert.True(expected.Y.Slice(y * expected.LumaStride, expected.Width).SequenceEqual(actual.Y.Slice(y * actual.LumaStride, actual.Width)), $"Y row {y}");
        }

        int chromaWidth = expected.Format == PixelFormat.I420 ? expected.Width / 2 : expected.Width;
        for (int y = 0; y < expected.Height / 2; y++)
        {
            Assert.True(expected.U.Slice(y * expected.ChromaStride, chromaWidth).SequenceEqual(actual.U.Slice(y * actual.ChromaStride, chromaWidth)), $"U row {y}");
            if (expected.Format == PixelFormat.I420)
            {
                Assert.True(expected.V.Slice(y * expected.ChromaStride, chromaWidth).SequenceEqual(actual.V.Slice(y * actual.ChromaStride, chromaWidth)), $"V row {y}");
            }
        }
    }
}
