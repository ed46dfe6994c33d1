namespace Miraflow.Pipeline.Ts;

/// <summary>The audio codec carried on the audio PID.</summary>
public enum TsAudioCodec
{
    /// <summary>No audio stream (video only).</summary>
    None,

    /// <summary>WFD LPCM: 16-bit big-endian samples behind a 4-byte header, stream type 0x83.</summary>
    Lpcm,

    /// <summary>AAC in ADTS frames, stream type 0x0F.</summary>
    Aac,
}

/// <summary>The audio stream of a WFD program.</summary>
/// <param name="Codec">The codec, or <see cref="TsAudioCodec.None"/>.</param>
/// <param name="SampleRate">Samples per second per channel (LPCM: 44 100 or 48 000).</param>
/// <param name="Channels">Channel count (LPCM: 2).</param>
public readonly record struct TsAudio(TsAudioCodec Codec, int SampleRate, int Channels)
{
    /// <summary>No audio.</summary>
    public static TsAudio None => default;

    /// <summary>LPCM 48 kHz stereo, WFD's mandatory audio mode and our default.</summary>
    public static TsAudio Lpcm48kStereo => new(TsAudioCodec.Lpcm, 48_000, 2);

    /// <summary>AAC-LC 48 kHz stereo in ADTS.</summary>
    public static TsAudio Aac48kStereo => new(TsAudioCodec.Aac, 48_000, 2);

    /// <summary>Whether the stream exists.</summary>
    public bool IsPresent => Codec != TsAudioCodec.None;

    /// <summary>Throws when the combination cannot be carried.</summary>
    public void Validate()
    {
        switch (Codec)
        {
            case TsAudioCodec.None:
                return;
            case TsAudioCodec.Lpcm when SampleRate is 44_100 or 48_000 && Channels == 2:
                return;
            case TsAudioCodec.Lpcm:
                throw new ArgumentException($"WFD LPCM is 44.1 or 48 kHz stereo; {SampleRate} Hz with {Channels} channels cannot be carried.");
            case TsAudioCodec.Aac when SampleRate > 0 && Channels is >= 1 and <= 8:
                return;
            case TsAudioCodec.Aac:
                throw new ArgumentException($"AAC needs a positive sample rate and 1 to 8 channels; got {SampleRate} Hz, {Channels} channels.");
            default:
                throw new ArgumentException($"Unknown audio codec {Codec}.");
        }
    }
}

/// <summary>
/// The AVC video descriptor's three SPS bytes (ISO/IEC 13818-1 §2.6.64): profile_idc, the
/// constraint_set flags byte and level_idc.
/// </summary>
public readonly record struct AvcProfileLevel(byte ProfileIdc, byte ConstraintFlags, byte LevelIdc)
{
    /// <summary>Constrained Baseline (profile_idc 66, constraint_set0 and 1) at level 3.1.</summary>
    public static AvcProfileLevel ConstrainedBaseline31 => new(66, 0xC0, 31);

    /// <summary>Constrained Baseline at <paramref name="levelIdc"/>.</summary>
    public static AvcProfileLevel ConstrainedBaseline(byte levelIdc) => new(66, 0xC0, levelIdc);

    /// <summary>Constrained High (profile_idc 100, constraint_set4 and 5) at <paramref name="levelIdc"/>.</summary>
    public static AvcProfileLevel ConstrainedHigh(byte levelIdc) => new(100, 0x0C, levelIdc);
}
