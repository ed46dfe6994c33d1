namespace Miraflow.Pipeline.Rtp;

/// <summary>
/// What an RTCP sender report needs from the RTP sender (RFC 3550 §6.4.1): its SSRC, the RTP
/// timestamp of the current instant, and its running packet and octet counts.
/// </summary>
/// <remarks>
/// Read from a timer thread while the packetizer runs, so each member must be safe to read
/// concurrently (for example <see cref="Interlocked.Read(ref readonly long)"/> on the counters).
/// </remarks>
public interface IRtpSenderState
{
    /// <summary>The synchronization source identifier written in the RTP headers.</summary>
    uint Ssrc { get; }

    /// <summary>
    /// The RTP timestamp (90 kHz, wrapped to 32 bits) that corresponds to <em>now</em> on the
    /// media clock — not the timestamp of the last packet sent — so the report pairs it with the
    /// wall-clock time read at the same moment (RFC 3550 §6.4.1, "RTP timestamp").
    /// </summary>
    uint CurrentRtpTimestamp { get; }

    /// <summary>RTP data packets sent since the stream started (the report writes the low 32 bits).</summary>
    long PacketCount { get; }

    /// <summary>
    /// RTP payload octets sent since the stream started: headers and padding excluded (the report
    /// writes the low 32 bits).
    /// </summary>
    long OctetCount { get; }
}
