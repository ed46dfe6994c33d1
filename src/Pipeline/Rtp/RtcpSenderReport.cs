using System.Buffers.Binary;

namespace Miraflow.Pipeline.Rtp;

/// <summary>
/// Writes an RTCP compound packet of a sender report (SR, RFC 3550 §6.4.1) without reception
/// report blocks, followed by a source description (SDES, §6.5) with one CNAME item: the
/// smallest compound packet §6.1 allows.
/// </summary>
/// <remarks>
/// <para>Sender report, 28 bytes (RC = 0, so no report blocks follow):</para>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P=0| RC=0  |   PT=SR=200   |          length = 6           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         SSRC of sender                        |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |              NTP timestamp, most significant word             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             NTP timestamp, least significant word             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         RTP timestamp                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     sender's packet count                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      sender's octet count                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// <para>Source description with one chunk (SC = 1) holding one CNAME item:</para>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P=0| SC=1  |  PT=SDES=202  |             length            |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |                          SSRC of sender                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    CNAME=1    |     length    | user and domain name        ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ...  name       |  END=0        | 0 ... (to a 32-bit boundary)  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// <para>
/// Each <c>length</c> is the packet's size in 32-bit words minus one (§6.4.1). The item list
/// ends with at least one null octet and is padded with null octets to the next 32-bit
/// boundary (§6.5), so the padding bit P stays 0. The NTP timestamp is seconds since
/// 1900-01-01 UTC in the upper 32 bits and the binary fraction of a second in the lower 32
/// (RFC 3550 §4, RFC 5905 §6); the 32-bit counts wrap (§6.4.1).
/// </para>
/// </remarks>
public static class RtcpSenderReport
{
    /// <summary>The RTCP packet type of a sender report.</summary>
    public const byte PacketTypeSenderReport = 200;

    /// <summary>The RTCP packet type of a source description.</summary>
    public const byte PacketTypeSourceDescription = 202;

    /// <summary>The SDES item type of a canonical name.</summary>
    public const byte CNameItem = 1;

    /// <summary>The size of a sender report without report blocks.</summary>
    public const int SenderReportLength = 28;

    /// <summary>The longest CNAME: the SDES item length field is one octet.</summary>
    public const int MaxCNameLength = 255;

    /// <summary>The largest compound packet this writer produces (a 255-byte CNAME).</summary>
    public const int MaxLength = SenderReportLength + 4 + 264;

    /// <summary>The NTP era 0 epoch, 1900-01-01T00:00:00Z.</summary>
    private static readonly DateTimeOffset s_ntpEpoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The size of the compound packet for a CNAME of <paramref name="cnameLength"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cnameLength"/> is not between 1 and <see cref="MaxCNameLength"/>.</exception>
    public static int GetLength(int cnameLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cnameLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cnameLength, MaxCNameLength);
        return SenderReportLength + 4 + GetChunkLength(cnameLength);
    }

    /// <summary>
    /// Writes the SR + SDES compound packet into <paramref name="destination"/>. Writes nothing
    /// and returns <see langword="false"/> when it does not fit.
    /// </summary>
    /// <param name="destination">Where the packet goes.</param>
    /// <param name="ssrc">The sender's SSRC (both packets carry it).</param>
    /// <param name="ntpTimestamp">The wall-clock time of the report, NTP format (<see cref="ToNtpTimestamp"/>).</param>
    /// <param name="rtpTimestamp">The RTP timestamp of the same instant.</param>
    /// <param name="packetCount">RTP data packets sent since the start, wrapped to 32 bits.</param>
    /// <param name="octetCount">RTP payload octets sent since the start, wrapped to 32 bits.</param>
    /// <param name="cname">The canonical name, UTF-8, 1–255 bytes (for example <c>miraflow@192.168.49.1</c>).</param>
    /// <param name="bytesWritten">The packet's size, a multiple of 4; 0 when it does not fit.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cname"/> is empty or longer than <see cref="MaxCNameLength"/>.</exception>
    public static bool TryWrite(
        Span<byte> destination,
        uint ssrc,
        ulong ntpTimestamp,
        uint rtpTimestamp,
        uint packetCount,
        uint octetCount,
        ReadOnlySpan<byte> cname,
        out int bytesWritten)
    {
        int length = GetLength(cname.Length);
        if ((uint)destination.Length < (uint)length)
        {
            bytesWritten = 0;
            return false;
        }

        Span<byte> packet = destination[..length];

        // SR: V=2, P=0, RC=0 | PT=200 | length in words - 1.
        packet[0] = 0x80;
        packet[1] = PacketTypeSenderReport;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (SenderReportLength / 4) - 1);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(packet[8..], ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[20..], packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(packet[24..], octetCount);

        // SDES: V=2, P=0, SC=1 | PT=202 | length; one chunk: SSRC, CNAME item, null octets.
        Span<byte> sdes = packet[SenderReportLength..];
        sdes[0] = 0x81;
        sdes[1] = PacketTypeSourceDescription;
        BinaryPrimitives.WriteUInt16BigEndian(sdes[2..], (ushort)((sdes.Length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(sdes[4..], ssrc);
        sdes[8] = CNameItem;
        sdes[9] = (byte)cname.Length;
        cname.CopyTo(sdes[10..]);
        sdes[(10 + cname.Length)..].Clear();

        bytesWritten = length;
        return true;
    }

    /// <summary>
    /// The 64-bit NTP timestamp of <paramref name="time"/>: seconds since 1900-01-01 UTC (mod
    /// 2^32, so 2036 starts era 1 as RFC 5905 §6 intends) in the upper word, the fraction of a
    /// second in units of 2^-32 s in the lower word.
    /// </summary>
    public static ulong ToNtpTimestamp(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - s_ntpEpoch.UtcTicks;
        long seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }

        ulong fraction = ((ulong)rest << 32) / TimeSpan.TicksPerSecond;
        return ((ulong)unchecked((uint)seconds) << 32) | fraction;
    }

    /// <summary>SSRC, CNAME type and length octets, the name, then 1–4 null octets to a 32-bit boundary.</summary>
    private static int GetChunkLength(int cnameLength) => (4 + 2 + cnameLength + 4) & ~3;
}
