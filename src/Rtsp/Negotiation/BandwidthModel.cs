using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Negotiation;

/// <summary>
/// How many bits per second a mode needs (a screen-content H.264 estimate), and the Windows start
/// question (contract doc §2.4): can the suggested rate carry at least 1024×768?
/// </summary>
/// <remarks>
/// The estimate is <see cref="BitsPerPixelPerFrameTenths"/>/10 = 0.1 bit per pixel per frame,
/// never below <see cref="MinimumBitrate"/>. Reasoning: desktop content (text, UI, some video)
/// coded with Constrained Baseline (CAVLC, no B-frames, which is what we send by default) keeps
/// text legible at about 0.1 bit/pixel/frame; that gives 6.2 Mbit/s for 1080p30, 2.8 Mbit/s for
/// 720p30 and 2.4 Mbit/s for 1024×768p30, in line with the 4–8 Mbit/s that real sources use for
/// 1080p30 (GND starts at 4 Mbit/s). CHP would need less; we use the CBP figure for every profile
/// so the estimate stays conservative. The floor covers IDR frames, which for screen content are
/// many times the average frame and must still leave the link within a frame time or two. It is
/// an estimate for choosing modes, not a rate-control target.
/// </remarks>
public static class BandwidthModel
{
    /// <summary>Bits per pixel per frame, in tenths (1 = 0.1 bit).</summary>
    public const int BitsPerPixelPerFrameTenths = 1;

    /// <summary>The lowest rate any mode is estimated to need: 1 Mbit/s.</summary>
    public const long MinimumBitrate = 1_000_000;

    /// <summary>The bit/s we need to carry <paramref name="mode"/> at acceptable quality (frames, not fields, for interlaced modes).</summary>
    public static long RequiredBitrate(VideoMode mode) => RequiredBitrate(mode.Width, mode.Height, mode.FramesPerSecond);

    /// <summary>The bit/s we need to carry <paramref name="width"/>×<paramref name="height"/> at <paramref name="framesPerSecond"/>.</summary>
    public static long RequiredBitrate(int width, int height, int framesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        ArgumentOutOfRangeException.ThrowIfNegative(height);
        ArgumentOutOfRangeException.ThrowIfNegative(framesPerSecond);
        long pixelsPerSecond = (long)width * height * framesPerSecond;
        return Math.Max(MinimumBitrate, pixelsPerSecond * BitsPerPixelPerFrameTenths / 10);
    }

    /// <summary>True when <paramref name="bitsPerSecond"/> carries at least 1024×768 at 30 fps.</summary>
    public static bool CanCarry1024x768(long bitsPerSecond) => RequiredBitrate(1024, 768, 30) <= bitsPerSecond;
}
