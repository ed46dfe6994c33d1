namespace Miraflow.Rtsp.Parameters;

/// <summary>The level bitmap of a <c>wfd_video_formats</c> H.264 entry (protocol doc §2.2). Other bits are reserved.</summary>
[Flags]
public enum H264Levels : byte
{
    None = 0,
    /// <summary>Level 3.1 (level_idc 31).</summary>
    Level31 = 0x01,
    /// <summary>Level 3.2 (level_idc 32).</summary>
    Level32 = 0x02,
    /// <summary>Level 4.0 (level_idc 40).</summary>
    Level40 = 0x04,
    /// <summary>Level 4.1 (level_idc 41).</summary>
    Level41 = 0x08,
    /// <summary>Level 4.2 (level_idc 42).</summary>
    Level42 = 0x10,
}
