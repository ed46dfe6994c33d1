using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Pipeline.Ts;

/// <summary>Settings of a <see cref="TsMuxer"/>; the defaults are what WFD sinks expect.</summary>
public sealed class TsMuxerOptions
{
    /// <summary>The largest PAT/PMT/PCR interval allowed: MPEG-2 requires a PCR at least every 100 ms.</summary>
    public static readonly TimeSpan MaxPsiInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest time between two emissions of PAT, PMT and PCR. Default 100 ms (Android's
    /// interval, and MPEG-2's limit for PCR). The muxer emits early enough that the next media
    /// unit cannot push the gap past it.
    /// </summary>
    public TimeSpan PsiInterval { get; set; } = MaxPsiInterval;

    /// <summary>
    /// A constant added to every capture time to make the PTS, so that the PTS is not behind the
    /// PCR when the packet arrives (protocol doc §3.2). Default 50 ms.
    /// </summary>
    public TimeSpan PresentationDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The audio stream; default LPCM 48 kHz stereo. <see cref="TsAudio.None"/> for video only.</summary>
    public TsAudio Audio { get; set; } = TsAudio.Lpcm48kStereo;

    /// <summary>
    /// The profile and level announced in the PMT's AVC descriptor until the first SPS is seen
    /// (then the SPS's own bytes are used). Default Constrained Baseline level 3.1.
    /// </summary>
    public AvcProfileLevel Video { get; set; } = AvcProfileLevel.ConstrainedBaseline31;

    /// <summary>The PSI version_number of the first PAT and PMT. Default 1, as Android sources send.</summary>
    public int PsiVersion { get; set; } = PsiWriter.DefaultVersion;

    /// <summary>Options for a negotiated format: its profile, level and audio codec.</summary>
    public static TsMuxerOptions For(NegotiatedFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        byte level = (byte)H264LevelLimits.LevelIdc(format.Level);
        var options = new TsMuxerOptions
        {
            Video = format.Profile == H264Profiles.ConstrainedHigh ? AvcProfileLevel.ConstrainedHigh(level) : AvcProfileLevel.ConstrainedBaseline(level),
            Audio = TsAudio.None,
        };

        if (format.Audio is { } audio && AudioCodec.TryGetMode(audio.Format, LowestMode(audio.SupportedModes), out int rate, out int channels))
        {
            options.Audio = audio.Format switch
            {
                AudioFormat.Lpcm => new TsAudio(TsAudioCodec.Lpcm, rate, channels),
                AudioFormat.Aac => new TsAudio(TsAudioCodec.Aac, rate, channels),
                _ => TsAudio.None,
            };
        }

        return options;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (PsiInterval <= TimeSpan.Zero || PsiInterval > MaxPsiInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(PsiInterval), PsiInterval, "The PAT/PMT/PCR interval must be above 0 and at most 100 ms (MPEG-2's PCR limit).");
        }

        if (PresentationDelay < TimeSpan.Zero || PresentationDelay > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(PresentationDelay), PresentationDelay, "The presentation delay must be between 0 and 1 s.");
        }

        if (PsiVersion is < 0 or > 31)
        {
            throw new ArgumentOutOfRangeException(nameof(PsiVersion), PsiVersion, "The PSI version_number is 5 bits (0-31).");
        }

        Audio.Validate();
    }

    private static int LowestMode(uint modes) => modes == 0 ? -1 : System.Numerics.BitOperations.TrailingZeroCount(modes);
}
