using System.Runtime.InteropServices;

namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_CHUNK_INFO</c> (netdispumdddi.h; same layout as the kernel's
/// <c>DXGK_MIRACAST_CHUNK_INFO</c>): one encode chunk as the KMD reported it. 24 bytes on x86 and
/// x64.
/// </summary>
/// <remarks>
/// Explicit offsets, because MSVC aligns the <c>UINT64</c> inside <see cref="ChunkId"/> to 8 on
/// x86 too (4 bytes of padding after <see cref="ChunkType"/>):
/// <code>
///  0          4          8                     16               20             24
/// +----------+----------+---------------------+----------------+--------------+
/// | ChunkType| (padding)| ChunkId             | ProcessingTime | EncodeRate   |
/// +----------+----------+---------------------+----------------+--------------+
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public partial struct MIRACAST_CHUNK_INFO
{
    /// <summary>What the chunk reports.</summary>
    [FieldOffset(0)]
    public MIRACAST_CHUNK_TYPE ChunkType;

    /// <summary>The frame and part the chunk belongs to.</summary>
    [FieldOffset(8)]
    public MIRACAST_CHUNK_ID ChunkId;

    /// <summary>How long the processing took, in microseconds.</summary>
    [FieldOffset(16)]
    [NativeTypeName("UINT")]
    public uint ProcessingTime;

    /// <summary>The encode rate the driver reports for the chunk, in kilobits per second.</summary>
    [FieldOffset(20)]
    [NativeTypeName("UINT")]
    public uint EncodeRate;
}
