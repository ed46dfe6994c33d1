using System.Net;
using System.Net.Sockets;
using Miraflow.Rtsp.Sessions;
using Miraflow.Rtsp.Transport;

namespace Miraflow.Simulator.Sink;

/// <summary>
/// A WFD sink for tests and the simulator: our <see cref="SinkSession"/> on the RTSP connection
/// (through <see cref="RtspSocketRunner{TSession}"/>) and an RTP receiver on the RTSP connection's
/// local address (127.0.0.1 on loopback) that checks every datagram (<see cref="RtpTsInspector"/>)
/// and keeps the MPEG-TS it carries, up to <see cref="SinkEmulatorOptions.MaxCaptureBytes"/>. With
/// <see cref="SinkEmulatorOptions.RequestIdrOnLoss"/> it asks for an IDR (M13) when packets are
/// lost and measures how long the picture takes to recover (<see cref="IdrRecovery"/>).
/// </summary>
/// <remarks>
/// Nothing thrown inside its loops escapes: a socket error ends the session (see <see cref="Ended"/>).
/// The RTSP socket is closed on dispose only when the emulator opened it (<see cref="ConnectAsync"/>).
/// </remarks>
public sealed class SinkEmulator : IAsyncDisposable
{
    private readonly Socket _rtsp;
    private readonly bool _ownsRtsp;
    private readonly Socket _rtp;
    private readonly RtspSocketRunner<SinkSession> _runner;
    private readonly RtpTsInspector _inspector = new();
    private readonly VideoPesArrivals _arrivals;
    private readonly IdrPictureDetector _idrPictures = new();
    private readonly IdrRecovery _recovery;
    private readonly bool _requestIdrOnLoss;
    private readonly TsCapture _capture;
    private readonly object _gate = new();
    private readonly List<(long Count, TaskCompletionSource Reached)> _waiters = [];
    private readonly TaskCompletionSource _streaming = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<SinkEnded> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private readonly Task _eventLoop;
    private SinkFormat? _format;
    private int _disposed;
    private int _sessionTimeoutSeconds;
    private long _keepAlives;

    private SinkEmulator(Socket rtsp, bool ownsRtsp, SinkEmulatorOptions options)
    {
        _rtsp = rtsp;
        _ownsRtsp = ownsRtsp;
        _capture = new TsCapture(options.MaxCaptureBytes, options.CaptureFile);
        _arrivals = new VideoPesArrivals(options.RecordedArrivals);
        _recovery = new IdrRecovery(options.IdrRequestInterval, options.IdrRetryAfter);
        _requestIdrOnLoss = options.RequestIdrOnLoss;
        _rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _rtp.ReceiveBufferSize = options.ReceiveBufferBytes;
            _rtp.Bind(new IPEndPoint(RtpAddress(rtsp), 0));
            RtpEndPoint = (IPEndPoint)_rtp.LocalEndPoint!;
            var session = new SinkSession(new SinkSessionOptions
            {
                Capabilities = options.Capabilities,
                RtpPort = RtpEndPoint.Port,
                AcceptFormat = options.AcceptFormat,
                ResponseTimeout = options.ResponseTimeout,
            });
            _runner = new RtspSocketRunner<SinkSession>(rtsp, session);
        }
        catch
        {
            _rtp.Dispose();
            _capture.Dispose();
            throw;
        }

