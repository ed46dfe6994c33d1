using System.Buffers.Binary;

namespace Miraflow.Pipeline.Chunks;

/// <summary>Message types of the reference kernel-driver protocol (docs/kernel-protocol.md).</summary>
public enum KernelMessageType : ushort
{
    /// <summary>Chunk private data: what a chunk holds and where (KMD → UMD).</summary>
    ChunkDescriptor = 1,

    /// <summary>A sink's monitor is available: connector type, the streamed mode and the EDID (UMD → KMD).</summary>
    MonitorArrival = 16,

    /// <summary>The sink's monitor was unplugged (UMD → KMD).</summary>
    MonitorDeparture = 17,

    /// <summary>Asks where the frame store is (UMD → KMD).</summary>
    QueryFrameStore = 18,

    /// <summary>Gives frame-store slots back (UMD → KMD).</summary>
    ReleaseSlots = 19,

    /// <summary>The answer to <see cref="QueryFrameStore"/> (KMD → UMD).</summary>
    FrameStoreInfo = 20,

    /// <summary>Asks the GPU encoder for an IDR at its next picture (UMD → KMD; pass-through sessions).</summary>
    RequestIdr = 21,

    /// <summary>The Miracast monitor was powered off (KMD → UMD).</summary>
    PowerOff = 32,

    /// <summary>The Miracast monitor was powered on again (KMD → UMD).</summary>
    PowerOn = 33,

    /// <summary>The OS set a new mode on the Miracast target: stream it (KMD → UMD).</summary>
    SetMode = 34,
}

/// <summary>Why a kernel-protocol message was refused.</summary>
public enum KernelMessageError
{
    /// <summary>The message is valid.</summary>
    None,

    /// <summary>Fewer bytes than the header or the message's stated size.</summary>
    Truncated,

    /// <summary>The magic is not 'MFKP'.</summary>
    BadMagic,

    /// <summary>A version this build does not know.</summary>
    UnsupportedVersion,

    /// <summary>Not the message type expected here.</summary>
    WrongType,

    /// <summary>The stated size is smaller than the message's fixed part.</summary>
    BadSize,

    /// <summary>A field is out of range (named in the error text).</summary>
    BadField,
}

/// <summary>
/// The 12-byte header of every reference-protocol message (docs/kernel-protocol.md):
/// <c>'MFKP'</c>, version (1), type, size of the whole message.
/// </summary>
public static class KernelMessage
{
    /// <summary>The header size.</summary>
    public const int HeaderSize = 12;

    /// <summary>'M' 'F' 'K' 'P' as a little-endian uint32.</summary>
    public const uint Magic = 0x504B_464D;

    /// <summary>The protocol version this build speaks.</summary>
    public const ushort Version = 1;

    /// <summary>Writes a header.</summary>
    public static void WriteHeader(Span<byte> destination, KernelMessageType type, int size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)type);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], (uint)size);
    }

    /// <summary>
    /// Checks the header of a message of type <paramref name="expected"/> whose fixed part is
    /// <paramref name="minimumSize"/> bytes; on success <paramref name="size"/> is its stated size.
    /// </summary>
    public static KernelMessageError CheckHeader(ReadOnlySpan<byte> message, KernelMessageType expected, int minimumSize, out int size)
    {
        size = 0;
        if (message.Length < HeaderSize)
        {
            return KernelMessageError.Truncated;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(message) != Magic)
        {
            return KernelMessageError.BadMagic;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(message[4..]) != Version)
        {
            return KernelMessageError.UnsupportedVersion;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(message[6..]) != (ushort)expected)
        {
            return KernelMessageError.WrongType;
        }

        uint stated = BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);
        if (stated < minimumSize)
        {
            return KernelMessageError.BadSize;
        }

        if (stated > (uint)message.Length)
        {
            return KernelMessageError.Truncated;
        }

        size = (int)stated;
        return KernelMessageError.None;
    }

    /// <summary>Reads the type of a message whose header is valid; false otherwise.</summary>
    public static bool TryReadType(ReadOnlySpan<byte> message, out KernelMessageType type)
    {
        type = default;
        if (message.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(message) != Magic || BinaryPrimitives.ReadUInt16LittleEndian(message[4..]) != Version)
        {
            return false;
        }

        type = (KernelMessageType)BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        return true;
    }
}
