using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;

namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_STATISTIC_DATA</c> (netdispumdddi.h): one statistic the UMD reports through
/// <c>ReportStatistic</c>. <see cref="StatisticType"/> selects the arm of the anonymous union.
/// 32 bytes on x86 and x64.
/// </summary>
/// <remarks>
/// The union holds a <c>UINT64</c> (inside <c>MIRACAST_CHUNK_INFO</c>), so it is 8-aligned on
/// x86 too and starts at 8:
/// <code>
///  0              4           8                                               32
/// +--------------+-----------+-----------------------------------------------+
/// | StatisticType| (padding) | union: EncodeComplete.ChunkInfo (24)           |
/// |              |           |      | ChunkSent.ChunkId (8)                   |
/// |              |           |      | ProtocolEvent.Event (4)                 |
/// +--------------+-----------+-----------------------------------------------+
/// </code>
/// The arms are reached as in C through <c>[UnscopedRef]</c> accessors:
/// <c>data.EncodeComplete.ChunkInfo</c>, <c>data.ChunkSent.ChunkId</c>,
/// <c>data.ProtocolEvent.Event</c>.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 32)]
public partial struct MIRACAST_STATISTIC_DATA
{
    /// <summary>Which arm of the union is valid.</summary>
    [FieldOffset(0)]
    public MIRACAST_STATISTIC_TYPE StatisticType;

    /// <summary>The anonymous union.</summary>
    [FieldOffset(8)]
    [NativeTypeName("union { struct { MIRACAST_CHUNK_INFO ChunkInfo; } EncodeComplete; struct { MIRACAST_CHUNK_ID ChunkId; } ChunkSent; struct { MIRACAST_PROTOCOL_EVENT Event; } ProtocolEvent; }")]
    public _Anonymous_e__Union Anonymous;

    /// <summary>The arm for <see cref="MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE"/>.</summary>
    [UnscopedRef]
    public ref _Anonymous_e__Union._EncodeComplete_e__Struct EncodeComplete => ref Anonymous.EncodeComplete;

    /// <summary>The arm for <see cref="MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT"/>.</summary>
    [UnscopedRef]
    public ref _Anonymous_e__Union._ChunkSent_e__Struct ChunkSent => ref Anonymous.ChunkSent;

    /// <summary>The arm for <see cref="MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_EVENT"/>.</summary>
    [UnscopedRef]
    public ref _Anonymous_e__Union._ProtocolEvent_e__Struct ProtocolEvent => ref Anonymous.ProtocolEvent;

    /// <summary>The anonymous union of the three single-member structs (24 bytes).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 24)]
    public partial struct _Anonymous_e__Union
    {
        /// <summary>The chunk the UMD finished processing.</summary>
        [FieldOffset(0)]
        [NativeTypeName("struct { MIRACAST_CHUNK_INFO ChunkInfo; }")]
        public _EncodeComplete_e__Struct EncodeComplete;

        /// <summary>The chunk being handed to the network.</summary>
        [FieldOffset(0)]
        [NativeTypeName("struct { MIRACAST_CHUNK_ID ChunkId; }")]
        public _ChunkSent_e__Struct ChunkSent;

        /// <summary>The protocol event.</summary>
        [FieldOffset(0)]
        [NativeTypeName("struct { MIRACAST_PROTOCOL_EVENT Event; }")]
        public _ProtocolEvent_e__Struct ProtocolEvent;

        /// <summary><c>struct { MIRACAST_CHUNK_INFO ChunkInfo; } EncodeComplete</c>.</summary>
        public partial struct _EncodeComplete_e__Struct
        {
            /// <summary>The chunk, as the KMD reported it.</summary>
            public MIRACAST_CHUNK_INFO ChunkInfo;
        }

        /// <summary><c>struct { MIRACAST_CHUNK_ID ChunkId; } ChunkSent</c>.</summary>
        public partial struct _ChunkSent_e__Struct
        {
            /// <summary>The chunk's frame and part.</summary>
            public MIRACAST_CHUNK_ID ChunkId;
        }

        /// <summary><c>struct { MIRACAST_PROTOCOL_EVENT Event; } ProtocolEvent</c>.</summary>
        public partial struct _ProtocolEvent_e__Struct
        {
            /// <summary>What happened.</summary>
            public MIRACAST_PROTOCOL_EVENT Event;
        }
    }
}
