namespace Miraflow.Pipeline.Chunks;

/// <summary>
/// The kind of a chunk notification: <c>MIRACAST_CHUNK_TYPE</c> (netdispumdddi.h), the same
/// numbering as the kernel's <c>DXGK_MIRACAST_CHUNK_TYPE</c> (contract doc §1.2).
/// </summary>
public enum ChunkType : uint
{
    /// <summary>Unknown or undefined.</summary>
    Unknown = 0,

    /// <summary>Colour conversion of the frame or part finished: a raw picture.</summary>
    ColorConvertComplete = 1,

    /// <summary>Encoding of the frame or part finished: H.264 bitstream.</summary>
    EncodeComplete = 2,

    /// <summary>Processing of a new desktop frame started.</summary>
    FrameStart = 3,

    /// <summary>The frame or part will not be completed and sent.</summary>
    FrameDropped = 4,

    /// <summary>Vendor-defined #1.</summary>
    DriverDefined1 = 0x8000_0000,

    /// <summary>Vendor-defined #2.</summary>
    DriverDefined2 = 0x8000_0001,
}
