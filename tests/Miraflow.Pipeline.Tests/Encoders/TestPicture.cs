using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;

namespace Miraflow.Pipeline.Tests.Encoders;

/// <summary>
/// The product's test picture (what <see cref="TestPictureSource"/> draws: a desktop with a
/// drifting window, a running clock and a "video" panel) drawn by frame index into any frame, for
/// the encoder tests and benchmarks (linked into the benchmark project).
/// </summary>
/// <param name="width">Picture width.</param>
/// <param name="height">Picture height.</param>
/// <param name="noise">Whether the video panel plays (off: the picture is a plain desktop, for PSNR checks).</param>
/// <param name="frameRate">The rate the window drifts and the clock runs at.</param>
internal sealed class TestPicture(int width, int height, bool noise = true, double frameRate = 30) : IDisposable
{
    private DesktopPicture? _i420;
    private DesktopPicture? _nv12;

    /// <summary>Draws picture <paramref name="index"/> into <paramref name="frame"/> (I420 or NV12, any strides).</summary>
    public void Draw(VideoFrame frame, int index)
    {
        ref DesktopPicture? picture = ref frame.Format == PixelFormat.I420 ? ref _i420 : ref _nv12;
        picture ??= new DesktopPicture(width, height, frame.Format, frameRate, videoPanel: noise);
        picture.Render(frame, index, Time(index, frameRate));
    }

    /// <summary>Fills <paramref name="frame"/> and stamps it as picture <paramref name="index"/> at <paramref name="rate"/>.</summary>
    public void DrawAndStamp(VideoFrame frame, int index, double rate)
    {
        Draw(frame, index);
        frame.FrameNumber = (ulong)index;
        frame.CaptureTime = Time(index, rate);
        frame.PartNumber = 0;
    }

    public void Dispose()
    {
        _i420?.Dispose();
        _nv12?.Dispose();
    }

    private static MediaTime Time(int index, double rate) => MediaTime.FromMicroseconds((long)(index * 1_000_000 / rate));
}
