namespace Miraflow.Rtsp.Parameters;

/// <summary>Audio formats of <c>wfd_audio_codecs</c> (protocol doc §2.5).</summary>
public enum AudioFormat
{
    Lpcm,
    Aac,
    Ac3,
}
