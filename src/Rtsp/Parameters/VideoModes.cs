namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// The complete CEA, VESA and HH tables of <c>wfd_video_formats</c> (WFD R1; protocol doc §2.3,
/// checked against the table errors of §2.4). Bits beyond each table's last entry are reserved:
/// CEA 17–31, VESA 29–31, HH 12–31. They are masked off by <see cref="ValidMask"/> and never
/// selected.
/// </summary>
public static class VideoModes
{
    private const uint CeaMask = 0x0001FFFF;
    private const uint VesaMask = 0x1FFFFFFF;
    private const uint HhMask = 0x00000FFF;

    // Bit index = array index. Written out from §2.3; do not generate (see §2.4 for what went
    // wrong elsewhere: VESA 4/5 are 1152x864, 16/17 1400x1050, 24/25 1680x1024 p30/p60).
    private static readonly VideoMode[] s_cea =
    [
        CeaMode(0, 640, 480, 60, true),
        CeaMode(1, 720, 480, 60, true),
        CeaMode(2, 720, 480, 60, false),
        CeaMode(3, 720, 576, 50, true),
        CeaMode(4, 720, 576, 50, false),
        CeaMode(5, 1280, 720, 30, true),
        CeaMode(6, 1280, 720, 60, true),
        CeaMode(7, 1920, 1080, 30, true),
        CeaMode(8, 1920, 1080, 60, true),
        CeaMode(9, 1920, 1080, 60, false),
        CeaMode(10, 1280, 720, 25, true),
        CeaMode(11, 1280, 720, 50, true),
        CeaMode(12, 1920, 1080, 25, true),
        CeaMode(13, 1920, 1080, 50, true),
        CeaMode(14, 1920, 1080, 50, false),
        CeaMode(15, 1280, 720, 24, true),
        CeaMode(16, 1920, 1080, 24, true),
    ];

    private static readonly VideoMode[] s_vesa =
    [
        VesaMode(0, 800, 600, 30),
        VesaMode(1, 800, 600, 60),
        VesaMode(2, 1024, 768, 30),
        VesaMode(3, 1024, 768, 60),
        VesaMode(4, 1152, 864, 30),
        VesaMode(5, 1152, 864, 60),
        VesaMode(6, 1280, 768, 30),
        VesaMode(7, 1280, 768, 60),
        VesaMode(8, 1280, 800, 30),
        VesaMode(9, 1280, 800, 60),
        VesaMode(10, 1360, 768, 30),
        VesaMode(11, 1360, 768, 60),
        VesaMode(12, 1366, 768, 30),
        VesaMode(13, 1366, 768, 60),
        VesaMode(14, 1280, 1024, 30),
        VesaMode(15, 1280, 1024, 60),
        VesaMode(16, 1400, 1050, 30),
        VesaMode(17, 1400, 1050, 60),
        VesaMode(18, 1440, 900, 30),
        VesaMode(19, 1440, 900, 60),
        VesaMode(20, 1600, 900, 30),
        VesaMode(21, 1600, 900, 60),
        VesaMode(22, 1600, 1200, 30),
        VesaMode(23, 1600, 1200, 60),
        VesaMode(24, 1680, 1024, 30),
        VesaMode(25, 1680, 1024, 60),
        VesaMode(26, 1680, 1050, 30),
        VesaMode(27, 1680, 1050, 60),
        VesaMode(28, 1920, 1200, 30),
    ];

    private static readonly VideoMode[] s_hh =
    [
        HhMode(0, 800, 480, 30),
        HhMode(1, 800, 480, 60),
        HhMode(2, 854, 480, 30),
        HhMode(3, 854, 480, 60),
        HhMode(4, 864, 480, 30),
        HhMode(5, 864, 480, 60),
        HhMode(6, 640, 360, 30),
        HhMode(7, 640, 360, 60),
        HhMode(8, 960, 540, 30),
        HhMode(9, 960, 540, 60),
        HhMode(10, 848, 480, 30),
        HhMode(11, 848, 480, 60),
    ];

    /// <summary>CEA bits 0–16.</summary>
    public static IReadOnlyList<VideoMode> Cea => s_cea;

    /// <summary>VESA bits 0–28.</summary>
    public static IReadOnlyList<VideoMode> Vesa => s_vesa;

    /// <summary>HH bits 0–11.</summary>
    public static IReadOnlyList<VideoMode> Hh => s_hh;

    /// <summary>The entries of <paramref name="table"/> in bit order.</summary>
    public static IReadOnlyList<VideoMode> Get(ResolutionTable table) => GetArray(table);

    /// <summary>The defined (non-reserved) bits of <paramref name="table"/>: CEA 0x0001FFFF, VESA 0x1FFFFFFF, HH 0x00000FFF.</summary>
    public static uint ValidMask(ResolutionTable table) => table switch
    {
        ResolutionTable.Cea => CeaMask,
        ResolutionTable.Vesa => VesaMask,
        ResolutionTable.Hh => HhMask,
        _ => 0,
    };

    /// <summary>The mode at <paramref name="bit"/> of <paramref name="table"/>; false for a reserved bit.</summary>
    public static bool TryGet(ResolutionTable table, int bit, out VideoMode mode)
    {
        VideoMode[] entries = GetArray(table);
        if (unchecked((uint)bit) < (uint)entries.Length)
        {
            mode = entries[bit];
            return true;
        }

        mode = default;
        return false;
    }

    /// <summary>True when <paramref name="mode"/> is exactly the entry of its table at its bit (not a made-up or reserved mode).</summary>
    public static bool IsDefined(VideoMode mode) => TryGet(mode.Table, mode.Bit, out VideoMode entry) && entry == mode;

    private static VideoMode[] GetArray(ResolutionTable table) => table switch
    {
        ResolutionTable.Cea => s_cea,
        ResolutionTable.Vesa => s_vesa,
        ResolutionTable.Hh => s_hh,
        _ => [],
    };

    private static VideoMode CeaMode(int bit, int width, int height, int rate, bool progressive) =>
        new(ResolutionTable.Cea, bit, width, height, rate, progressive);

    private static VideoMode VesaMode(int bit, int width, int height, int rate) =>
        new(ResolutionTable.Vesa, bit, width, height, rate, true);

    private static VideoMode HhMode(int bit, int width, int height, int rate) =>
        new(ResolutionTable.Hh, bit, width, height, rate, true);
}
