namespace Miraflow.Simulator.Sink;

/// <summary>What a sink's media receiver has seen so far (a snapshot).</summary>
/// <param name="Datagrams">UDP datagrams received, RTP or not.</param>
/// <param name="Bytes">Bytes of those datagrams.</param>
/// <param name="NonRtp">Datagrams that were not RTP version 2 (counted, not kept).</param>
/// <param name="SequenceGaps">Times the RTP sequence number jumped forward (a gap of any length counts once; 65535 → 0 is no gap).</param>
/// <param name="LostPackets">RTP packets missing in those gaps.</param>
/// <param name="OutOfOrder">RTP packets older than or equal to the last one (late or duplicated).</param>
/// <param name="TsPackets">188-byte TS packets in RTP payloads.</param>
/// <param name="SyncErrors">TS packets without the 0x47 sync byte.</param>
/// <param name="MisalignedPayloads">RTP payloads whose length is not a multiple of 188 (the remainder is ignored).</param>
/// <param name="ContinuityErrors">TS continuity-counter errors, over all PIDs.</param>
/// <param name="CapturedBytes">TS bytes kept for <see cref="SinkEmulator.CaptureTs"/>.</param>
/// <param name="CaptureTruncated">True once a payload did not fit the capture limit.</param>
public readonly record struct SinkStatistics(
    long Datagrams,
    long Bytes,
    long NonRtp,
    long SequenceGaps,
    long LostPackets,
    long OutOfOrder,
    long TsPackets,
    long SyncErrors,
    long MisalignedPayloads,
    long ContinuityErrors,
    long CapturedBytes,
    bool CaptureTruncated)
{
    /// <summary>True when nothing was lost or damaged: no gap, no reordering, no TS error, no foreign datagram.</summary>
    public bool IsLossless =>
        NonRtp == 0 && SequenceGaps == 0 && OutOfOrder == 0 && SyncErrors == 0 && MisalignedPayloads == 0 && ContinuityErrors == 0;
}
