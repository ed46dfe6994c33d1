namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// One H.264 entry of <c>wfd_video_formats</c> (protocol doc §2.2). Bitmaps are kept exactly as
/// received, reserved bits included, so the value round-trips; use the <c>Supported*</c>
/// properties (reserved bits masked) for any decision.
/// </summary>
/// <param name="MaxHorizontalResolution">null for <c>none</c>.</param>
/// <param name="MaxVerticalResolution">null for <c>none</c>.</param>
public sealed record H264Codec(
    H264Profiles Profile,
    H264Levels Level,
    uint Cea,
    uint Vesa,
    uint Hh,
    byte Latency,
    ushort MinSliceSize,
    ushort SliceEncodingParameters,
    byte FrameRateControl,
    ushort? MaxHorizontalResolution,
    ushort? MaxVerticalResolution)
{
    /// <summary>The defined profile bits (CBP, CHP).</summary>
    public const H264Profiles ValidProfiles = H264Profiles.ConstrainedBaseline | H264Profiles.ConstrainedHigh;

    /// <summary>The defined level bits (3.1 to 4.2).</summary>
    public const H264Levels ValidLevels =
        H264Levels.Level31 | H264Levels.Level32 | H264Levels.Level40 | H264Levels.Level41 | H264Levels.Level42;

    /// <summary><see cref="Profile"/> with reserved bits masked off.</summary>
    public H264Profiles SupportedProfiles => Profile & ValidProfiles;

    /// <summary><see cref="Level"/> with reserved bits masked off.</summary>
    public H264Levels SupportedLevels => Level & ValidLevels;

    /// <summary>
    /// The highest defined level bit set, or <see cref="H264Levels.None"/>. A sink supporting
    /// level L supports every lower level, so this is the entry's level limit.
    /// </summary>
    public H264Levels HighestSupportedLevel => H264LevelLimits.Highest(SupportedLevels);

    /// <summary>The bitmap of <paramref name="table"/> as received.</summary>
    public uint GetBitmap(ResolutionTable table) => table switch
    {
        ResolutionTable.Cea => Cea,
        ResolutionTable.Vesa => Vesa,
        ResolutionTable.Hh => Hh,
        _ => throw new ArgumentOutOfRangeException(nameof(table)),
    };

    /// <summary>The bitmap of <paramref name="table"/> with reserved bits masked off.</summary>
    public uint GetSupported(ResolutionTable table) => GetBitmap(table) & VideoModes.ValidMask(table);

    /// <summary>True when the masked bitmap of the mode's table contains <paramref name="mode"/>.</summary>
    public bool Supports(VideoMode mode) => VideoModes.IsDefined(mode) && (GetSupported(mode.Table) & mode.Mask) != 0;
}
