namespace Miraflow.Rtsp.Parameters;

/// <summary>Audio formats of <c>wfd_audio_codecs</c> (protocol doc §2.5).</summary>
public enum AudioFormat
{
    /// <summary>LPCM (16 bit; 44.1 or 48 kHz stereo).</summary>
    Lpcm,

    /// <summary>AAC (48 kHz; 2, 4, 6 or 8 channels).</summary>
    Aac,

    /// <summary>AC-3 (48 kHz; 2, 4 or 6 channels).</summary>
    Ac3,
}