        _runner.Start();
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _eventLoop = Task.Run(EventLoopAsync);
    }

    /// <summary>
    /// Where the sink receives RTP: the port it asked for in SETUP, on the RTSP connection's local
    /// IPv4 address, where the source sends it (127.0.0.1 for a loopback or IPv6 connection).
    /// </summary>
    public IPEndPoint RtpEndPoint { get; }

    /// <summary>Completes at the first RTP datagram; faults if the session ends before one arrived.</summary>
    public Task Streaming => _streaming.Task;

    /// <summary>Completes (never faulted) when the RTSP session is over, with its reason.</summary>
    public Task<SinkEnded> Ended => _ended.Task;

    /// <summary>The format the source set in M4, or null before it did.</summary>
    public SinkFormat? Format => Volatile.Read(ref _format);

    /// <summary>The receiver's counters now.</summary>
    public SinkStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return StatisticsLocked();
            }
        }
    }

    /// <summary>The IDR requests sent and the pictures' recoveries so far.</summary>
    public IdrRecoveryStatistics IdrRecovery
    {
        get
        {
            lock (_gate)
            {
                return _recovery.Snapshot(_idrPictures.IdrPictures);
            }
        }
    }

    /// <summary>Video PES (pictures) seen so far, the last one possibly still arriving.</summary>
    public long VideoPesCount
    {
        get
        {
            lock (_gate)
            {
                return _arrivals.Count;
            }
        }
    }

    /// <summary>
    /// When each video PES arrived, in order (<see cref="System.Diagnostics.Stopwatch"/>
    /// timestamps of the datagram that completed it; at most 2^20 are kept). The last PES is
    /// complete only once the stream has ended, so it is included only when
    /// <paramref name="includeLast"/> (ask for it after the source stopped sending).
    /// </summary>
    public long[] VideoPesArrivalTimestamps(bool includeLast)
    {
        lock (_gate)
        {
            return _arrivals.Snapshot(includeLast);
        }
    }

    /// <summary>
    /// Everything received so far, taken at one instant (the receive loop waits meanwhile). With a
    /// <see cref="SinkEmulatorOptions.CaptureFile"/> the capture ends at this instant: the file is
    /// closed holding exactly what the recording counts, and nothing more is kept.
    /// </summary>
    public SinkRecording Recording()
    {
        lock (_gate)
        {
            if (_capture.FilePath is not null)
            {
                _capture.Seal();
            }

            return new SinkRecording(
                StatisticsLocked(),
                _recovery.Snapshot(_idrPictures.IdrPictures),
                _arrivals.Count,
                _arrivals.Snapshot(includeOpen: true),
                _capture.FilePath is null ? _capture.ToArray() : null,
                _capture.WriteError);
        }
    }

    /// <summary>The receiver's counters with the capture's; the caller holds the lock.</summary>
    private SinkStatistics StatisticsLocked() =>
        _inspector.Snapshot() with { CapturedBytes = _capture.Length, CaptureTruncated = _capture.Truncated };

    /// <summary>Dials a WFD source's RTSP endpoint (the sink connects, as in WFD) and starts the session.</summary>
    /// <exception cref="SocketException">The source could not be reached.</exception>
    public static async Task<SinkEmulator> ConnectAsync(IPEndPoint source, SinkEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new SinkEmulatorOptions();
        options.Validate();
        var socket = new Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(source, cancellationToken).ConfigureAwait(false);
            return new SinkEmulator(socket, ownsRtsp: true, options);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Runs the sink over an RTSP socket already connected to the source; the caller keeps ownership of the socket.</summary>
    public static SinkEmulator Start(Socket connectedRtspSocket, SinkEmulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connectedRtspSocket);
        options ??= new SinkEmulatorOptions();
        options.Validate();
        return new SinkEmulator(connectedRtspSocket, ownsRtsp: false, options);
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> RTP datagrams have arrived. Returns false when
    /// <paramref name="timeout"/> passes first (the statistics tell how many did).
    /// </summary>
    public async Task<bool> WaitForDatagramsAsync(long count, TimeSpan timeout)
    {
        TaskCompletionSource reached;
        lock (_gate)
        {
            if (_inspector.RtpDatagrams >= count)
            {
                return true;
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                _waiters.RemoveAll(w => w.Reached == reached);
            }

            return false;
        }
    }

    /// <summary>A copy of the MPEG-TS kept so far: the RTP payloads in arrival order (read back from <see cref="SinkEmulatorOptions.CaptureFile"/> when there is one).</summary>
    /// <exception cref="InvalidOperationException">A file capture is larger than one array can hold.</exception>
    public byte[] CaptureTs()
    {
        lock (_gate)
        {
            return _capture.ToArray();
        }
    }

    /// <summary>The session timeout the source advertised in its SETUP answer (<c>Session: id;timeout=N</c>), or null before PLAY.</summary>
    public int? AdvertisedSessionTimeoutSeconds => Volatile.Read(ref _sessionTimeoutSeconds) is > 0 and var seconds ? seconds : null;

    /// <summary>M16 keep-alives received from the source (answered or not).</summary>
    public long KeepAlivesReceived => Interlocked.Read(ref _keepAlives);

    /// <summary>Reports the sink's monitor unplugged (<c>wfd_connector_type: none</c>): our source then reports a departure and ends the session.</summary>
    public Task UnplugMonitorAsync() => _runner.InvokeAsync(static s => s.ReportMonitorUnplugged());

    /// <summary>From now on the sink leaves the source's M16 keep-alives unanswered (it reads them, and the media, as before).</summary>
    public Task StopAnsweringKeepAlivesAsync() => _runner.InvokeAsync(static s => s.AnswerKeepAlives = false);

    /// <summary>Writes <see cref="CaptureTs"/> to a file.</summary>
    public Task WriteCaptureAsync(string path, CancellationToken cancellationToken = default) =>
        File.WriteAllBytesAsync(path, CaptureTs(), cancellationToken);

    /// <summary>
    /// Ends the session from the sink (M8 TEARDOWN) and waits until it is over, at most
    /// <paramref name="timeout"/> (default 5 s); returns how it ended, or null when it had not ended by then.
    /// </summary>
    public async Task<SinkEnded?> TeardownAsync(TimeSpan? timeout = null)
    {
        try
        {
            await _runner.InvokeAsync(static s => s.Teardown()).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The runner has already stopped: the session is over.
        }

        try
        {
            return await Ended.WaitAsync(timeout ?? TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Stops both loops, closes the RTP socket (and the RTSP socket when the emulator opened it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _runner.DisposeAsync().ConfigureAwait(false);
        _rtp.Dispose();
        await Task.WhenAll(_receiveLoop, _eventLoop).ConfigureAwait(false);
        lock (_gate)
        {
            _capture.Dispose();
        }

        End(SessionEndReason.Stopped, "the sink emulator was disposed");
        if (_ownsRtsp)
        {
            _rtsp.Dispose();
        }

        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65_536];
        while (!_stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _rtp.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                End(SessionEndReason.CriticalError, $"RTP receive failed: {ex.Message}");
                await _runner.DisposeAsync().ConfigureAwait(false);
                return;
            }

            long arrival = System.Diagnostics.Stopwatch.GetTimestamp();
            bool media;
            bool requestIdr = false;
            lock (_gate)
            {
                long damage = _inspector.Damage;
                media = _inspector.Inspect(buffer.AsSpan(0, received), out int offset, out int length);
                if (media)
                {
                    _arrivals.Record(buffer.AsSpan(offset, length), arrival);
                    if (_idrPictures.Record(buffer.AsSpan(offset, length)))
                    {
                        _recovery.IdrArrived(arrival);
                    }

                    _capture.Append(buffer.AsSpan(offset, length));
                    ReleaseWaiters(_inspector.RtpDatagrams);
                }

                requestIdr = _requestIdrOnLoss && _inspector.Damage != damage && _recovery.TryBegin(arrival);
            }

            if (media)
            {
                _streaming.TrySetResult();
            }

            if (requestIdr)
            {
                _ = RequestIdrAsync();
            }
        }
    }

    /// <summary>The IPv4 address the RTSP socket is bound to, or 127.0.0.1 when it has none.</summary>
    private static IPAddress RtpAddress(Socket rtsp) =>
        rtsp.LocalEndPoint is IPEndPoint { AddressFamily: AddressFamily.InterNetwork } local && !local.Address.Equals(IPAddress.Any)
            ? local.Address
            : IPAddress.Loopback;

    /// <summary>Sends an M13 from the RTSP loop when the session plays, and records whether it went out.</summary>
    private async Task RequestIdrAsync()
    {
        bool sent = false;
        try
        {
            await _runner.InvokeAsync(s =>
            {
                if (s.State == SinkSessionState.Playing)
                {
                    s.RequestIdr();
                    sent = true;
                }
            }).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The runner has stopped: the session is over, nothing to ask for.
        }

        lock (_gate)
        {
            _recovery.Sent(System.Diagnostics.Stopwatch.GetTimestamp(), sent);
        }
    }

    private void ReleaseWaiters(long count)
    {
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Count <= count)
            {
                _waiters[i].Reached.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }

    private async Task EventLoopAsync()
    {
        try
        {
            await foreach (SessionEvent sessionEvent in _runner.Events.ReadAllAsync().ConfigureAwait(false))
            {
                switch (sessionEvent)
                {
                    case FormatSet set:
                        Volatile.Write(ref _format, SinkFormat.From(set.Video, set.Audio));
                        break;
                    case SinkPlaying playing:
                        Volatile.Write(ref _sessionTimeoutSeconds, playing.TimeoutSeconds);
                        break;
                    case KeepAliveReceived:
                        _ = Interlocked.Increment(ref _keepAlives);
                        break;
                    case SessionEnded ended:
                        End(ended.Reason, ended.Detail);
                        break;
                }
            }

            End(SessionEndReason.CriticalError, "the RTSP connection stopped without ending the session");
        }
        catch (Exception ex)
        {
            End(SessionEndReason.CriticalError, $"the RTSP loop failed: {ex.Message}");
        }
    }

    private void End(SessionEndReason reason, string detail)
    {
        if (_ended.TrySetResult(new SinkEnded(reason, detail)))
        {
            _streaming.TrySetException(new InvalidOperationException($"The session ended before any media arrived ({reason}: {detail})."));
            _ = _streaming.Task.Exception; // observed here, so an unawaited Streaming raises no UnobservedTaskException
        }
    }
}
