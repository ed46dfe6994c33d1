using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Miraflow.Pipeline.Rtp;

namespace Miraflow.Pipeline.Transport;

/// <summary>
/// Sends an RTCP sender report (SR + SDES CNAME, <see cref="RtcpSenderReport"/>) to the sink's
/// RTCP port at a fixed interval, from a UDP socket connected to that port.
/// </summary>
/// <remarks>
/// <para>
/// RTCP is optional in WFD (protocol doc §4.2): most sinks send none and ignore it, AOSP 4.3+
/// sends no reports, gst-rtsp-server and AOSP 4.2 do. So the reporter is off unless
/// <see cref="RtcpReporterOptions.Enabled"/> is set, and it never fails a session: when the
/// sink has no RTCP port (port 0), or the socket cannot be opened, it simply does not run
/// (<see cref="IsActive"/> is <see langword="false"/>), and send errors are counted and logged
/// at most once a second, never thrown.
/// </para>
/// <para>
/// Each report reads the RTP sender's state (<see cref="IRtpSenderState"/>) and the wall clock
/// (<see cref="TimeProvider.GetUtcNow"/>) back to back, so the NTP and RTP timestamps describe
/// the same instant. The first report leaves one <see cref="RtcpReporterOptions.Interval"/>
/// after <see cref="Start"/>; <see cref="SendReport"/> sends one at once (for example when the
/// stream starts). Reports are written into one buffer allocated up front.
/// </para>
/// </remarks>
public sealed class RtcpReporter : IDisposable, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly IRtpSenderState _state;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly byte[] _cname;
    private readonly byte[] _packet = new byte[RtcpSenderReport.MaxLength];
    private readonly Socket? _socket;
    private ITimer? _timer;
    private ErrorLogLimiter _errorLog;
    private bool _disposed;
    private long _reportsSent;
    private long _sendErrors;

    /// <summary>
    /// Prepares reports for the sink whose RTP port is <paramref name="sinkRtpEndPoint"/>: when
    /// enabled and the sink has an RTCP port, opens a UDP socket connected to it. Call
    /// <see cref="Start"/> to begin the periodic reports.
    /// </summary>
    /// <param name="sinkRtpEndPoint">The sink's RTP address and port; the RTCP port is this port + 1 unless <see cref="RtcpReporterOptions.RtcpPort"/> says otherwise.</param>
    /// <param name="state">Where the SSRC, RTP timestamp and counts are read.</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults (off).</param>
    /// <param name="logger">Where errors are logged; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The wall clock and the timer; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sinkRtpEndPoint"/> or <paramref name="state"/> is <see langword="null"/>.</exception>
    public RtcpReporter(IPEndPoint sinkRtpEndPoint, IRtpSenderState state, RtcpReporterOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sinkRtpEndPoint);
        ArgumentNullException.ThrowIfNull(state);
        options ??= new RtcpReporterOptions();
        _state = state;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _interval = options.Interval;
        _cname = Encoding.UTF8.GetBytes(options.CName);

        if (!options.Enabled)
        {
            TransportLog.RtcpNotStarted(_logger, "disabled");
            return;
        }

        int port = options.RtcpPort ?? (sinkRtpEndPoint.Port == 0 ? 0 : sinkRtpEndPoint.Port + 1);
        if (port is 0 or > IPEndPoint.MaxPort)
        {
            TransportLog.RtcpNotStarted(_logger, $"the sink has no RTCP port (RTP port {sinkRtpEndPoint.Port}, RTCP port {port})");
            return;
        }

        var remote = new IPEndPoint(sinkRtpEndPoint.Address, port);
        IPEndPoint? local = options.LocalEndPoint;
        var socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (local is not null)
            {
                socket.Bind(local);
            }

            socket.Connect(remote);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            TransportLog.RtcpOpenFailed(_logger, remote, ex.SocketErrorCode);
            return;
        }

        _socket = socket;
        RemoteEndPoint = remote;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>Whether reports are sent: enabled, the sink has an RTCP port, and the socket opened.</summary>
    public bool IsActive => _socket is not null;

    /// <summary>Whether the periodic reports have been started and the reporter is not disposed.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _timer is not null && !_disposed;
            }
        }
    }

    /// <summary>The sink's RTCP address and port, or <see langword="null"/> when not <see cref="IsActive"/>.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The address and port reports leave from, or <see langword="null"/> when not <see cref="IsActive"/>.</summary>
    public IPEndPoint? LocalEndPoint { get; }

    /// <summary>The reports the kernel accepted.</summary>
    public long ReportsSent => Interlocked.Read(ref _reportsSent);

    /// <summary>The reports whose send failed (for example <c>ECONNREFUSED</c> when nothing listens on the sink's RTCP port).</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>
    /// Starts sending a report every <see cref="RtcpReporterOptions.Interval"/>, the first one
    /// interval from now. Does nothing when not <see cref="IsActive"/> or already started.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The reporter has been disposed.</exception>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_socket is null || _timer is not null)
            {
                return;
            }

            _timer = _time.CreateTimer(static state => ((RtcpReporter)state!).SendReport(), this, _interval, _interval);
            TransportLog.RtcpStarted(_logger, RemoteEndPoint!, _interval);
        }
    }

    /// <summary>
    /// Sends one report now. <see langword="true"/> when the kernel accepted it;
    /// <see langword="false"/> when not <see cref="IsActive"/>, disposed, or the send failed
    /// (counted in <see cref="SendErrors"/>). Never throws.
    /// </summary>
    public bool SendReport()
    {
        lock (_gate)
        {
            if (_socket is null || _disposed)
            {
                return false;
            }

            uint ssrc;
            uint rtpTimestamp;
            long packets;
            long octets;
            ulong ntpTimestamp;
            try
            {
                ssrc = _state.Ssrc;
                rtpTimestamp = _state.CurrentRtpTimestamp;
                ntpTimestamp = RtcpSenderReport.ToNtpTimestamp(_time.GetUtcNow());
                packets = _state.PacketCount;
                octets = _state.OctetCount;
            }
            catch (Exception ex)
            {
                // A failing state provider must not take down the timer thread: log, skip this report.
                TransportLog.RtcpStateFailed(_logger, ex);
                return false;
            }

            RtcpSenderReport.TryWrite(_packet, ssrc, ntpTimestamp, rtpTimestamp, unchecked((uint)packets), unchecked((uint)octets), _cname, out int length);
            _socket.Send(_packet.AsSpan(0, length), SocketFlags.None, out SocketError error);
            if (error == SocketError.Success)
            {
                Interlocked.Increment(ref _reportsSent);
                return true;
            }

            Interlocked.Increment(ref _sendErrors);
            if (_errorLog.ShouldLog(_time, out long suppressed))
            {
                TransportLog.RtcpSendFailed(_logger, RemoteEndPoint!, error, suppressed);
            }

            return false;
        }
    }

    /// <summary>Stops the reports and closes the socket. Idempotent.</summary>
    public void Dispose()
    {
        ITimer? timer;
        lock (_gate)
        {
            _disposed = true;
            timer = _timer;
            _socket?.Dispose();
        }

        timer?.Dispose();
    }

    /// <summary>Stops the reports and closes the socket. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        ITimer? timer;
        lock (_gate)
        {
            _disposed = true;
            timer = _timer;
            _socket?.Dispose();
        }

        if (timer is not null)
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
