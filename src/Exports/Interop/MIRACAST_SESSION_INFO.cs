using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_SESSION_INFO</c> (netdispumdddi.h): the flags <c>StartMiracastSession</c> returns,
/// as a union of <c>UINT</c> bit-fields and the whole <c>UINT Value</c>. 4 bytes on x86 and x64.
/// </summary>
/// <remarks>
/// <code>
///  31                                                             2   1   0
/// +-----------------------------------------------------------------+---+---+
/// |  Reserved (30 bits, must be 0)                                  | R | M |
/// +-----------------------------------------------------------------+---+---+
///   M = MonitorConnected (0x1), R = ReducedModeListDueToBandwidth (0x2)
/// </code>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 4)]
public partial struct MIRACAST_SESSION_INFO
{
    /// <summary>The anonymous bit-field struct.</summary>
    [FieldOffset(0)]
    [NativeTypeName("struct { UINT MonitorConnected : 1; UINT ReducedModeListDueToBandwidth : 1; UINT Reserved : 30; }")]
    public _Anonymous_e__Struct Anonymous;

    /// <summary>All the flags.</summary>
    [FieldOffset(0)]
    [NativeTypeName("UINT")]
    public uint Value;

    /// <summary>1 when the sink has a monitor connected (bit 0).</summary>
    public uint MonitorConnected
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        readonly get => Anonymous.MonitorConnected;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => Anonymous.MonitorConnected = value;
    }

    /// <summary>1 when the mode list was cut down because of the link bandwidth (bit 1).</summary>
    public uint ReducedModeListDueToBandwidth
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        readonly get => Anonymous.ReducedModeListDueToBandwidth;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => Anonymous.ReducedModeListDueToBandwidth = value;
    }

    /// <summary>Bits 2–31; must be 0.</summary>
    public uint Reserved
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        readonly get => Anonymous.Reserved;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => Anonymous.Reserved = value;
    }

    /// <summary>The anonymous bit-field struct.</summary>
    public partial struct _Anonymous_e__Struct
    {
        /// <summary>The storage unit the three bit-fields share.</summary>
        public uint _bitfield;

        /// <summary>Bit 0 of <see cref="_bitfield"/>.</summary>
        [NativeTypeName("UINT : 1")]
        public uint MonitorConnected
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            readonly get => _bitfield & 0x1u;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            set => _bitfield = (_bitfield & ~0x1u) | (value & 0x1u);
        }

        /// <summary>Bit 1 of <see cref="_bitfield"/>.</summary>
        [NativeTypeName("UINT : 1")]
        public uint ReducedModeListDueToBandwidth
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            readonly get => (_bitfield >> 1) & 0x1u;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            set => _bitfield = (_bitfield & ~(0x1u << 1)) | ((value & 0x1u) << 1);
        }

        /// <summary>Bits 2–31 of <see cref="_bitfield"/>.</summary>
        [NativeTypeName("UINT : 30")]
        public uint Reserved
        {
            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            readonly get => (_bitfield >> 2) & 0x3FFF_FFFFu;

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            set => _bitfield = (_bitfield & ~(0x3FFF_FFFFu << 2)) | ((value & 0x3FFF_FFFFu) << 2);
        }
    }
}
