using System.Runtime.CompilerServices;

namespace Miraflow.Pipeline.Ts;

/// <summary>
/// The 188-byte MPEG-2 transport stream packet (ISO/IEC 13818-1 §2.4.3.2) and its 4-byte header.
/// </summary>
/// <remarks>
/// <code>
///  byte 0        byte 1                      byte 2       byte 3
/// +--------+ +-+-+-+---------+ +--------+ +---+---+-------+
/// |  0x47  | |E|S|P| PID 12:8| |PID 7:0 | |TSC|AFC|  CC   |
/// +--------+ +-+-+-+---------+ +--------+ +---+---+-------+
///   sync      E transport_error, S payload_unit_start, P priority
///             TSC scrambling (00), AFC adaptation_field_control, CC continuity_counter
/// </code>
/// AFC <c>01</c> is payload only, <c>10</c> adaptation field only, <c>11</c> both. The
/// continuity counter counts payload-carrying packets per PID, modulo 16 (§2.4.3.3).
/// </remarks>
public static class TsPacket
{
    /// <summary>The size of every TS packet.</summary>
    public const int Size = 188;

    /// <summary>The size of the packet header.</summary>
    public const int HeaderSize = 4;

    /// <summary>The payload room of a packet without an adaptation field.</summary>
    public const int MaxPayload = Size - HeaderSize;

    /// <summary>The sync byte every packet starts with.</summary>
    public const byte SyncByte = 0x47;

    /// <summary>Adaptation field control: payload only.</summary>
    public const int PayloadOnly = 0b01;

    /// <summary>Adaptation field control: adaptation field only, no payload.</summary>
    public const int AdaptationOnly = 0b10;

    /// <summary>Adaptation field control: adaptation field followed by payload.</summary>
    public const int AdaptationAndPayload = 0b11;

    /// <summary>Writes the 4-byte header.</summary>
    /// <param name="packet">The packet (at least 4 bytes).</param>
    /// <param name="pid">The 13-bit packet identifier.</param>
    /// <param name="payloadUnitStart">Whether a PES packet or PSI section starts here.</param>
    /// <param name="adaptationFieldControl">One of <see cref="PayloadOnly"/>, <see cref="AdaptationOnly"/>, <see cref="AdaptationAndPayload"/>.</param>
    /// <param name="continuityCounter">The 4-bit continuity counter.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteHeader(Span<byte> packet, int pid, bool payloadUnitStart, int adaptationFieldControl, int continuityCounter)
    {
        packet[3] = (byte)(((adaptationFieldControl & 0x3) << 4) | (continuityCounter & 0x0F));
        packet[2] = (byte)(pid & 0xFF);
        packet[1] = (byte)((payloadUnitStart ? 0x40 : 0x00) | ((pid >> 8) & 0x1F));
        packet[0] = SyncByte;
    }

    /// <summary>Reads the PID of a packet.</summary>
    public static int ReadPid(ReadOnlySpan<byte> packet) => ((packet[1] & 0x1F) << 8) | packet[2];

    /// <summary>Reads the continuity counter of a packet.</summary>
    public static int ReadContinuityCounter(ReadOnlySpan<byte> packet) => packet[3] & 0x0F;

    /// <summary>Reads the payload_unit_start_indicator of a packet.</summary>
    public static bool ReadPayloadUnitStart(ReadOnlySpan<byte> packet) => (packet[1] & 0x40) != 0;

    /// <summary>Reads the adaptation_field_control of a packet.</summary>
    public static int ReadAdaptationFieldControl(ReadOnlySpan<byte> packet) => (packet[3] >> 4) & 0x3;

    /// <summary>
    /// Writes an adaptation field that only stuffs: <paramref name="size"/> bytes after the
    /// header (§2.4.3.4), so the payload that follows ends the packet exactly.
    /// </summary>
    /// <remarks>
    /// <code>
    /// size 1:  | length=0 |
    /// size n:  | length=n-1 | flags=00 | FF ... FF (n-2) |
    /// </code>
    /// </remarks>
    public static void WriteStuffing(Span<byte> adaptationField, int size)
    {
        adaptationField[0] = (byte)(size - 1);
        if (size > 1)
        {
            adaptationField[1] = 0x00;
            adaptationField[2..size].Fill(0xFF);
        }
    }
}
