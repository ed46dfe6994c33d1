namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// One entry of <c>wfd_audio_codecs</c>: format, mode bitmap (8 hex digits) and latency (2 hex
/// digits, units of 5 ms). Mode bits (protocol doc §2.5): LPCM bit 0 = 44.1 kHz 2 ch, bit 1 = 48 kHz
/// 2 ch; AAC bits 0–3 = 48 kHz 2/4/6/8 ch; AC3 bits 0–2 = 48 kHz 2/4/6 ch. Other bits are reserved.
/// </summary>
public readonly record struct AudioCodec(AudioFormat Format, uint Modes, byte Latency)
{
    /// <summary>The defined mode bits of <paramref name="format"/>: LPCM 0x3, AAC 0xF, AC3 0x7.</summary>
    public static uint ValidModes(AudioFormat format) => format switch
    {
        AudioFormat.Lpcm => 0x3,
        AudioFormat.Aac => 0xF,
        AudioFormat.Ac3 => 0x7,
        _ => 0,
    };

    /// <summary><see cref="Modes"/> with reserved bits masked off.</summary>
    public uint SupportedModes => Modes & ValidModes(Format);

    /// <summary>
    /// Sample rate and channel count of mode bit <paramref name="bit"/> of <paramref name="format"/>;
    /// false for a reserved bit.
    /// </summary>
    public static bool TryGetMode(AudioFormat format, int bit, out int sampleRate, out int channels)
    {
        (sampleRate, channels) = (format, bit) switch
        {
            (AudioFormat.Lpcm, 0) => (44_100, 2),
            (AudioFormat.Lpcm, 1) => (48_000, 2),
            (AudioFormat.Aac, >= 0 and <= 3) => (48_000, 2 * (bit + 1)),
            (AudioFormat.Ac3, >= 0 and <= 2) => (48_000, 2 * (bit + 1)),
            _ => (0, 0),
        };
        return sampleRate != 0;
    }
}
