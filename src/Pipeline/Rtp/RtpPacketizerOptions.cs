namespace Miraflow.Pipeline.Rtp;

/// <summary>Settings of an <see cref="RtpPacketizer"/>.</summary>
public sealed class RtpPacketizerOptions
{
    /// <summary>TS packets per datagram: 7 (1316 bytes of payload, 1328 with the RTP header) fits a 1500-byte MTU.</summary>
    public const int MaxPacketsPerDatagram = 7;

    /// <summary>The synchronization source; a random one per session when null (RFC 3550 §8).</summary>
    public uint? Ssrc { get; set; }

    /// <summary>The first sequence number; random when null (RFC 3550 §5.1).</summary>
    public ushort? InitialSequenceNumber { get; set; }

    /// <summary>An offset added to every 90 kHz timestamp; random when null (RFC 3550 §5.1).</summary>
    public uint? TimestampOffset { get; set; }

    /// <summary>The payload type; 33 (MP2T) unless a sink asks otherwise.</summary>
    public byte PayloadType { get; set; } = RtpHeader.PayloadTypeMp2t;

    /// <summary>TS packets per full datagram, 1 to 7. Default 7.</summary>
    public int PacketsPerDatagram { get; set; } = MaxPacketsPerDatagram;

    /// <summary>
    /// Whether the last datagram of a video access unit carries the marker bit (RFC 2250 §3.3
    /// usage, required by MS-WFDPE; Android never sets it, and sinks that do not look ignore it).
    /// Default true.
    /// </summary>
    public bool MarkFrameEnd { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (PacketsPerDatagram is < 1 or > MaxPacketsPerDatagram)
        {
            throw new ArgumentOutOfRangeException(nameof(PacketsPerDatagram), PacketsPerDatagram, "An RTP datagram carries 1 to 7 TS packets.");
        }

        if (PayloadType > 127)
        {
            throw new ArgumentOutOfRangeException(nameof(PayloadType), PayloadType, "The RTP payload type is 7 bits (0-127).");
        }
    }
}
