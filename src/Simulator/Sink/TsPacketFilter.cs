using Miraflow.Pipeline.Ts;

namespace Miraflow.Simulator.Sink;

/// <summary>Selects TS packets of a capture by PID (ISO/IEC 13818-1 §2.4.3.2).</summary>
public static class TsPacketFilter
{
    /// <summary>
    /// The 188-byte packets of <paramref name="stream"/> whose PID is not <paramref name="pid"/>, in
    /// order; a trailing partial packet is left out. Used to judge the video of a WFD capture alone
    /// (ffmpeg does not know WFD's LPCM stream type 0x83; docs/media-transport.md).
    /// </summary>
    public static byte[] WithoutPid(ReadOnlySpan<byte> stream, int pid)
    {
        var kept = new byte[stream.Length - (stream.Length % TsPacket.Size)];
        int length = 0;
        for (; stream.Length >= TsPacket.Size; stream = stream[TsPacket.Size..])
        {
            ReadOnlySpan<byte> packet = stream[..TsPacket.Size];
            if (TsPacket.ReadPid(packet) != pid)
            {
                packet.CopyTo(kept.AsSpan(length));
                length += TsPacket.Size;
            }
        }

        Array.Resize(ref kept, length);
        return kept;
    }
}
