namespace Miraflow.Pipeline.Ts;

/// <summary>
/// The packet identifiers of a WFD transport stream: the layout of the Android WFD source, which
/// real sinks are tuned to (protocol doc §3.1, design.md decisions).
/// </summary>
public static class TsPid
{
    /// <summary>Program association table.</summary>
    public const int Pat = 0x0000;

    /// <summary>Program map table of program 1.</summary>
    public const int Pmt = 0x0100;

    /// <summary>The PID that carries only PCR (adaptation-field-only packets).</summary>
    public const int Pcr = 0x1000;

    /// <summary>H.264 video.</summary>
    public const int Video = 0x1011;

    /// <summary>Audio (LPCM or AAC).</summary>
    public const int Audio = 0x1100;

    /// <summary>The null packet PID.</summary>
    public const int Null = 0x1FFF;
}
