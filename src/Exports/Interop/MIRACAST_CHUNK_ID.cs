using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_CHUNK_ID</c> (netdispumdddi.h; same layout as the kernel's
/// <c>DXGK_MIRACAST_CHUNK_ID</c>): the frame and part an encode chunk belongs to, as a union of
/// two <c>UINT64</c> bit-fields and the whole <c>UINT64 Value</c>. 8 bytes, 8-aligned, on x86
/// and x64.
/// </summary>
/// <remarks>
/// MSVC allocates bit-fields from the least significant bit:
/// <code>
///  63                      40 39                                               0
/// +--------------------------+--------------------------------------------------+
/// |  PartNumber (24 bits)    |  FrameNumber (40 bits)                           |
/// +--------------------------+--------------------------------------------------+
/// </code>
/// <c>FrameNumber = Value &amp; 0xFF_FFFF_FFFF</c>, <c>PartNumber = Value &gt;&gt; 40</c>. The setters
/// keep only the low 40 (24) bits of what they are given, as a C bit-field store does.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public partial struct MIRACAST_CHUNK_ID
{
    /// <summary>The anonymous bit-field struct.</summary>
    [FieldOffset(0)]
    [NativeTypeName("struct { UINT64 FrameNumber : 40; UINT64 PartNumber : 24; }")]
    public _Anonymous_e__Struct Anonymous;

    /// <summary>The whole identifier.</summary>
    [FieldOffset(0)]
    [NativeTypeName("UINT64")]
    public ulong Value;

    /// <summary>The number of the frame (bits 0–39; at most 1,099,511,627,775).</summary>
    public ulong FrameNumber
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        readonly get => Anonymous.FrameNumber;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => Anonymous.FrameNumber = value;
    }

    /// <summary>The number of the part within the frame (bits 40–63; at most 16,777,215).</summary>
    public ulong PartNumber
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        readonly get => Anonymous.PartNumber;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => Anonymous.PartNumber = value;
    }

    /// <summary>The anonymous <c>struct { UINT64 FrameNumber : 40; UINT64 PartNumber : 24; }</c>.</summary>
    public partial struct _Anonymous_e__Struct
    {
        /// <summary>The storage unit both bit-fields share.</summary>
        public ulong _bitfield;

        /// <summary>Bits 0–39 of <see cref="_bitfield"/>.</summary>
        [NativeTypeName("UINT64 : 40")]
        public ulong FrameNumber
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            readonly get => _bitfield & 0xFF_FFFF_FFFFUL;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            set => _bitfield = (_bitfield & ~0xFF_FFFF_FFFFUL) | (value & 0xFF_FFFF_FFFFUL);
        }

        /// <summary>Bits 40–63 of <see cref="_bitfield"/>.</summary>
        [NativeTypeName("UINT64 : 24")]
        public ulong PartNumber
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            readonly get => (_bitfield >> 40) & 0xFF_FFFFUL;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            set => _bitfield = (_bitfield & ~(0xFF_FFFFUL << 40)) | ((value & 0xFF_FFFFUL) << 40);
        }
    }
}
