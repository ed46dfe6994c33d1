namespace Miraflow.Pipeline.Transport;

/// <summary>
/// Whether a <see cref="UdpMediaSender"/> hands the kernel runs of equal-sized datagrams in one
/// system call and lets it split them (UDP segmentation offload, "GSO"/"USO").
/// </summary>
public enum SegmentationOffloadMode
{
    /// <summary>
    /// Use segmentation offload where the operating system offers it: Linux <c>UDP_SEGMENT</c>
    /// (kernel 4.18+, <c>udp(7)</c>) or Windows <c>UDP_SEND_MSG_SIZE</c> (Windows 10 1703+).
    /// When the socket option is refused, or a segmented send fails in a way that says the path
    /// cannot segment, the sender falls back to one send per datagram for good.
    /// </summary>
    Auto = 0,

    /// <summary>
    /// One send per datagram. Use this to capture the stream on the loopback interface: a
    /// capture on <c>lo</c> shows a segmented send as one large UDP packet.
    /// </summary>
    Off = 1,
}
