using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Ts;

/// <summary>
/// Writes the PCR-only packet of a WFD stream: PID <see cref="TsPid.Pcr"/>, an adaptation field
/// that fills the packet and carries the program clock reference (ISO/IEC 13818-1 §2.4.3.5).
/// </summary>
/// <remarks>
/// <code>
/// 47 50 00 2c | B7 | 10 | PCR (6 bytes) | FF × 176
///  AFC=10,     183   PCR_flag
///  no payload
///
/// PCR field: base[32:25] base[24:17] base[16:9] base[8:1] | b0 111111 e8 | e[7:0]
///            33-bit base on 90 kHz, 6 reserved bits, 9-bit extension on 27 MHz
/// </code>
/// Android's source writes this field one byte short (it leaves out base[8:1]); this is the
/// standard six-byte field (protocol doc §3.2). Packets without payload do not advance the
/// continuity counter, so it stays where it is (§2.4.3.3).
/// </remarks>
public static class PcrPacket
{
    /// <summary>Writes a PCR-only packet for <paramref name="time"/>.</summary>
    public static void Write(Span<byte> packet, int continuityCounter, MediaTime time)
    {
        packet = packet[..TsPacket.Size];
        TsPacket.WriteHeader(packet, TsPid.Pcr, payloadUnitStart: false, TsPacket.AdaptationOnly, continuityCounter);
        packet[4] = TsPacket.Size - TsPacket.HeaderSize - 1; // adaptation_field_length 183
        packet[5] = 0x10; // PCR_flag
        WriteField(packet[6..], time);
        packet[12..].Fill(0xFF);
    }

    /// <summary>Writes the 6-byte PCR field.</summary>
    public static void WriteField(Span<byte> destination, MediaTime time)
    {
        // Truncating each shifted value to its low byte is the point: unchecked, also in Debug.
        unchecked
        {
            ulong pcrBase = time.PcrBase;
            int extension = time.PcrExtension;
            destination[5] = (byte)extension;
            destination[4] = (byte)((int)((pcrBase & 1) << 7) | 0x7E | (extension >> 8));
            destination[3] = (byte)(pcrBase >> 1);
            destination[2] = (byte)(pcrBase >> 9);
            destination[1] = (byte)(pcrBase >> 17);
            destination[0] = (byte)(pcrBase >> 25);
        }
    }

    /// <summary>Reads a 6-byte PCR field as 27 MHz ticks (base × 300 + extension).</summary>
    public static long ReadField(ReadOnlySpan<byte> source)
    {
        long pcrBase = ((long)source[0] << 25) | ((long)source[1] << 17) | ((long)source[2] << 9) | ((long)source[3] << 1) | ((long)source[4] >> 7);
        int extension = ((source[4] & 1) << 8) | source[5];
        return (pcrBase * 300) + extension;
    }
}
