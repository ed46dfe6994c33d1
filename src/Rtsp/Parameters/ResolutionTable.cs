namespace Miraflow.Rtsp.Parameters;

/// <summary>The three WFD resolution/refresh tables (protocol doc §2.3). Values are the native-byte table codes.</summary>
public enum ResolutionTable
{
    Cea = 0,
    Vesa = 1,
    Hh = 2,
}
