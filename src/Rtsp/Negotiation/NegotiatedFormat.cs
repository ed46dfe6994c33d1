using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Negotiation;

/// <summary>
/// One complete format choice: a video mode with exactly one profile and one level, and the audio
/// codec with exactly one mode bit (or none when nothing common exists).
/// </summary>
public sealed record NegotiatedFormat(VideoMode Mode, H264Profiles Profile, H264Levels Level, AudioCodec? Audio)
{
    /// <summary>The M4 <c>wfd_video_formats</c> value: native 00, one entry, one bit each, <c>none none</c>.</summary>
    public WfdVideoFormats ToVideoFormats() => throw new NotImplementedException();

    /// <summary>The M4 <c>wfd_audio_codecs</c> value (one format, one mode bit, latency 00).</summary>
    public WfdAudioCodecs? ToAudioCodecs() => throw new NotImplementedException();

    /// <summary>e.g. <c>1920x1080p30 CBP 4.0, LPCM 48000/2</c>.</summary>
    public override string ToString() => throw new NotImplementedException();
}
