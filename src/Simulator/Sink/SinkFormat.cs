using Miraflow.Rtsp.Parameters;

namespace Miraflow.Simulator.Sink;

/// <summary>The format the source set in M4.</summary>
/// <param name="Video">The <c>wfd_video_formats</c> the source set (null when it set none).</param>
/// <param name="Audio">The <c>wfd_audio_codecs</c> the source set (null when it set none).</param>
/// <param name="Mode">The video mode those bitmaps name (the first bit set, CEA then VESA then HH), or null.</param>
public sealed record SinkFormat(WfdVideoFormats? Video, WfdAudioCodecs? Audio, VideoMode? Mode)
{
    /// <summary>The format of an M4 <c>SET_PARAMETER</c>.</summary>
    public static SinkFormat From(WfdVideoFormats? video, WfdAudioCodecs? audio) => new(video, audio, ModeOf(video));

    private static VideoMode? ModeOf(WfdVideoFormats? video)
    {
        if (video is null || video.IsNone)
        {
            return null;
        }

        H264Codec codec = video.Codecs[0];
        foreach ((ResolutionTable table, uint bits) in (ReadOnlySpan<(ResolutionTable, uint)>)[(ResolutionTable.Cea, codec.Cea), (ResolutionTable.Vesa, codec.Vesa), (ResolutionTable.Hh, codec.Hh)])
        {
            for (int bit = 0; bit < 32; bit++)
            {
                if ((bits & (1u << bit)) != 0 && VideoModes.TryGet(table, bit, out VideoMode mode))
                {
                    return mode;
                }
            }
        }

        return null;
    }
}
