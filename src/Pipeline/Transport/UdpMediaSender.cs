using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Miraflow.Pipeline.Rtp;

namespace Miraflow.Pipeline.Transport;

/// <summary>
/// Sends the RTP datagrams of a <see cref="DatagramBatch"/> to the sink's RTP port over a
/// connected UDP socket (protocol doc §4.1, house rule 17), with no allocation per batch.
/// </summary>
/// <remarks>
/// <para>
/// <b>Segmentation offload.</b> Where the kernel offers it (Linux <c>UDP_SEGMENT</c>, 4.18+,
/// <c>udp(7)</c>; Windows <c>UDP_SEND_MSG_SIZE</c>, Windows 10 1703+) a run of equal-sized
/// datagrams leaves in one system call and the kernel splits it, which cuts the per-datagram
/// system-call cost of a 100-datagram IDR frame to two or three calls. A run is at most 64
/// datagrams and 65507 bytes; it ends at a datagram of another size (a shorter one is the
/// run's last, a longer one starts the next run):
/// <code>
///   batch:  1328 1328 1328 700 | 1328 1328 200 | 1472 | 1328 ...
///           └─── one send ───┘  └─ one send ─┘   └ one ┘
/// </code>
/// The socket option fixes the segment size, so it is set again only when a run's size differs
/// from the current one (normally it stays at 1328 = 12 + 7 × 188). If the option is refused
/// (an old kernel answers <c>ENOPROTOOPT</c>), or a segmented send fails in a way that means
/// the path cannot segment (<c>EIO</c>, <c>EINVAL</c>, <c>EMSGSIZE</c>, <c>EOPNOTSUPP</c>), the
/// sender logs it once, sends that run again one datagram at a time, and stays on that plain
/// path for good (<see cref="UsesSegmentationOffload"/> turns <see langword="false"/>).
/// </para>
/// <para>
/// <b>Capturing the stream.</b> A packet capture (tshark, dumpcap) on the loopback interface
/// <c>lo</c> shows a segmented send as one large UDP packet (for example 13388 bytes for ten
/// 1328-byte datagrams and one of 100 bytes): the kernel splits it only on the receive side.
/// Receiving sockets see the separate datagrams. To inspect the stream on loopback, create the
/// sender with <see cref="UdpSenderOptions.SegmentationOffload"/> set to
/// <see cref="SegmentationOffloadMode.Off"/>.
/// </para>
/// <para>
/// <b>Errors.</b> Sends never throw for network errors. A connected UDP socket learns of ICMP
/// port-unreachable answers, so after the sink closes its port the next sends fail with
/// <c>ECONNREFUSED</c>; such failures are counted in <see cref="Statistics"/> and logged at most
/// once a second, and the call returns normally (the datagrams of that send are lost, as they
/// would be on the network). Only misuse throws: a <see langword="null"/> batch, or a send after
/// <see cref="Dispose"/>.
/// </para>
/// <para>
/// <b>Threads.</b> One caller sends at a time (the send stage of the pipeline);
/// <see cref="Statistics"/> may be read from any thread.
/// </para>
/// </remarks>
public sealed class UdpMediaSender : IDisposable
{
    /// <summary>The usual RTP datagram of a WFD stream: 12-byte RTP header + 7 × 188-byte TS packets.</summary>
    public const int TypicalDatagramSize = 12 + (7 * 188);

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SegmentationOffload _offload;
    private readonly bool _pacingEnabled;
    private readonly int _pacingThreshold;
    private readonly int _pacingBurst;
    private readonly TimeSpan _pacingWindow;

    private bool _useOffload;
    private int _segmentSize;
    private ErrorLogLimiter _errorLog;
    private volatile bool _disposed;

    private long _batches;
    private long _datagramsSent;
    private long _bytesSent;
    private long _sendCalls;
    private long _sendErrors;
    private long _datagramsDropped;

