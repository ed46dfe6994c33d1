namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// The complete CEA, VESA and HH tables of <c>wfd_video_formats</c> (WFD R1; protocol doc §2.3,
/// checked against the table errors of §2.4). Bits beyond each table's last entry are reserved:
/// CEA 17–31, VESA 29–31, HH 12–31. They are masked off by <see cref="ValidMask"/> and never
/// selected.
/// </summary>
public static class VideoModes
{
    /// <summary>CEA bits 0–16.</summary>
    public static IReadOnlyList<VideoMode> Cea => throw new NotImplementedException();

    /// <summary>VESA bits 0–28.</summary>
    public static IReadOnlyList<VideoMode> Vesa => throw new NotImplementedException();

    /// <summary>HH bits 0–11.</summary>
    public static IReadOnlyList<VideoMode> Hh => throw new NotImplementedException();

    /// <summary>The entries of <paramref name="table"/> in bit order.</summary>
    public static IReadOnlyList<VideoMode> Get(ResolutionTable table) => throw new NotImplementedException();

    /// <summary>The defined (non-reserved) bits of <paramref name="table"/>: CEA 0x0001FFFF, VESA 0x1FFFFFFF, HH 0x00000FFF.</summary>
    public static uint ValidMask(ResolutionTable table) => throw new NotImplementedException();

    /// <summary>The mode at <paramref name="bit"/> of <paramref name="table"/>; false for a reserved bit.</summary>
    public static bool TryGet(ResolutionTable table, int bit, out VideoMode mode) => throw new NotImplementedException();
}
