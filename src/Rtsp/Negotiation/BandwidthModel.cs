using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Negotiation;

/// <summary>
/// How many bits per second a mode needs (a screen-content H.264 estimate), and the Windows start
/// question (contract doc §2.4): can the suggested rate carry at least 1024×768?
/// </summary>
public static class BandwidthModel
{
    /// <summary>The bit/s we need to carry <paramref name="mode"/> at acceptable quality.</summary>
    public static long RequiredBitrate(VideoMode mode) => throw new NotImplementedException();

    /// <summary>The bit/s we need to carry <paramref name="width"/>×<paramref name="height"/> at <paramref name="framesPerSecond"/>.</summary>
    public static long RequiredBitrate(int width, int height, int framesPerSecond) => throw new NotImplementedException();

    /// <summary>True when <paramref name="bitsPerSecond"/> carries at least 1024×768 at 30 fps.</summary>
    public static bool CanCarry1024x768(long bitsPerSecond) => throw new NotImplementedException();
}
