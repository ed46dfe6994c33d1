using Miraflow.Pipeline.Ts;

namespace Miraflow.Simulator.Sink;

/// <summary>
/// Finds the video PES that carry IDR pictures: it follows the H.264 byte stream (ITU-T H.264
/// Annex B) at the start of each PES of <see cref="TsPid.Video"/> and looks at the first slice's
/// NAL unit type, 5 for an IDR slice, 1 for any other (§7.4.1.2). The NAL units before it (access
/// unit delimiter, SPS, PPS, SEI) are short, so the scan usually ends in the PES's first TS
/// packet; once the first slice is found the rest of the PES is skipped. Start codes split across
/// TS packets are followed. Not thread-safe (the sink's receive loop feeds it under its lock).
/// </summary>
/// <remarks>
/// <code>
/// PES header (ISO/IEC 13818-1 §2.4.3.6), at the payload start of the TS packet with PUSI set
///  0x00 0x00 0x01 | stream_id | PES_packet_length (16) | flags (16) | PES_header_data_length (8) | header data … | H.264 byte stream
///
/// NAL unit header (H.264 §7.3.1), after a 0x00 0x00 0x01 start code
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |F|NRI|  Type   |
/// +-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
internal sealed class IdrPictureDetector
{
    private const int IdrSlice = 5;
    private const int NonIdrSlice = 1;

    private bool _scanning;
    private int _zeros;
    private bool _nalHeaderNext;

    /// <summary>IDR pictures seen so far.</summary>
    public long IdrPictures { get; private set; }

    /// <summary>Follows the TS packets of one datagram's payload; true when an IDR picture began in it.</summary>
    public bool Record(ReadOnlySpan<byte> payload)
    {
        bool found = false;
        for (; payload.Length >= TsPacket.Size; payload = payload[TsPacket.Size..])
        {
            ReadOnlySpan<byte> packet = payload[..TsPacket.Size];
            if (packet[0] != TsPacket.SyncByte || TsPacket.ReadPid(packet) != TsPid.Video)
            {
                continue;
            }

            int offset = PayloadOffset(packet);
            if (offset < 0)
            {
                continue;
            }

            ReadOnlySpan<byte> bytes = packet[offset..];
            if (TsPacket.ReadPayloadUnitStart(packet))
            {
                _scanning = TrySkipPesHeader(ref bytes);
                _zeros = 0;
                _nalHeaderNext = false;
            }

            if (_scanning && Scan(bytes))
            {
                IdrPictures++;
                found = true;
            }
        }

        return found;
    }

    /// <summary>Where the payload of a TS packet begins (ISO/IEC 13818-1 §2.4.3.2), or -1 when it has none.</summary>
    private static int PayloadOffset(ReadOnlySpan<byte> packet)
    {
        int control = TsPacket.ReadAdaptationFieldControl(packet);
        int offset = control switch
        {
            0b01 => 4,
            0b11 => 5 + packet[4],
            _ => -1,
        };
        return (uint)offset < TsPacket.Size ? offset : -1;
    }

    /// <summary>Moves past the PES header; false when the bytes do not start one (the PES is then ignored).</summary>
    private static bool TrySkipPesHeader(ref ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 9 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 1)
        {
            return false;
        }

        int start = 9 + bytes[8];
        if (start > bytes.Length)
        {
            return false;
        }

        bytes = bytes[start..];
        return true;
    }

    /// <summary>Follows the byte stream until the first slice; true when it is an IDR slice.</summary>
    private bool Scan(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (_nalHeaderNext)
            {
                _nalHeaderNext = false;
                int type = b & 0x1F;
                if (type is IdrSlice or NonIdrSlice)
                {
                    _scanning = false;
                    return type == IdrSlice;
                }
            }

            if (b == 0)
            {
                _zeros++;
            }
            else
            {
                _nalHeaderNext = b == 1 && _zeros >= 2;
                _zeros = 0;
            }
        }

        return false;
    }
}
