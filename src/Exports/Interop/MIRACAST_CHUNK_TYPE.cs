namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_CHUNK_TYPE</c> (netdispumdddi.h; numbered like the kernel's
/// <c>DXGK_MIRACAST_CHUNK_TYPE</c>): what an encode chunk reports. 4 bytes; <c>uint</c>-backed
/// because the driver-defined values have the top bit set.
/// </summary>
public enum MIRACAST_CHUNK_TYPE : uint
{
    /// <summary>Unknown or undefined.</summary>
    MIRACAST_CHUNK_TYPE_UNKNOWN = 0,

    /// <summary>Colour conversion finished for the chunk.</summary>
    MIRACAST_CHUNK_TYPE_COLOR_CONVERT_COMPLETE = 1,

    /// <summary>Encoding finished for the chunk.</summary>
    MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE = 2,

    /// <summary>Processing of a new desktop frame started.</summary>
    MIRACAST_CHUNK_TYPE_FRAME_START = 3,

    /// <summary>The frame (or part) will not be completed and sent.</summary>
    MIRACAST_CHUNK_TYPE_FRAME_DROPPED = 4,

    /// <summary>Driver-defined chunk type #1.</summary>
    MIRACAST_CHUNK_TYPE_ENCODE_DRIVER_DEFINED_1 = 0x80000000,

    /// <summary>Driver-defined chunk type #2.</summary>
    MIRACAST_CHUNK_TYPE_ENCODE_DRIVER_DEFINED_2 = 0x80000001,

    /// <summary>Forces the enum to 32 bits; never a real value (the <c>ENCODE_</c> infix is the SDK's).</summary>
    MIRACAST_CHUNK_TYPE_ENCODE_FORCE_UINT32 = 0xFFFFFFFF,
}
