using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Ts;
using Miraflow.Simulator.Analysis;

namespace Miraflow.Simulator.Sink;

/// <summary>
/// Checks what a WFD sink receives, one datagram at a time: RTP version 2 (RFC 3550 §5.1) with
/// consecutive sequence numbers, carrying whole 188-byte MPEG-TS packets (RFC 2250 §2) whose
/// continuity counters follow ISO/IEC 13818-1 §2.4.3.3. It counts problems; it never throws and
/// never keeps the bytes. Not thread-safe: one receive loop feeds it (the emulator locks around it).
/// </summary>
/// <remarks>
/// <code>
/// TS packet header (ISO/IEC 13818-1 §2.4.3.2)
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  sync = 0x47  |E|S|T|          PID            |TSC|AFC|  CC   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Continuity rules applied per PID by <see cref="ContinuityCounter"/> (the null PID 0x1FFF is not checked):
/// <list type="bullet">
/// <item>a packet with payload (AFC 01 or 11) carries the previous counter + 1 (mod 16), or the
/// same counter once (a duplicate packet);</item>
/// <item>a packet with an adaptation field only (AFC 10) keeps the previous counter;</item>
/// <item>the first packet of a PID, and a packet whose adaptation field sets
/// <c>discontinuity_indicator</c>, start counting afresh;</item>
/// <item>AFC 00 (reserved) is a continuity error.</item>
/// </list>
/// </remarks>
public sealed class RtpTsInspector
{
    private readonly ContinuityCounter _continuity = new();
    private int _expectedSequence = -1;

    private long _datagrams;
    private long _bytes;
    private long _nonRtp;
    private long _sequenceGaps;
    private long _lostPackets;
    private long _outOfOrder;
    private long _tsPackets;
    private long _syncErrors;
    private long _misaligned;
    private long _continuityErrors;

    /// <summary>RTP datagrams accepted so far.</summary>
    public long RtpDatagrams { get; private set; }

    /// <summary>Sequence gaps plus continuity errors so far: it grows when something was lost on the way.</summary>
    public long Damage => _sequenceGaps + _continuityErrors;

    /// <summary>
    /// Checks one datagram and counts what it finds. Returns false, with an empty payload, when it
    /// is not RTP; otherwise true with the RTP payload (the TS bytes) located in <paramref name="datagram"/>.
    /// </summary>
    public bool Inspect(ReadOnlySpan<byte> datagram, out int payloadOffset, out int payloadLength)
    {
        _datagrams++;
        _bytes += datagram.Length;
        if (!RtpHeader.TryRead(datagram, out RtpHeader header, out payloadOffset, out payloadLength))
        {
            _nonRtp++;
            payloadOffset = 0;
            payloadLength = 0;
            return false;
        }

        RtpDatagrams++;
        CheckSequence(header.SequenceNumber);
        CheckTransportStream(datagram.Slice(payloadOffset, payloadLength));
        return true;
    }

    /// <summary>The counters so far; the capture fields are zero (the emulator fills them).</summary>
    public SinkStatistics Snapshot() =>
        new(_datagrams, _bytes, _nonRtp, _sequenceGaps, _lostPackets, _outOfOrder, _tsPackets, _syncErrors, _misaligned, _continuityErrors, 0, false);

    private void CheckSequence(ushort sequence)
    {
        if (_expectedSequence >= 0)
        {
            // Distance from the expected number modulo 2^16: 0 in order, below 2^15 ahead (a gap), otherwise behind.
            int ahead = (sequence - _expectedSequence) & 0xFFFF;
            if (ahead >= 0x8000)
            {
                _outOfOrder++;
                return; // a late packet does not move the expectation back
            }

            if (ahead != 0)
            {
                _sequenceGaps++;
                _lostPackets += ahead;
            }
        }

        _expectedSequence = (sequence + 1) & 0xFFFF;
    }

    private void CheckTransportStream(ReadOnlySpan<byte> payload)
    {
        if (payload.Length % TsPacket.Size != 0)
        {
            _misaligned++;
        }

        for (; payload.Length >= TsPacket.Size; payload = payload[TsPacket.Size..])
        {
            ReadOnlySpan<byte> packet = payload[..TsPacket.Size];
            _tsPackets++;
            if (packet[0] != TsPacket.SyncByte)
            {
                _syncErrors++;
                continue;
            }

            CheckContinuity(packet);
        }
    }

    private void CheckContinuity(ReadOnlySpan<byte> packet)
    {
        if (_continuity.Check(packet) == ContinuityResult.Error)
        {
            _continuityErrors++;
        }
    }
}
