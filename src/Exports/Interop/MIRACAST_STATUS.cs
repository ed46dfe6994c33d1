namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_STATUS</c> (netdispumdddi.h): why the UMD reports the session as failed through
/// <c>ReportSessionStatus</c>. 4 bytes, <c>uint</c>-backed like every Miracast enum.
/// </summary>
public enum MIRACAST_STATUS : uint
{
    /// <summary>Unspecified fatal error; the session cannot go on.</summary>
    MIRACAST_STATUS_CRITICAL_ERROR = 0,

    /// <summary>The sink did not answer the protocol keep-alive.</summary>
    MIRACAST_STATUS_MISSING_KEEPALIVE = 1,

    /// <summary>The sink asked to be disconnected (the misspelling is the SDK's identifier).</summary>
    MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST = 2,

    /// <summary>The link bandwidth changed so the current mode cannot be sustained.</summary>
    MIRACAST_STATUS_INSUFFICIENT_BANDWIDTH = 3,

    /// <summary>The sink failed to apply a standard VESA/CEA/handheld mode change.</summary>
    MIRACAST_STATUS_SINK_FAILED_STANDARD_MODE_CHANGE = 4,

    /// <summary>
    /// Only in later copies of the header (a post-8.1 "companion driver" addition); not on the
    /// Windows 8.1 reference page. A Windows 8.1 UMD must not report it.
    /// </summary>
    MIRACAST_STATUS_COMPANION_DRIVER_DISCONNECT = 5,

    /// <summary>Forces the enum to 32 bits; never a real value.</summary>
    MIRACAST_STATUS_FORCE_UINT32 = 0xFFFFFFFF,
}
