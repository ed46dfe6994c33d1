using System.Net;

namespace Miraflow.Pipeline.Transport;

/// <summary>Settings of a <see cref="UdpMediaSender"/>; each value is checked when it is set.</summary>
/// <remarks>The sender copies the values when it is created; later changes do not reach it.</remarks>
public sealed class UdpSenderOptions
{
    /// <summary>The default <see cref="SendBufferSize"/>: 1 MiB, about 60 ms of a 150 Mbit/s stream.</summary>
    public const int DefaultSendBufferSize = 1024 * 1024;

    /// <summary>The largest <see cref="SendBufferSize"/> accepted: 64 MiB.</summary>
    public const int MaxSendBufferSize = 64 * 1024 * 1024;

    /// <summary>The largest <see cref="Dscp"/> value: the field has 6 bits.</summary>
    public const int MaxDscp = 63;

    private SegmentationOffloadMode _segmentationOffload = SegmentationOffloadMode.Auto;
    private UdpPacingOptions _pacing = new();
    private int? _sendBufferSize = DefaultSendBufferSize;
    private int? _dscp;

    /// <summary>Whether the sender may use UDP segmentation offload. Default <see cref="SegmentationOffloadMode.Auto"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined mode.</exception>
    public SegmentationOffloadMode SegmentationOffload
    {
        get => _segmentationOffload;
        set
        {
            if (value is not (SegmentationOffloadMode.Auto or SegmentationOffloadMode.Off))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Unknown segmentation offload mode.");
            }

            _segmentationOffload = value;
        }
    }

    /// <summary>Pacing of large batches in <see cref="UdpMediaSender.SendAsync"/>; off by default.</summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    public UdpPacingOptions Pacing
    {
        get => _pacing;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            _pacing = value;
        }
    }

    /// <summary>
    /// The socket's send buffer (<c>SO_SNDBUF</c>) in bytes, or <see langword="null"/> to keep the
    /// operating system's default. Default <see cref="DefaultSendBufferSize"/>. Linux caps the
    /// value at <c>net.core.wmem_max</c> (and doubles it for bookkeeping, <c>socket(7)</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 1 and <see cref="MaxSendBufferSize"/>.</exception>
    public int? SendBufferSize
    {
        get => _sendBufferSize;
        set
        {
            if (value is int size && (size < 1 || size > MaxSendBufferSize))
            {
                throw new ArgumentOutOfRangeException(nameof(value), size, $"The send buffer size must be between 1 and {MaxSendBufferSize} bytes.");
            }

            _sendBufferSize = value;
        }
    }

    /// <summary>
    /// The local address and port to send from, or <see langword="null"/> for an ephemeral port
    /// on the address the route to the sink picks. Its address family must match the sink's.
    /// Port 0 picks an ephemeral port on the given address.
    /// </summary>
    public IPEndPoint? LocalEndPoint { get; set; }

    /// <summary>
    /// The DiffServ code point (RFC 2474) to mark datagrams with, 0–63, or <see langword="null"/>
    /// (default) to leave the marking alone. Wi-Fi maps it to a WMM access category: 32–47
    /// (CS4, AF4x, CS5) is the video category. Set with <c>IP_TOS</c> (IPv4) or <c>IPV6_TCLASS</c>
    /// (IPv6, Linux); Windows ignores both without the QoS2 API, so there it is best effort.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and <see cref="MaxDscp"/>.</exception>
    public int? Dscp
    {
        get => _dscp;
        set
        {
            if (value is int dscp && (dscp < 0 || dscp > MaxDscp))
            {
                throw new ArgumentOutOfRangeException(nameof(value), dscp, $"A DSCP value must be between 0 and {MaxDscp}.");
            }

            _dscp = value;
        }
    }
}
