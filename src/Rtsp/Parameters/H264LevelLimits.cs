namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// H.264 Annex A (Table A-1) limits of the five WFD R1 levels, and which modes each level can
/// carry. A mode needs <c>ceil(w/16) × ceil(h/16)</c> macroblocks per frame (≤ MaxFS, and neither
/// dimension above <c>sqrt(8 × MaxFS)</c> macroblocks) and that many times the frame rate per
/// second (≤ MaxMBPS); an interlaced mode's frame rate is its field rate / 2.
/// </summary>
public static class H264LevelLimits
{
    private static readonly H264Levels[] s_levels =
        [H264Levels.Level31, H264Levels.Level32, H264Levels.Level40, H264Levels.Level41, H264Levels.Level42];

    /// <summary>The R1 levels, lowest first.</summary>
    public static ReadOnlySpan<H264Levels> Levels => s_levels;

    /// <summary>Max macroblocks per second (MaxMBPS) of one level; 0 for anything else.</summary>
    public static int MaxMacroblocksPerSecond(H264Levels level) => level switch
    {
        H264Levels.Level31 => 108_000,
        H264Levels.Level32 => 216_000,
        H264Levels.Level40 => 245_760,
        H264Levels.Level41 => 245_760,
        H264Levels.Level42 => 522_240,
        _ => 0,
    };

    /// <summary>Max frame size in macroblocks (MaxFS) of one level; 0 for anything else.</summary>
    public static int MaxFrameSize(H264Levels level) => level switch
    {
        H264Levels.Level31 => 3_600,
        H264Levels.Level32 => 5_120,
        H264Levels.Level40 => 8_192,
        H264Levels.Level41 => 8_192,
        H264Levels.Level42 => 8_704,
        _ => 0,
    };

    /// <summary>level_idc of one level (31, 32, 40, 41, 42); 0 for anything else.</summary>
    public static int LevelIdc(H264Levels level) => level switch
    {
        H264Levels.Level31 => 31,
        H264Levels.Level32 => 32,
        H264Levels.Level40 => 40,
        H264Levels.Level41 => 41,
        H264Levels.Level42 => 42,
        _ => 0,
    };

    /// <summary>"3.1" … "4.2"; "none" for anything else.</summary>
    public static string ToDisplayString(H264Levels level) => level switch
    {
        H264Levels.Level31 => "3.1",
        H264Levels.Level32 => "3.2",
        H264Levels.Level40 => "4.0",
        H264Levels.Level41 => "4.1",
        H264Levels.Level42 => "4.2",
        _ => "none",
    };

    /// <summary>Macroblocks per frame of <paramref name="mode"/>.</summary>
    public static int MacroblocksPerFrame(VideoMode mode) => WidthInMacroblocks(mode) * HeightInMacroblocks(mode);

    /// <summary>Macroblocks per second of <paramref name="mode"/> (frames, not fields).</summary>
    public static long MacroblocksPerSecond(VideoMode mode) => (long)MacroblocksPerFrame(mode) * mode.FramesPerSecond;

    /// <summary>True when one level (a single bit) can carry <paramref name="mode"/>.</summary>
    public static bool Carries(H264Levels level, VideoMode mode)
    {
        int maxFs = MaxFrameSize(level);
        if (maxFs == 0)
        {
            return false;
        }

        int maxDimension = 8 * maxFs;
        int w = WidthInMacroblocks(mode);
        int h = HeightInMacroblocks(mode);
        return (long)w * h <= maxFs
            && (long)w * w <= maxDimension
            && (long)h * h <= maxDimension
            && MacroblocksPerSecond(mode) <= MaxMacroblocksPerSecond(level);
    }

    /// <summary>The lowest R1 level that carries <paramref name="mode"/>, or <see cref="H264Levels.None"/> when none does.</summary>
    public static H264Levels LowestCarrying(VideoMode mode) => LowestCarrying(mode, H264Levels.Level42);

    /// <summary>
    /// The lowest R1 level up to <paramref name="maxLevel"/> (a single bit) that carries
    /// <paramref name="mode"/>, or <see cref="H264Levels.None"/>.
    /// </summary>
    public static H264Levels LowestCarrying(VideoMode mode, H264Levels maxLevel)
    {
        foreach (H264Levels level in Levels)
        {
            if (level > maxLevel)
            {
                break;
            }

            if (Carries(level, mode))
            {
                return level;
            }
        }

        return H264Levels.None;
    }

    /// <summary>The highest defined level bit in <paramref name="levels"/>, or <see cref="H264Levels.None"/>.</summary>
    public static H264Levels Highest(H264Levels levels)
    {
        for (int i = Levels.Length - 1; i >= 0; i--)
        {
            if ((levels & Levels[i]) != 0)
            {
                return Levels[i];
            }
        }

        return H264Levels.None;
    }

    private static int WidthInMacroblocks(VideoMode mode) => (mode.Width + 15) / 16;

    private static int HeightInMacroblocks(VideoMode mode) => (mode.Height + 15) / 16;
}
