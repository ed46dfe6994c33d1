using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Negotiation;

/// <summary>What our source can send: the input of <see cref="FormatNegotiator"/>.</summary>
public sealed class SourceCapabilities
{
    /// <summary>Our defaults: CBP up to level 4.2, every R1 mode, LPCM and AAC 48 kHz stereo.</summary>
    public static SourceCapabilities Default { get; } = new();

    /// <summary>Profiles our encoder produces. Default CBP only.</summary>
    public H264Profiles Profiles { get; init; } = H264Profiles.ConstrainedBaseline;

    /// <summary>Choose CHP when both sides support it (protocol doc §2.8: CBP unless configured). Default false.</summary>
    public bool PreferConstrainedHigh { get; init; }

    /// <summary>Highest level our encoder produces. Default 4.2.</summary>
    public H264Levels MaxLevel { get; init; } = H264Levels.Level42;

    /// <summary>Our CEA modes (bitmap). Default all 17.</summary>
    public uint Cea { get; init; } = 0x0001FFFF;

    /// <summary>Our VESA modes (bitmap). Default bits 0–28.</summary>
    public uint Vesa { get; init; } = 0x1FFFFFFF;

    /// <summary>Our HH modes (bitmap). Default bits 0–11.</summary>
    public uint Hh { get; init; } = 0x00000FFF;

    /// <summary>Allow interlaced modes (only after every progressive one). Default false: we encode progressive.</summary>
    public bool AllowInterlaced { get; init; }

    /// <summary>Audio formats we can send, in order of preference. Default LPCM, then AAC.</summary>
    public IReadOnlyList<AudioFormat> AudioFormats { get; init; } = [AudioFormat.Lpcm, AudioFormat.Aac];

    /// <summary>
    /// Force this mode whatever the sink advertises (protocol doc §5.9 manual override), or null.
    /// </summary>
    public VideoMode? ForcedMode { get; init; }
}
