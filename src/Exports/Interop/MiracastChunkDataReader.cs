using System.Runtime.InteropServices;

namespace Miraflow.Exports.Interop;

/// <summary>
/// Reads the packed <see cref="MIRACAST_CHUNK_DATA"/> entries <c>GetNextChunkData</c> wrote,
/// one at a time, with unaligned loads (driver contract §1.3 and §2.12).
/// </summary>
/// <remarks>
/// <para>
/// Each entry is <see cref="HeaderSize"/> (28) bytes of <c>ChunkInfo</c> and
/// <c>PrivateDriverDataSize</c>, followed by <c>PrivateDriverDataSize</c> bytes of private data;
/// the next entry starts right after them, with no padding (the documented stride
/// <c>FIELD_OFFSET(MIRACAST_CHUNK_DATA, PrivateDriverData) + PrivateDriverDataSize</c>). So only
/// the first entry is known to be aligned, and every field is read with
/// <see cref="MemoryMarshal.Read{T}(ReadOnlySpan{byte})"/>, an unaligned load. Values are in the
/// machine's byte order (little-endian on every Windows platform).
/// </para>
/// <para>
/// Give it exactly the bytes the OS reported in <c>*pChunkDataBufferSize</c>. When
/// <see cref="TryReadNext"/> returns <see langword="false"/> with <see cref="BytesRemaining"/>
/// not 0, the tail is a truncated entry (fewer than 28 bytes, or fewer private bytes than its
/// size claims): the buffer is malformed.
/// </para>
/// </remarks>
public ref struct MiracastChunkDataReader
{
    /// <summary>
    /// <c>FIELD_OFFSET(MIRACAST_CHUNK_DATA, PrivateDriverData)</c>: the bytes of an entry before its
    /// private data (<c>MIRACAST_CHUNK_INFO</c>, 24, and <c>PrivateDriverDataSize</c>, 4).
    /// </summary>
    public const int HeaderSize = 28;

    private const int PrivateDriverDataSizeOffset = 24;

    private ReadOnlySpan<byte> _remaining;

    /// <summary>Starts reading at the first entry of <paramref name="buffer"/>.</summary>
    public MiracastChunkDataReader(ReadOnlySpan<byte> buffer)
    {
        _remaining = buffer;
    }

    /// <summary>The bytes not consumed yet.</summary>
    public readonly int BytesRemaining => _remaining.Length;

    /// <summary>
    /// Reads the next entry. Returns <see langword="false"/> (and consumes nothing) when no
    /// complete entry is left.
    /// </summary>
    /// <param name="chunkInfo">The entry's <c>ChunkInfo</c>.</param>
    /// <param name="privateDriverData">The entry's private data, <c>PrivateDriverDataSize</c> bytes, a slice of the buffer.</param>
    public bool TryReadNext(out MIRACAST_CHUNK_INFO chunkInfo, out ReadOnlySpan<byte> privateDriverData)
    {
        if (_remaining.Length < HeaderSize)
        {
            chunkInfo = default;
            privateDriverData = default;
            return false;
        }

        uint size = MemoryMarshal.Read<uint>(_remaining[PrivateDriverDataSizeOffset..]);
        if (size > (uint)(_remaining.Length - HeaderSize))
        {
            chunkInfo = default;
            privateDriverData = default;
            return false;
        }

        chunkInfo = MemoryMarshal.Read<MIRACAST_CHUNK_INFO>(_remaining);
        privateDriverData = _remaining.Slice(HeaderSize, (int)size);
        _remaining = _remaining[(HeaderSize + (int)size)..];
        return true;
    }
}
