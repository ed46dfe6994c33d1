using System.Runtime.InteropServices;

namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_DATARATE_STATS</c> (netdispumdddi.h): one QoS sample the OS passes to the
/// <c>PFN_DATARATE_NOTIFICATION</c> routine (about once a second). Six <c>UINT64</c>s, 48 bytes on
/// x86 and x64. Frame counts cover the time since the previous sample.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
public partial struct MIRACAST_DATARATE_STATS
{
    /// <summary>The bit rate (bit/s) the OS recommends for the audio/video encoder.</summary>
    [FieldOffset(0)]
    [NativeTypeName("UINT64")]
    public ulong EncoderBitRate;

    /// <summary>The theoretical maximum rate (bit/s) the Wi-Fi driver reports.</summary>
    [FieldOffset(8)]
    [NativeTypeName("UINT64")]
    public ulong CurrentMaxTxDataRate;

    /// <summary>Wi-Fi frames sent without a retry.</summary>
    [FieldOffset(16)]
    [NativeTypeName("UINT64")]
    public ulong TransmittedFrameCount;

    /// <summary>Wi-Fi frames that exhausted the maximum number of retries.</summary>
    [FieldOffset(24)]
    [NativeTypeName("UINT64")]
    public ulong FailedFrameCount;

    /// <summary>Wi-Fi frames that succeeded after exactly one retry.</summary>
    [FieldOffset(32)]
    [NativeTypeName("UINT64")]
    public ulong RetriedFrameCount;

    /// <summary>Wi-Fi frames that succeeded after more than one retry.</summary>
    [FieldOffset(40)]
    [NativeTypeName("UINT64")]
    public ulong MultipleRetryFrameCount;
}
