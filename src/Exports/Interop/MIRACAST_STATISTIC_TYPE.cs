namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_STATISTIC_TYPE</c> (netdispumdddi.h): selects the union arm of
/// <see cref="MIRACAST_STATISTIC_DATA"/>. 4 bytes.
/// </summary>
public enum MIRACAST_STATISTIC_TYPE : uint
{
    /// <summary>The UMD finished processing an encode chunk (arm <c>EncodeComplete</c>).</summary>
    MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE = 0,

    /// <summary>A chunk is being handed to the network (arm <c>ChunkSent</c>).</summary>
    MIRACAST_STATISTIC_TYPE_CHUNK_SENT = 1,

    /// <summary>A diagnostic protocol event (arm <c>ProtocolEvent</c>).</summary>
    MIRACAST_STATISTIC_TYPE_EVENT = 2,

    /// <summary>Forces the enum to 32 bits; never a real value.</summary>
    MIRACAST_STATISTIC_TYPE_FORCE_UINT32 = 0xFFFFFFFF,
}
