using System.Runtime.InteropServices;

namespace Miraflow.Exports.Interop;

/// <summary>
/// Packs <see cref="MIRACAST_CHUNK_DATA"/> entries the way the documented
/// <c>GetNextChunkData</c> buffer holds them: back to back, <c>28 + PrivateDriverDataSize</c>
/// bytes each, no padding. For whoever plays the OS (the simulator, tests); the driver itself only
/// reads such buffers, with <see cref="MiracastChunkDataReader"/>.
/// </summary>
public static class MiracastChunkDataWriter
{
    /// <summary>The bytes one entry with <paramref name="privateDriverDataSize"/> bytes of private data takes.</summary>
    public static long GetEntrySize(uint privateDriverDataSize) => MiracastChunkDataReader.HeaderSize + (long)privateDriverDataSize;

    /// <summary>
    /// Writes one entry at the start of <paramref name="destination"/> (which need not be aligned).
    /// Returns <see langword="false"/>, writing nothing, when it does not fit. The 4 padding bytes
    /// inside <c>ChunkInfo</c> are written as zeros.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, in MIRACAST_CHUNK_INFO chunkInfo, ReadOnlySpan<byte> privateDriverData, out int bytesWritten)
    {
        if (destination.Length < MiracastChunkDataReader.HeaderSize
            || privateDriverData.Length > destination.Length - MiracastChunkDataReader.HeaderSize)
        {
            bytesWritten = 0;
            return false;
        }

        MemoryMarshal.Write(destination, in chunkInfo);
        destination.Slice(4, 4).Clear();
        uint size = (uint)privateDriverData.Length;
        MemoryMarshal.Write(destination[24..], in size);
        privateDriverData.CopyTo(destination[MiracastChunkDataReader.HeaderSize..]);
        bytesWritten = MiracastChunkDataReader.HeaderSize + privateDriverData.Length;
        return true;
    }
}
