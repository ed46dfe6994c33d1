using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_CHUNK_DATA</c> (netdispumdddi.h): one variable-length entry of the buffer
/// <c>GetNextChunkData</c> fills, as declared (with the one-byte <c>PrivateDriverData</c> array
/// the header uses as a variable-length tail). 32 bytes on x86 and x64.
/// </summary>
/// <remarks>
/// <code>
///  0                                24                        28         28+n
/// +--------------------------------+-------------------------+----------+
/// | ChunkInfo (MIRACAST_CHUNK_INFO) | PrivateDriverDataSize   | n bytes  |  next entry ...
/// +--------------------------------+-------------------------+----------+
/// </code>
/// The OS packs entries back to back: each one takes
/// <c>FIELD_OFFSET(MIRACAST_CHUNK_DATA, PrivateDriverData) + PrivateDriverDataSize</c> =
/// <c>28 + n</c> bytes, with no padding, so an entry after the first may be misaligned for its
/// 8-byte <c>ChunkId</c>. Never dereference a <c>MIRACAST_CHUNK_DATA*</c> past the first entry;
/// read the buffer with <see cref="MiracastChunkDataReader"/>, which uses unaligned loads.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public partial struct MIRACAST_CHUNK_DATA
{
    /// <summary>The chunk.</summary>
    [FieldOffset(0)]
    public MIRACAST_CHUNK_INFO ChunkInfo;

    /// <summary>How many bytes of private driver data follow at <see cref="PrivateDriverData"/>.</summary>
    [FieldOffset(24)]
    [NativeTypeName("UINT")]
    public uint PrivateDriverDataSize;

    /// <summary>The first byte of the KMD's private data (<c>PrivateDriverDataSize</c> bytes in all).</summary>
    [FieldOffset(28)]
    [NativeTypeName("UCHAR[1]")]
    public _PrivateDriverData_e__FixedBuffer PrivateDriverData;

    /// <summary><c>UCHAR PrivateDriverData[1]</c>: the start of the variable-length tail.</summary>
    [InlineArray(1)]
    public partial struct _PrivateDriverData_e__FixedBuffer
    {
        /// <summary>The first element.</summary>
        public byte e0;
    }
}
