using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Encoders;

/// <summary>
/// An H.264 encoder: raw pictures in, Annex-B access units out, each with SPS/PPS in front of
/// every IDR. Used by one pipeline stage at a time; <see cref="RequestIdr"/> and
/// <see cref="SetBitrate"/> may be called from other threads and take effect at the next picture.
/// </summary>
public interface IVideoEncoder : IDisposable
{
    /// <summary>The settings in force (bitrate and frame rate as last changed).</summary>
    EncoderSettings Settings { get; }

    /// <summary>
    /// Encodes one picture. Returns the access unit (stamped with the picture's capture time and
    /// identity), or null when rate control skipped the picture. The caller still owns
    /// <paramref name="picture"/>.
    /// </summary>
    EncodedFrame? Encode(VideoFrame picture);

    /// <summary>Makes the next picture an IDR (sink request, dropped picture, chunk reset).</summary>
    void RequestIdr();

    /// <summary>Changes the target (and optionally peak) bitrate while running.</summary>
    void SetBitrate(int targetBitrate, int maxBitrate = 0);

    /// <summary>Changes the frame rate while running.</summary>
    void SetFrameRate(double frameRate);
}
