using BenchmarkDotNet.Attributes;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;

namespace Miraflow.Benchmarks;

/// <summary>
/// <see cref="PictureConverter"/> on one 1080p picture: NV12 to I420 on each code path (the
/// scalar loop is the baseline), I420 to NV12, and a plain I420 copy between strides for scale.
/// All must show 0 B.
/// </summary>
[MemoryDiagnoser]
public class PictureConverterBenchmarks
{
    private VideoFrame _nv12 = null!;
    private VideoFrame _i420 = null!;
    private VideoFrame _i420Padded = null!;

    [GlobalSetup]
    public void Setup()
    {
        _nv12 = VideoFrame.Create(1920, 1080, PixelFormat.Nv12);
        _i420 = VideoFrame.Create(1920, 1080, PixelFormat.I420);
        _i420Padded = VideoFrame.Create(1920, 1080, PixelFormat.I420, 2048, 1024);
        new Random(1).NextBytes(_nv12.Data);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _nv12.Dispose();
        _i420.Dispose();
        _i420Padded.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Nv12ToI420Scalar() => PictureConverter.Nv12ToI420(_nv12, _i420, SimdPath.Scalar);

    [Benchmark]
    public void Nv12ToI420Vector128() => PictureConverter.Nv12ToI420(_nv12, _i420, SimdPath.Vector128);

    [Benchmark]
    public void Nv12ToI420() => PictureConverter.Nv12ToI420(_nv12, _i420);

    [Benchmark]
    public void I420ToNv12() => PictureConverter.I420ToNv12(_i420, _nv12);

    [Benchmark]
    public void I420CopyToPaddedStrides() => PictureConverter.Copy(_i420, _i420Padded);
}

/// <summary>
/// One frame of the <see cref="TestPictureSource"/> desktop: drawn into a given frame
/// (<c>Render</c>), and read through the source unpaced (rent, draw, stamp, dispose). The goal
/// is well under 2 ms at 1080p (real time at 60 fps on one core) and 0 B.
/// </summary>
[MemoryDiagnoser]
public class PictureSourceBenchmarks : IDisposable
{
    private TestPictureSource _source = null!;
    private VideoFrame _frame = null!;
    private long _index;

    [Params(720, 1080)]
    public int Height { get; set; }

    [Params(PixelFormat.I420, PixelFormat.Nv12)]
    public PixelFormat Format { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int width = Height * 16 / 9;
        _source = new TestPictureSource(new MediaClock(), width, Height, 60, Format, FramePacing.Unpaced);
        _frame = VideoFrame.Create(width, Height, Format);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _frame?.Dispose();
        _source?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public void Render()
    {
        long index = _index++;
        _source.Render(_frame, index, MediaTime.FromSampleIndex(index, 60));
    }

    [Benchmark]
    public void ReadFrame()
    {
        ValueTask<MediaFrame?> read = _source.ReadFrameAsync(CancellationToken.None);
        if (!read.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("An unpaced read completes at once.");
        }

        read.Result!.Dispose();
    }
}
