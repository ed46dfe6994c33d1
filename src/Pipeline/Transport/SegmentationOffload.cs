using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Miraflow.Pipeline.Transport;

/// <summary>
/// How one platform lets a UDP socket send several equal-sized datagrams in one call: the
/// socket option sets the segment size, and one send of up to <see cref="MaxBytesPerSend"/>
/// bytes leaves as <c>ceil(length / segmentSize)</c> datagrams (all but the last exactly
/// segment-sized).
/// </summary>
/// <remarks>
/// <code>
///   one send:   | 1328 | 1328 | 1328 | ... | 1328 | 700 |     (≤ 64 segments, ≤ 65507 bytes)
///   on the wire:  dgram  dgram  dgram  ...   dgram  dgram
/// </code>
/// A send no longer than the segment size leaves as one datagram, unsplit. The limits are the
/// stricter of the two platforms': Linux refuses more than <c>UDP_MAX_SEGMENTS</c> (64 up to
/// Linux 6.x) segments with <c>EINVAL</c>, and a UDP payload cannot exceed 65507 bytes over IPv4.
/// </remarks>
internal abstract class SegmentationOffload
{
    /// <summary>The most segments in one send (Linux <c>UDP_MAX_SEGMENTS</c>).</summary>
    public const int MaxSegmentsPerSend = 64;

    /// <summary>The most bytes in one send: 65535 − 20 (IPv4 header) − 8 (UDP header).</summary>
    public const int MaxBytesPerSend = 65507;

    /// <summary>The option level for UDP: <c>SOL_UDP</c> on Linux, <c>IPPROTO_UDP</c> on Windows.</summary>
    private const int IpProtoUdp = 17;

    /// <summary>The offload of this platform, or <see cref="None"/>.</summary>
    public static SegmentationOffload ForCurrentPlatform() =>
        OperatingSystem.IsLinux() || OperatingSystem.IsAndroid() ? LinuxUdpSegment.Instance
        : OperatingSystem.IsWindows() ? WindowsUdpSendMessageSize.Instance
        : NoOffload.Instance;

    /// <summary>No offload: every datagram is its own send.</summary>
    public static SegmentationOffload None => NoOffload.Instance;

    /// <summary>The socket option's name, for logs.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Whether an error of a segmented send says the path cannot segment (so the sender should
    /// stop trying), rather than something about the peer or the network.
    /// </summary>
    /// <remarks>
    /// Linux answers a segmented send it cannot do with <c>EIO</c> (no checksum offload on the
    /// route, or IPsec; .NET reports it as <see cref="SocketError.SocketError"/>),
    /// <c>EINVAL</c> (too many segments, checksums off), or <c>EMSGSIZE</c> (segment above the
    /// route MTU); an old kernel may say <c>ENOPROTOOPT</c> or <c>EOPNOTSUPP</c>.
    /// <c>ECONNREFUSED</c>, <c>ENOBUFS</c> and unreachable-host errors are not among them.
    /// </remarks>
    public static bool MeansUnsupported(SocketError error) => error
        is SocketError.SocketError
        or SocketError.InvalidArgument
        or SocketError.MessageSize
        or SocketError.OperationNotSupported
        or SocketError.ProtocolOption
        or SocketError.ProtocolNotSupported;

    /// <summary>
    /// Sets the segment size of <paramref name="socket"/>; <see langword="false"/> with the error
    /// when the platform refuses it.
    /// </summary>
    public abstract bool TrySetSegmentSize(Socket socket, int segmentSize, out SocketError error);

    /// <summary>Sets a 32-bit integer option at the UDP level.</summary>
    private protected static bool TrySetUdpOption(Socket socket, int optionName, int value, out SocketError error)
    {
        try
        {
            socket.SetRawSocketOption(IpProtoUdp, optionName, MemoryMarshal.AsBytes(new ReadOnlySpan<int>(in value)));
            error = SocketError.Success;
            return true;
        }
        catch (SocketException ex)
        {
            error = ex.SocketErrorCode;
            return false;
        }
    }

    /// <summary>
    /// Linux generic segmentation offload for UDP: <c>setsockopt(fd, SOL_UDP, UDP_SEGMENT,
    /// &amp;size, sizeof(int))</c>, Linux 4.18+ (<c>udp(7)</c>). Kernels without it answer
    /// <c>ENOPROTOOPT</c>. The kernel splits in software when the device cannot, and on
    /// loopback it hands the receiver separate datagrams; a capture on <c>lo</c> still shows
    /// one large packet.
    /// </summary>
    private sealed class LinuxUdpSegment : SegmentationOffload
    {
        /// <summary><c>UDP_SEGMENT</c> from <c>linux/udp.h</c>.</summary>
        private const int UdpSegment = 103;

        public static readonly LinuxUdpSegment Instance = new();

        public override string Name => "UDP_SEGMENT";

        public override bool TrySetSegmentSize(Socket socket, int segmentSize, out SocketError error) =>
            TrySetUdpOption(socket, UdpSegment, segmentSize, out error);
    }

    /// <summary>
    /// Windows UDP segmentation offload: <c>setsockopt(s, IPPROTO_UDP, UDP_SEND_MSG_SIZE,
    /// &amp;size, sizeof(DWORD))</c> (<c>ws2ipdef.h</c>, Windows 10 1703+); earlier systems
    /// answer <c>WSAENOPROTOOPT</c> or <c>WSAEINVAL</c>. Same semantics as Linux: each send is
    /// split into datagrams of the given size, the last one possibly shorter. Not exercised by
    /// the Linux test run.
    /// </summary>
    private sealed class WindowsUdpSendMessageSize : SegmentationOffload
    {
        /// <summary><c>UDP_SEND_MSG_SIZE</c> from <c>ws2ipdef.h</c>.</summary>
        private const int UdpSendMessageSize = 2;

        public static readonly WindowsUdpSendMessageSize Instance = new();

        public override string Name => "UDP_SEND_MSG_SIZE";

        public override bool TrySetSegmentSize(Socket socket, int segmentSize, out SocketError error) =>
            TrySetUdpOption(socket, UdpSendMessageSize, segmentSize, out error);
    }

    /// <summary>Platforms without UDP segmentation offload.</summary>
    private sealed class NoOffload : SegmentationOffload
    {
        public static readonly NoOffload Instance = new();

        public override string Name => "none";

        public override bool TrySetSegmentSize(Socket socket, int segmentSize, out SocketError error)
        {
            error = SocketError.OperationNotSupported;
            return false;
        }
    }
}
