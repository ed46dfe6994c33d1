namespace Miraflow.Rtsp.Parameters;

/// <summary>The profile bitmap of a <c>wfd_video_formats</c> H.264 entry (protocol doc §2.2). Other bits are reserved.</summary>
[Flags]
public enum H264Profiles : byte
{
    None = 0,
    /// <summary>CBP: profile_idc 66 with constraint_set0+1.</summary>
    ConstrainedBaseline = 0x01,
    /// <summary>CHP: profile_idc 100 with constraint_set4+5.</summary>
    ConstrainedHigh = 0x02,
}
