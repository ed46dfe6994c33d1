using System.Runtime.InteropServices;

namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_WFD_CONNECTION_STATS</c> (netdispumdddi.h): the link figures the OS passes to
/// <c>StartMiracastSession</c>. Three <c>UINT64</c>s, 24 bytes on x86 and x64.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public partial struct MIRACAST_WFD_CONNECTION_STATS
{
    /// <summary>The bit rate (bit/s) the OS recommends for the audio/video encoder.</summary>
    [FieldOffset(0)]
    [NativeTypeName("UINT64")]
    public ulong CurrentBitRate;

    /// <summary>The highest bit rate (bit/s) the local Wi-Fi Direct hardware supports.</summary>
    [FieldOffset(8)]
    [NativeTypeName("UINT64")]
    public ulong LocalMaxBitRate;

    /// <summary>The highest bit rate (bit/s) the sink's hardware supports.</summary>
    [FieldOffset(16)]
    [NativeTypeName("UINT64")]
    public ulong RemoteMaxBitRate;
}
