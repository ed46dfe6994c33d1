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
}
