namespace Miraflow.Pipeline.Ts;

/// <summary>
/// Where the <see cref="TsMuxer"/> writes its packets: in place, so a packet goes from the
/// muxer straight into its final buffer (an RTP datagram, a file buffer) without a copy.
/// </summary>
/// <remarks>
/// The muxer asks for one 188-byte slot per packet, fills it entirely, and says when a media
/// unit (its PSI, and the PES of one access unit or audio frame) is complete, which is where an
/// RTP packetizer flushes a partial datagram. Implemented by <see cref="Rtp.RtpPacketizer"/>
/// and <see cref="TsBufferSink"/>; a struct implementation is called without virtual dispatch.
/// </remarks>
public interface ITsPacketSink
{
    /// <summary>Returns the next packet slot: exactly <see cref="TsPacket.Size"/> bytes, which the muxer overwrites completely.</summary>
    Span<byte> NextPacket();

    /// <summary>The packets of one media unit have all been written.</summary>
    /// <param name="endOfFrame">Whether the unit was a video access unit (an RTP marker bit goes on its last datagram).</param>
    void EndOfUnit(bool endOfFrame);
}
