using System.Buffers.Binary;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Ts;

/// <summary>
/// Writes PES packet headers (ISO/IEC 13818-1 §2.4.3.6) as WFD sources do: data alignment set,
/// a PTS on every packet, and a DTS only when it differs from the PTS.
/// </summary>
/// <remarks>
/// <code>
/// 00 00 01 | stream_id | PES_packet_length(16) | 10 00 0 1 0 0 | PD 0 0 0 0 0 0 | header_data_length
///                                                 ^ data_alignment  ^ PTS_DTS_flags (10 PTS, 11 PTS+DTS)
/// PTS:  pppp ttt1 | tttttttt | ttttttt1 | tttttttt | ttttttt1     pppp = 0010 (PTS only) or 0011
/// DTS:  0001 ttt1 | ...                                          t = 33-bit time, MSB first
/// </code>
/// PES_packet_length counts the bytes after it; it is 0 ("unbounded", allowed for video only)
/// when the packet would be longer than 65 535 bytes.
/// </remarks>
public static class PesHeader
{
    /// <summary>The header size with a PTS.</summary>
    public const int SizeWithPts = 14;

    /// <summary>The header size with a PTS and a DTS.</summary>
    public const int SizeWithPtsDts = 19;

    /// <summary>The stream_id of the first video stream.</summary>
    public const byte VideoStreamId = 0xE0;

    /// <summary>The stream_id of the first MPEG audio stream (AAC).</summary>
    public const byte AudioStreamId = 0xC0;

    /// <summary>private_stream_1, which carries WFD LPCM.</summary>
    public const byte PrivateStream1 = 0xBD;

    /// <summary>
    /// Writes a header for a PES packet of <paramref name="payloadLength"/> bytes; returns its size.
    /// </summary>
    /// <param name="destination">At least <see cref="SizeWithPtsDts"/> bytes.</param>
    /// <param name="streamId">The stream_id.</param>
    /// <param name="payloadLength">The size of what follows the header.</param>
    /// <param name="pts">The presentation time.</param>
    /// <param name="dts">The decode time; written only when it differs from <paramref name="pts"/>.</param>
    public static int Write(Span<byte> destination, byte streamId, int payloadLength, MediaTime pts, MediaTime dts)
    {
        bool withDts = dts.Ticks90kHz != pts.Ticks90kHz;
        int headerDataLength = withDts ? 10 : 5;
        int packetLength = 3 + headerDataLength + payloadLength;

        destination[0] = 0x00;
        destination[1] = 0x00;
        destination[2] = 0x01;
        destination[3] = streamId;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], packetLength > ushort.MaxValue ? (ushort)0 : (ushort)packetLength);
        destination[6] = 0x84; // '10', not scrambled, data_alignment_indicator
        destination[7] = withDts ? (byte)0xC0 : (byte)0x80;
        destination[8] = (byte)headerDataLength;
        WriteTimestamp(destination[9..], withDts ? 0b0011 : 0b0010, pts.Ticks90kHz);
        if (withDts)
        {
            WriteTimestamp(destination[14..], 0b0001, dts.Ticks90kHz);
        }

        return 9 + headerDataLength;
    }

    /// <summary>Writes a 5-byte PTS or DTS field with its 4-bit prefix and marker bits.</summary>
    public static void WriteTimestamp(Span<byte> destination, int prefix, long ticks90kHz)
    {
        // Truncating each shifted value to its low byte is the point: unchecked, also in Debug.
        unchecked
        {
            ulong t = (ulong)ticks90kHz & 0x1_FFFF_FFFF;
            destination[4] = (byte)((t << 1) | 1);
            destination[3] = (byte)(t >> 7);
            destination[2] = (byte)((t >> 14) | 1);
            destination[1] = (byte)(t >> 22);
            destination[0] = (byte)((prefix << 4) | (int)((t >> 29) & 0x0E) | 1);
        }
    }

    /// <summary>Reads a 5-byte PTS or DTS field (for tests and the analyzer).</summary>
    public static long ReadTimestamp(ReadOnlySpan<byte> source) =>
        ((long)(source[0] & 0x0E) << 29) | ((long)source[1] << 22) | ((long)(source[2] & 0xFE) << 14) | ((long)source[3] << 7) | ((long)source[4] >> 1);
}
