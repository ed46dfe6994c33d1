using Miraflow.Rtsp.Sessions;

namespace Miraflow.Testing;

/// <summary>Sink capability sets (M3 answers) the tests of every project use, derived from the default sink.</summary>
internal static class TestSinks
{
    /// <summary>A sink that takes only 1280×720p30 CBP 3.1 and 48 kHz stereo LPCM.</summary>
    public static readonly string Sink720p30 = SinkCapabilities.DefaultText
        .Replace("wfd_video_formats: 00 00 03 10 0001ffff 1fffffff 00000fff 00 0000 0000 00 none none", "wfd_video_formats: 00 00 01 01 00000020 00000000 00000000 00 0000 0000 00 none none", StringComparison.Ordinal)
        .Replace("wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00", "wfd_audio_codecs: LPCM 00000002 00", StringComparison.Ordinal);

    /// <summary>The same sink with AAC as its only audio codec.</summary>
    public static readonly string Sink720p30AacOnly = Sink720p30.Replace("LPCM 00000002 00", "AAC 00000001 00", StringComparison.Ordinal);
}
