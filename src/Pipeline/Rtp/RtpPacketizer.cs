using System.Security.Cryptography;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Rtp;

/// <summary>
/// Packs the muxer's TS packets into RTP datagrams (RFC 2250 §2, protocol doc §4.1): 7 TS
/// packets per datagram, fewer only in the last datagram of a media unit, which is sent at once
/// rather than held for the next unit.
/// </summary>
/// <remarks>
/// <para>The packetizer is the muxer's <see cref="ITsPacketSink"/>: each TS packet is written
/// straight into its place behind a 12-byte RTP header in a <see cref="DatagramBatch"/>. The
/// header is filled in when the datagram closes.</para>
/// <code>
///   packetizer.Begin(batch, now);                      // one media unit
///   muxer.WriteVideo(ref packetizer, au, pts, dts, now);
///   sender.Send(batch);
/// </code>
/// <para>Timestamps are <c>now</c> on the session's 90 kHz clock (the mux time, as Android
/// stamps its datagrams with their send time) plus a random offset; every datagram of a unit
/// has the same one. Sequence numbers count datagrams and wrap at 65 536. Not thread-safe;
/// allocates nothing.</para>
/// </remarks>
public sealed class RtpPacketizer : ITsPacketSink, IRtpSenderState
{
    private const int FullDatagram = RtpHeader.Size + (RtpPacketizerOptions.MaxPacketsPerDatagram * TsPacket.Size);

    private readonly byte _payloadType;
    private readonly int _packetsPerDatagram;
    private readonly uint _timestampOffset;
    private readonly bool _markFrameEnd;
    private DatagramBatch? _batch;
    private int _packetsInDatagram;
    private bool _open;
    private uint _timestamp;
    private ushort _sequence;
    private long _packetCount;
    private long _octetCount;

    private readonly MediaClock? _clock;

    /// <summary>Creates a packetizer; the options are validated.</summary>
    /// <param name="options">Payload type, packing, and fixed SSRC/sequence/offset for tests.</param>
    /// <param name="clock">The session clock, so <see cref="CurrentRtpTimestamp"/> can say what "now" is for RTCP sender reports.</param>
    public RtpPacketizer(RtpPacketizerOptions? options = null, MediaClock? clock = null)
    {
        _clock = clock;
        options ??= new RtpPacketizerOptions();
        options.Validate();
        _payloadType = options.PayloadType;
        _packetsPerDatagram = options.PacketsPerDatagram;
        _markFrameEnd = options.MarkFrameEnd;
        Ssrc = options.Ssrc ?? RandomUInt32();
        _sequence = options.InitialSequenceNumber ?? unchecked((ushort)RandomUInt32());
        _timestampOffset = options.TimestampOffset ?? RandomUInt32();
    }

    /// <summary>The synchronization source of this stream.</summary>
    public uint Ssrc { get; }

    /// <summary>The sequence number the next datagram gets.</summary>
    public ushort NextSequenceNumber => _sequence;

    /// <summary>
    /// The RTP timestamp of this instant (RFC 3550 §6.4.1) when the packetizer has the session
    /// clock; otherwise that of the last media unit.
    /// </summary>
    public uint CurrentRtpTimestamp => _clock is { } clock ? ToRtpTimestamp(clock.Now) : Volatile.Read(ref _timestamp);

    /// <summary>Datagrams produced (the RTCP sender's packet count); safe to read from another thread.</summary>
    public long PacketCount => Interlocked.Read(ref _packetCount);

    /// <summary>Payload bytes produced (the RTCP sender's octet count); safe to read from another thread.</summary>
    public long OctetCount => Interlocked.Read(ref _octetCount);

    /// <summary>The RTP timestamp of <paramref name="time"/>: its 90 kHz count plus this stream's offset, modulo 2^32.</summary>
    public uint ToRtpTimestamp(MediaTime time) => unchecked((uint)time.Ticks90kHz + _timestampOffset);

    /// <summary>Starts a media unit: its datagrams go to <paramref name="batch"/>, stamped with <paramref name="now"/>.</summary>
    public void Begin(DatagramBatch batch, MediaTime now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_open)
        {
            throw new InvalidOperationException("The previous media unit was not ended (EndOfUnit).");
        }

        _batch = batch;
        _timestamp = ToRtpTimestamp(now);
    }

    /// <inheritdoc/>
    public Span<byte> NextPacket()
    {
        DatagramBatch batch = _batch ?? throw new InvalidOperationException("Call Begin with a batch before writing packets.");
        if (_open && _packetsInDatagram == _packetsPerDatagram)
        {
            Close(marker: false);
        }

        if (!_open)
        {
            batch.BeginDatagram(FullDatagram);
            _open = true;
        }

        int offset = RtpHeader.Size + (_packetsInDatagram++ * TsPacket.Size);
        return batch.OpenDatagram.Slice(offset, TsPacket.Size);
    }

    /// <inheritdoc/>
    public void EndOfUnit(bool endOfFrame)
    {
        if (_open)
        {
            Close(marker: endOfFrame && _markFrameEnd);
        }
    }

    private void Close(bool marker)
    {
        DatagramBatch batch = _batch!;
        int payload = _packetsInDatagram * TsPacket.Size;
        new RtpHeader(marker, _payloadType, _sequence, _timestamp, Ssrc).Write(batch.OpenDatagram);
        batch.CommitDatagram(RtpHeader.Size + payload);
        _sequence = unchecked((ushort)(_sequence + 1));
        _packetsInDatagram = 0;
        _open = false;
        // Interlocked: an RTCP reporter reads these on its own thread, and 64-bit writes are not atomic on x86.
        Interlocked.Increment(ref _packetCount);
        Interlocked.Add(ref _octetCount, payload);
    }

    private static uint RandomUInt32()
    {
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToUInt32(bytes);
    }
}
