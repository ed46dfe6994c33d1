namespace Miraflow.Simulator.Analysis;

/// <summary>PMT stream_type values (ISO/IEC 13818-1 Table 2-34, and WFD's LPCM) and their names.</summary>
public static class TsStreamTypes
{
    /// <summary>AVC video (ITU-T H.264).</summary>
    public const int H264 = 0x1B;

    /// <summary>Whether <paramref name="streamType"/> is a video stream (MPEG-1/2, MPEG-4 part 2, H.264, HEVC).</summary>
    public static bool IsVideo(int streamType) => streamType is 0x01 or 0x02 or 0x10 or 0x1B or 0x24;

    /// <summary>A short name, e.g. "H.264 video"; "stream type 0xNN" for the rest.</summary>
    public static string Describe(int streamType) => streamType switch
    {
        0x01 => "MPEG-1 video",
        0x02 => "MPEG-2 video",
        0x03 => "MPEG-1 audio",
        0x04 => "MPEG-2 audio",
        0x06 => "private PES data",
        0x0F => "AAC audio (ADTS)",
        0x10 => "MPEG-4 video",
        0x11 => "AAC audio (LATM)",
        0x1B => "H.264 video",
        0x24 => "HEVC video",
        0x81 => "AC-3 audio",
        0x83 => "LPCM audio (WFD)",
        _ => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"stream type 0x{streamType:X2}"),
    };
}
