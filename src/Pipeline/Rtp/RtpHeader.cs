using System.Buffers.Binary;

namespace Miraflow.Pipeline.Rtp;

/// <summary>
/// The fixed RTP header (RFC 3550 §5.1) as Miraflow sends it: version 2, no padding, no
/// extension, no CSRC.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           timestamp                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           synchronization source (SSRC) identifier            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// For WFD the payload type is 33 (MP2T, RFC 3551) and the payload whole 188-byte TS packets
/// (RFC 2250 §2).
/// </remarks>
/// <param name="Marker">The M bit.</param>
/// <param name="PayloadType">The 7-bit payload type.</param>
/// <param name="SequenceNumber">The sequence number (wraps at 65 536).</param>
/// <param name="Timestamp">The 90 kHz timestamp (wraps at 2^32).</param>
/// <param name="Ssrc">The synchronization source.</param>
public readonly record struct RtpHeader(bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc)
{
    /// <summary>The size of the fixed header.</summary>
    public const int Size = 12;

    /// <summary>The payload type of MPEG-2 transport streams (RFC 3551 §6).</summary>
    public const byte PayloadTypeMp2t = 33;

    /// <summary>Writes the 12-byte header.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SequenceNumber);
        destination[1] = (byte)((Marker ? 0x80 : 0x00) | (PayloadType & 0x7F));
        destination[0] = 0x80;
    }

    /// <summary>
    /// Reads an RTP header of any shape (CSRCs and an extension are skipped); false when the
    /// bytes are not an RTP version 2 packet. <paramref name="payloadOffset"/> and
    /// <paramref name="payloadLength"/> locate the payload (padding removed).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeader header, out int payloadOffset, out int payloadLength)
    {
        header = default;
        payloadOffset = 0;
        payloadLength = 0;
        if (packet.Length < Size || (packet[0] >> 6) != 2)
        {
            return false;
        }

        int offset = Size + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < offset + 4)
            {
                return false;
            }

            offset += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]));
        }

        int end = packet.Length;
        if ((packet[0] & 0x20) != 0)
        {
            end -= packet[^1];
        }

        if (offset > end)
        {
            return false;
        }

        header = new RtpHeader(
            (packet[1] & 0x80) != 0,
            (byte)(packet[1] & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]));
        payloadOffset = offset;
        payloadLength = end - offset;
        return true;
    }
}
