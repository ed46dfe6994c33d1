using System.Net;
using System.Text;
using Miraflow.Pipeline.Rtp;

namespace Miraflow.Pipeline.Transport;

/// <summary>Settings of an <see cref="RtcpReporter"/>; each value is checked when it is set.</summary>
/// <remarks>
/// Most WFD sinks ignore RTCP and AOSP 4.3+ sends no sender reports, so reports are off by
/// default (protocol doc §4.2).
/// </remarks>
public sealed class RtcpReporterOptions
{
    /// <summary>The shortest <see cref="Interval"/>: RFC 3550 §6.2 recommends at least 5 s; 100 ms keeps tests fast.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest <see cref="Interval"/>.</summary>
    public static readonly TimeSpan MaximumInterval = TimeSpan.FromMinutes(10);

    private TimeSpan _interval = TimeSpan.FromSeconds(5);
    private int? _rtcpPort;
    private string _cname = "miraflow";

    /// <summary>Whether sender reports are sent at all. Default <see langword="false"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The time between two sender reports. Default 5 s, RFC 3550 §6.2's minimum interval
    /// (AOSP 4.2 used 10 s). Between <see cref="MinimumInterval"/> and <see cref="MaximumInterval"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public TimeSpan Interval
    {
        get => _interval;
        set
        {
            if (value < MinimumInterval || value > MaximumInterval)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The RTCP report interval must be between {MinimumInterval.TotalMilliseconds} ms and {MaximumInterval.TotalMinutes} minutes.");
            }

            _interval = value;
        }
    }

    /// <summary>
    /// The sink's RTCP port: <see langword="null"/> (default) for the RTP port + 1 (RFC 3550
    /// §11), 0 for "the sink has no RTCP port" (no reports are sent), otherwise 1–65535. In WFD
    /// it is the second <c>client_port</c> of the M6 SETUP, when the sink gave one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not between 0 and 65535.</exception>
    public int? RtcpPort
    {
        get => _rtcpPort;
        set
        {
            if (value is int port && (port < 0 || port > IPEndPoint.MaxPort))
            {
                throw new ArgumentOutOfRangeException(nameof(value), port, "The RTCP port must be between 0 and 65535 (0: no RTCP).");
            }

            _rtcpPort = value;
        }
    }

    /// <summary>
    /// The canonical name sent in the SDES CNAME item (RFC 3550 §6.5.1), for example
    /// <c>miraflow@192.168.49.1</c>. Default <c>miraflow</c>. 1–255 bytes in UTF-8.
    /// </summary>
    /// <exception cref="ArgumentNullException">The value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The value is empty or longer than 255 bytes in UTF-8.</exception>
    public string CName
    {
        get => _cname;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            int bytes = Encoding.UTF8.GetByteCount(value);
            if (bytes is 0 or > RtcpSenderReport.MaxCNameLength)
            {
                throw new ArgumentException($"The CNAME must be 1 to {RtcpSenderReport.MaxCNameLength} bytes in UTF-8; '{value}' is {bytes}.", nameof(value));
            }

            _cname = value;
        }
    }

    /// <summary>
    /// The local address and port to send reports from, or <see langword="null"/> (default) for
    /// an ephemeral port. AOSP uses its RTP port + 1.
    /// </summary>
    public IPEndPoint? LocalEndPoint { get; set; }
}
