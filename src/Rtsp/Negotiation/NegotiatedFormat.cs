using System.Globalization;
using System.Numerics;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Negotiation;

/// <summary>
/// One complete format choice: a video mode with exactly one profile and one level, and the audio
/// codec with exactly one mode bit (or none when nothing common exists).
/// </summary>
public sealed record NegotiatedFormat(VideoMode Mode, H264Profiles Profile, H264Levels Level, AudioCodec? Audio)
{
    /// <summary>The M4 <c>wfd_video_formats</c> value: native 00, one entry, one bit each, <c>none none</c>.</summary>
    /// <remarks>e.g. <c>00 00 01 08 00000080 00000000 00000000 00 0000 0000 00 none none</c> for 1080p30 CBP 4.1.</remarks>
    public WfdVideoFormats ToVideoFormats() => new(
        0,
        0,
        [
            new H264Codec(
                Profile,
                Level,
                Mode.Table == ResolutionTable.Cea ? Mode.Mask : 0,
                Mode.Table == ResolutionTable.Vesa ? Mode.Mask : 0,
                Mode.Table == ResolutionTable.Hh ? Mode.Mask : 0,
                Latency: 0,
                MinSliceSize: 0,
                SliceEncodingParameters: 0,
                FrameRateControl: 0,
                MaxHorizontalResolution: null,
                MaxVerticalResolution: null),
        ]);

    /// <summary>The M4 <c>wfd_audio_codecs</c> value (one format, one mode bit, latency 00); null when there is no audio.</summary>
    public WfdAudioCodecs? ToAudioCodecs() =>
        Audio is AudioCodec audio ? new WfdAudioCodecs([new AudioCodec(audio.Format, audio.Modes, 0)]) : null;

    /// <summary>e.g. <c>1920x1080p30 CBP 4.0, LPCM 48000/2</c>.</summary>
    public override string ToString() => string.Concat(VideoText(), ", ", AudioText(Audio));

    /// <summary>e.g. <c>1920x1080p30 CBP 4.0</c>.</summary>
    public string VideoText() => string.Concat(Mode.ToString(), " ", ProfileText(Profile), " ", H264LevelLimits.ToDisplayString(Level));

    /// <summary><c>CBP</c>, <c>CHP</c>, or the bitmap in hex.</summary>
    public static string ProfileText(H264Profiles profile) => profile switch
    {
        H264Profiles.ConstrainedBaseline => "CBP",
        H264Profiles.ConstrainedHigh => "CHP",
        _ => ((byte)profile).ToString("x2", CultureInfo.InvariantCulture),
    };

    /// <summary>e.g. <c>LPCM 48000/2</c>, <c>AAC 48000/2</c>; <c>no audio</c> for null.</summary>
    public static string AudioText(AudioCodec? audio)
    {
        if (audio is not AudioCodec codec)
        {
            return "no audio";
        }

        string format = codec.Format switch
        {
            AudioFormat.Lpcm => "LPCM",
            AudioFormat.Aac => "AAC",
            _ => "AC3",
        };
        int bit = codec.Modes == 0 ? -1 : BitOperations.TrailingZeroCount(codec.Modes);
        return AudioCodec.TryGetMode(codec.Format, bit, out int rate, out int channels)
            ? string.Create(CultureInfo.InvariantCulture, $"{format} {rate}/{channels}")
            : string.Create(CultureInfo.InvariantCulture, $"{format} {codec.Modes:x8}");
    }
}
