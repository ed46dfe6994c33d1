using BenchmarkDotNet.Attributes;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Encoders.OpenH264;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Tests.Encoders;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Benchmarks;

/// <summary>
/// One picture through <see cref="OpenH264Encoder"/> (OpenH264's encode, plus our descriptor setup
/// and the copy into a pooled access unit) on the test picture: 32 pre-drawn pictures cycled,
/// CBP, screen content, bitrate rate control. Mean = time per frame (fps = 1 s / Mean); the
/// allocation column must read 0 B.
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Miraflow.Benchmarks -- --filter '*EncodeBenchmarks*' --job short</c>.
/// The library's own work dominates; bench/compare-encode.sh puts the binding next to GStreamer's
/// openh264enc on the same frames to show what the binding adds.
/// </remarks>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet's [GlobalCleanup] disposes the encoder.")]
public class EncodeBenchmarks
{
    private const int Pictures = 32;
    private readonly List<VideoFrame> _pictures = [];
    private OpenH264Encoder _encoder = null!;
    private int _next;

    /// <summary>720 (1280×720p30, level 3.1, 4 Mbit/s) or 1080 (1920×1080p30, level 4.0, 8 Mbit/s).</summary>
    [Params(720, 1080)]
    public int Height { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int width = Height * 16 / 9;
        var settings = new EncoderSettings
        {
            Width = width,
            Height = Height,
            FrameRate = 30,
            TargetBitrate = Height == 720 ? 4_000_000 : 8_000_000,
            Level = Height == 720 ? H264Levels.Level31 : H264Levels.Level40,
        };
        _encoder = new OpenH264Encoder(settings, new EncodedFramePool());
        using var desktop = new TestPicture(width, Height);
        for (int i = 0; i < Pictures; i++)
        {
            VideoFrame picture = VideoFrame.Create(width, Height, PixelFormat.I420);
            desktop.Draw(picture, i);
            _pictures.Add(picture);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoder.Dispose();
        foreach (VideoFrame picture in _pictures)
        {
            picture.Dispose();
        }

        _pictures.Clear();
    }

    /// <summary>Encodes the next picture and returns the access unit's size.</summary>
    [Benchmark]
    public int EncodeFrame()
    {
        int index = _next++;
        VideoFrame picture = _pictures[index % Pictures];
        picture.FrameNumber = (ulong)index;
        picture.CaptureTime = MediaTime.FromMicroseconds(index * 33_333L);
        using EncodedFrame? unit = _encoder.Encode(picture);
        return unit?.Length ?? 0;
    }
}
