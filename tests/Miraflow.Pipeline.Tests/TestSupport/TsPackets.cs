namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>
/// Byte-level edits and reads of 188-byte transport stream packets, written here from ISO/IEC
/// 13818-1 §2.4.3.2 rather than taken from the code under test.
/// </summary>
internal static class TsPackets
{
    public const int Size = 188;

    public static int Pid(ReadOnlySpan<byte> packet) => ((packet[1] & 0x1F) << 8) | packet[2];

    public static int ContinuityCounter(ReadOnlySpan<byte> packet) => packet[3] & 0x0F;

    /// <summary>A copy of <paramref name="stream"/> without the packets of <paramref name="pid"/>.</summary>
    public static byte[] WithoutPid(ReadOnlySpan<byte> stream, int pid)
    {
        var kept = new List<byte>(stream.Length);
        for (int at = 0; at + Size <= stream.Length; at += Size)
        {
            ReadOnlySpan<byte> packet = stream.Slice(at, Size);
            if (Pid(packet) != pid)
            {
                kept.AddRange(packet);
            }
        }

        return [.. kept];
    }

    /// <summary>Adds <paramref name="step"/> (mod 16) to the continuity counter of the first packet of <paramref name="pid"/> in <paramref name="packets"/>; returns its index, or -1.</summary>
    public static int BumpContinuityCounter(Span<byte> packets, int pid, int step)
    {
        for (int at = 0; at + Size <= packets.Length; at += Size)
        {
            if (Pid(packets.Slice(at, Size)) == pid)
            {
                packets[at + 3] = (byte)((packets[at + 3] & 0xF0) | ((packets[at + 3] + step) & 0x0F));
                return at / Size;
            }
        }

        return -1;
    }
}