    /// <summary>
    /// Opens a UDP socket, applies <paramref name="options"/>, binds it (when
    /// <see cref="UdpSenderOptions.LocalEndPoint"/> is set) and connects it to
    /// <paramref name="remoteEndPoint"/>. Connecting a UDP socket sends nothing.
    /// </summary>
    /// <param name="remoteEndPoint">The sink's RTP address and port (the M6 <c>client_port</c>).</param>
    /// <param name="options">The settings; <see langword="null"/> for the defaults.</param>
    /// <param name="logger">Where send errors and offload decisions are logged; <see langword="null"/> for none.</param>
    /// <param name="timeProvider">The clock for pacing waits and log rate limits; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="remoteEndPoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The remote port is 0, or the local end point's address family differs from the remote one's.</exception>
    /// <exception cref="SocketException">The socket could not be bound or connected (address in use, no route).</exception>
    public UdpMediaSender(IPEndPoint remoteEndPoint, UdpSenderOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(remoteEndPoint, options, logger, timeProvider, SegmentationOffload.ForCurrentPlatform())
    {
    }

    /// <summary>Creates a sender with a given offload strategy (tests substitute their own).</summary>
    internal UdpMediaSender(IPEndPoint remoteEndPoint, UdpSenderOptions? options, ILogger? logger, TimeProvider? timeProvider, SegmentationOffload offload)
    {
        ArgumentNullException.ThrowIfNull(remoteEndPoint);
        ArgumentNullException.ThrowIfNull(offload);
        if (remoteEndPoint.Port == 0)
        {
            throw new ArgumentException("The sink's RTP port must not be 0.", nameof(remoteEndPoint));
        }

        options ??= new UdpSenderOptions();
        IPEndPoint? local = options.LocalEndPoint;
        if (local is not null && local.AddressFamily != remoteEndPoint.AddressFamily)
        {
            throw new ArgumentException($"The local end point {local} and the sink {remoteEndPoint} are of different address families.", nameof(options));
        }

        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _offload = offload;
        UdpPacingOptions pacing = options.Pacing;
        _pacingEnabled = pacing.Enabled;
        _pacingThreshold = pacing.ThresholdDatagrams;
        _pacingBurst = pacing.BurstDatagrams;
        _pacingWindow = pacing.Window;

        _socket = new Socket(remoteEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (options.SendBufferSize is int sendBufferSize)
            {
                _socket.SendBufferSize = sendBufferSize;
            }

            if (local is not null)
            {
                _socket.Bind(local);
            }

            _socket.Connect(remoteEndPoint);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        RemoteEndPoint = remoteEndPoint;
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        if (options.Dscp is int dscp)
        {
            ApplyDscp(dscp);
        }

        if (options.SegmentationOffload == SegmentationOffloadMode.Auto)
        {
            if (offload.TrySetSegmentSize(_socket, TypicalDatagramSize, out SocketError error))
            {
                _useOffload = true;
                _segmentSize = TypicalDatagramSize;
            }
            else
            {
                TransportLog.OffloadUnavailable(_logger, remoteEndPoint, offload.Name, error);
            }
        }

        TransportLog.Opened(_logger, remoteEndPoint, LocalEndPoint, _useOffload ? offload.Name : "off", _socket.SendBufferSize);
    }

    /// <summary>The sink's RTP address and port.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>The address and port the datagrams leave from.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>
    /// Whether runs of equal-sized datagrams currently leave in one system call. Turns
    /// <see langword="false"/> for good if the kernel refuses a segmented send.
    /// </summary>
    public bool UsesSegmentationOffload => Volatile.Read(ref _useOffload);

    /// <summary>A snapshot of the counters; safe to read from any thread.</summary>
    public UdpSenderStatistics Statistics => new(
        Interlocked.Read(ref _batches),
        Interlocked.Read(ref _datagramsSent),
        Interlocked.Read(ref _bytesSent),
        Interlocked.Read(ref _sendCalls),
        Interlocked.Read(ref _sendErrors),
        Interlocked.Read(ref _datagramsDropped));

    /// <summary>
    /// Sends every datagram of <paramref name="batch"/> now, in order, as few system calls as
    /// the offload allows. Network errors are counted and logged, never thrown (see remarks of
    /// <see cref="UdpMediaSender"/>). The batch is not changed and may be reused on return.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The sender has been disposed.</exception>
    public void Send(DatagramBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        Interlocked.Increment(ref _batches);
        SendRange(batch, 0, batch.Count);
    }

    /// <summary>
    /// Sends <paramref name="batch"/>, paced when <see cref="UdpSenderOptions.Pacing"/> is enabled
    /// and the batch has more than <see cref="UdpPacingOptions.ThresholdDatagrams"/> datagrams;
    /// otherwise exactly like <see cref="Send"/>, completing synchronously without allocating.
    /// </summary>
    /// <remarks>
    /// The caller must not clear, reuse or dispose the batch until the returned task completes.
    /// Network errors are counted and logged, never thrown.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The sender has been disposed (also between two paced bursts).</exception>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled before the batch or between two
    /// bursts; the bursts not yet sent are not sent.
    /// </exception>
    public ValueTask SendAsync(DatagramBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (!_pacingEnabled || batch.Count <= _pacingThreshold)
        {
            Interlocked.Increment(ref _batches);
            SendRange(batch, 0, batch.Count);
            return default;
        }

        return SendPacedAsync(batch, cancellationToken);
    }

    /// <summary>Closes the socket. Idempotent.</summary>
    public void Dispose()
    {
        _disposed = true;
        _socket.Dispose();
    }

    /// <summary>
    /// Splits a batch into bursts (see <see cref="UdpPacingOptions"/>): the number of bursts it
    /// needs at <paramref name="burstDatagrams"/> each, capped at one per
    /// <see cref="UdpPacingOptions.MinimumInterval"/> of the window, then evened out.
    /// </summary>
    internal static (int Bursts, int PerBurst, TimeSpan Interval) PlanBursts(int count, int burstDatagrams, TimeSpan window)
    {
        int maxBursts = Math.Max(1, (int)(window.Ticks / UdpPacingOptions.MinimumInterval.Ticks));
        int bursts = Math.Min(maxBursts, (count + burstDatagrams - 1) / burstDatagrams);
        int perBurst = (count + bursts - 1) / bursts;
        bursts = (count + perBurst - 1) / perBurst;
        return (bursts, perBurst, TimeSpan.FromTicks(window.Ticks / bursts));
    }

    private async ValueTask SendPacedAsync(DatagramBatch batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _batches);
        int count = batch.Count;
        (_, int perBurst, TimeSpan interval) = PlanBursts(count, _pacingBurst, _pacingWindow);
        int sent = 0;
        while (true)
        {
            int burst = Math.Min(perBurst, count - sent);
            SendRange(batch, sent, burst);
            sent += burst;
            if (sent == count)
            {
                return;
            }

            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
            ObjectDisposedException.ThrowIf(_disposed, this);
        }
    }

    private void SendRange(DatagramBatch batch, int first, int count)
    {
        ReadOnlySpan<byte> bytes = batch.Bytes;
        int end = first + count;
        int index = first;
        while (index < end)
        {
            (int offset, int size) = batch.GetRange(index);
            if (!_useOffload)
            {
                SendOne(bytes.Slice(offset, size));
                index++;
                continue;
            }

            // Grow the run while the datagrams have its size; a shorter one ends it.
            int maxSegments = Math.Min(SegmentationOffload.MaxSegmentsPerSend, SegmentationOffload.MaxBytesPerSend / size);
            int runCount = 1;
            int runBytes = size;
            while (index + runCount < end && runCount < maxSegments)
            {
                int next = batch.GetRange(index + runCount).Length;
                if (next > size || runBytes + next > SegmentationOffload.MaxBytesPerSend)
                {
                    break;
                }

                runCount++;
                runBytes += next;
                if (next < size)
                {
                    break;
                }
            }

            if (SendRun(bytes.Slice(offset, runBytes), size, runCount))
            {
                index += runCount;
            }

            // Otherwise offload is now off: the loop sends the same run again one by one.
        }
    }

    /// <summary>Sends one run; <see langword="false"/> when offload failed and was switched off (nothing was sent).</summary>
    private bool SendRun(ReadOnlySpan<byte> run, int segmentSize, int count)
    {
        // A send no longer than the current segment size leaves unsplit: no option change needed.
        if (count == 1 && segmentSize <= _segmentSize)
        {
            SendOne(run);
            return true;
        }

        if (segmentSize != _segmentSize)
        {
            if (!_offload.TrySetSegmentSize(_socket, segmentSize, out SocketError optionError))
            {
                DisableOffload(optionError);
                return false;
            }

            _segmentSize = segmentSize;
        }

        _socket.Send(run, SocketFlags.None, out SocketError error);
        Interlocked.Increment(ref _sendCalls);
        if (error == SocketError.Success)
        {
            Interlocked.Add(ref _datagramsSent, count);
            Interlocked.Add(ref _bytesSent, run.Length);
            return true;
        }

        if (SegmentationOffload.MeansUnsupported(error))
        {
            DisableOffload(error);
            return false;
        }

        RecordError(error, count);
        return true;
    }

    private void SendOne(ReadOnlySpan<byte> datagram)
    {
        _socket.Send(datagram, SocketFlags.None, out SocketError error);
        Interlocked.Increment(ref _sendCalls);
        if (error == SocketError.Success)
        {
            Interlocked.Increment(ref _datagramsSent);
            Interlocked.Add(ref _bytesSent, datagram.Length);
        }
        else
        {
            RecordError(error, 1);
        }
    }

    private void DisableOffload(SocketError error)
    {
        Volatile.Write(ref _useOffload, false);

        // Clear the option so single sends larger than the old segment size leave unsplit.
        // Failure is harmless: the kernel never splits a send no longer than the segment size,
        // and a send that would need splitting fails and is counted.
        _offload.TrySetSegmentSize(_socket, 0, out _);
        _segmentSize = 0;
        TransportLog.OffloadDisabled(_logger, RemoteEndPoint, _offload.Name, error);
    }

    private void RecordError(SocketError error, int datagrams)
    {
        Interlocked.Increment(ref _sendErrors);
        Interlocked.Add(ref _datagramsDropped, datagrams);
        if (_errorLog.ShouldLog(_time, out long suppressed))
        {
            TransportLog.SendFailed(_logger, RemoteEndPoint, error, suppressed);
        }
    }

    private void ApplyDscp(int dscp)
    {
        // DSCP is the upper six bits of the IPv4 TOS / IPv6 traffic class octet (RFC 2474 §3).
        int trafficClass = dscp << 2;
        try
        {
            if (_socket.AddressFamily == AddressFamily.InterNetwork)
            {
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.TypeOfService, trafficClass);
            }
            else if (OperatingSystem.IsLinux())
            {
                // IPPROTO_IPV6 (41), IPV6_TCLASS (67) from linux/in6.h.
                _socket.SetRawSocketOption(41, 67, BitConverter.GetBytes(trafficClass));
            }
            else
            {
                TransportLog.DscpFailed(_logger, RemoteEndPoint, dscp, SocketError.OperationNotSupported);
            }
        }
        catch (SocketException ex)
        {
            TransportLog.DscpFailed(_logger, RemoteEndPoint, dscp, ex.SocketErrorCode);
        }
    }
}
