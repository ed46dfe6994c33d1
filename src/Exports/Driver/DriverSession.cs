using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;
using Miraflow.Pipeline.Composition;
using Miraflow.Pipeline.Control;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Ts;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Sessions;

namespace Miraflow.Exports.Driver;

/// <summary>
/// One Miracast session, from <c>StartMiracastSession</c> to <c>StopMiracastSession</c> (contract
/// §2.4, §2.5): a <see cref="SessionController"/> over the OS's RTSP socket, the chunk reader
/// (<see cref="ChunkFrameSource"/>), the frame store, the data-rate registration, and the
/// reports to the OS (it is the controller's <see cref="ISessionObserver"/>).
/// </summary>
/// <remarks>
/// <code>
///  controller / pipeline says            the OS hears
///  M3 + M4 done (inside Start)        ⇒  MIRACAST_SESSION_INFO, Start returns
///  Start has returned                 ⇒  MonitorArrival IoControl + EVENT MONITOR_ARRIVE
///  unit about to be sent              ⇒  CHUNK_PROCESSING_COMPLETE per part, then CHUNK_SENT per part
///  picture dropped or discarded       ⇒  CHUNK_PROCESSING_COMPLETE(FRAME_DROPPED)
///  sink asked for an IDR (M13)        ⇒  EVENT IFRAME_RQ
///  the session ended by itself        ⇒  ReportSessionStatus(reason)
///  (sink failed a mode change also    ⇒  MonitorDeparture IoControl + EVENT MONITOR_DEPART)
///  Stop                               ⇒  nothing (no departure, no status)
/// </code>
/// Parts: an access unit with one slice is part 0; with N slices, parts 1 … N−1 in slice order,
/// then 0 for the last (§2.10).
/// </remarks>
internal sealed unsafe partial class DriverSession : ISessionObserver
{
    /// <summary>How long Start waits for M3 and M4 (the HLK expects M4 within 15 s; the RTSP timeouts end it sooner).</summary>
    internal static readonly TimeSpan NegotiationBudget = TimeSpan.FromSeconds(20);

    /// <summary>The controller's stop budget: TEARDOWN with its 2 s wait for M8 and the drain, inside Stop's 3 s.</summary>
    internal static readonly TimeSpan ControllerStopBudget = TimeSpan.FromMilliseconds(2500);

    /// <summary>Sessions by the id given to the OS as the data-rate context (never a pointer the OS could outlive).</summary>
    private static readonly ConcurrentDictionary<nint, DriverSession> s_byId = new();
    private static long s_nextId;

    private readonly DriverContext _context;
    private readonly KernelChannel _kernel;
    private readonly MappedFrameStore _store;
    private readonly Socket _rtspSocket;
    private readonly ILogger _logger;
    private readonly nint _id;
    private readonly bool _passThrough;
    private volatile bool _startReturned;
    private SessionController? _controller;
    private SessionNegotiated? _negotiated;
    private bool _dataRateRegistered;
    private volatile bool _stopping;
    private volatile bool _running;
    private readonly Lock _arrivalLock = new();
    private Task _arrivals = Task.CompletedTask;

    private DriverSession(DriverContext context, KernelChannel kernel, MappedFrameStore store, Socket rtspSocket)
    {
        _context = context;
        _kernel = kernel;
        _store = store;
        _rtspSocket = rtspSocket;
        _logger = context.Logger;
        _passThrough = context.Services.GetRequiredService<IOptions<MiraflowOptions>>().Value.EncoderKey == MiraflowEncoders.PassThrough;
        _id = (nint)Interlocked.Increment(ref s_nextId);
        s_byId[_id] = this;
    }

    /// <summary>The OS's device handle (first argument of every callback).</summary>
    public HANDLE Device => _context.Device;

    /// <summary>The OS's callbacks.</summary>
    public MIRACAST_CALLBACKS Callbacks => _context.Callbacks;

    /// <summary>The controller, once Start has created it.</summary>
    public SessionController? Controller => _controller;

    /// <summary>
    /// <c>StartMiracastSession</c>'s work (§2.4), on the OS's thread: frame store, data-rate
    /// registration, M1–M4, the bandwidth check, <c>MIRACAST_SESSION_INFO</c>.
    /// </summary>
    /// <returns>The NTSTATUS for the OS; <paramref name="session"/> is set only on success.</returns>
    public static int Start(DriverContext context, SOCKET rtspSocket, in MIRACAST_WFD_CONNECTION_STATS stats, out MIRACAST_SESSION_INFO info, out DriverSession? session)
    {
        info = default;
        session = null;
        var kernel = new KernelChannel(context.Device, context.Callbacks.MiracastIoControl);

        // The frame store first: without it no chunk can be read. Asked on this thread, where the OS processes MiracastIoControl (§2.4).
        int status = kernel.QueryFrameStore(out FrameStoreInfoMessage storeInfo, out string? error);
        if (status != STATUS.STATUS_SUCCESS)
        {
            LogStartRefused(context.Logger, "the kernel driver did not describe its frame store", error ?? string.Empty);
            return status;
        }

        MappedFrameStore store;
        try
        {
            store = MappedFrameStore.Open(storeInfo, kernel);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogStartRefused(context.Logger, "the frame store cannot be mapped", e.Message);
            return STATUS.STATUS_UNSUCCESSFUL;
        }

        Socket socket;
        try
        {
            // Wrapped, never owned: the OS closes it after Stop (§2.4).
            socket = new Socket(new SafeSocketHandle((nint)rtspSocket.Value, ownsHandle: false));
            _ = socket.RemoteEndPoint as IPEndPoint ?? throw new SocketException((int)SocketError.NotConnected);
        }
        catch (SocketException e)
        {
            store.Dispose();
            LogStartRefused(context.Logger, "the RTSP socket is not a connected TCP socket", e.Message);
            return STATUS.STATUS_INVALID_PARAMETER;
        }

        var created = new DriverSession(context, kernel, store, socket);
        context.Session = created; // PLAY may come before Start returns: the frame source must find the session
        status = created.Negotiate(stats, out info);
        if (status != STATUS.STATUS_SUCCESS)
        {
            created.Stop();
            context.Session = null;
            return status;
        }

        session = created;
        return STATUS.STATUS_SUCCESS;
    }

    /// <summary>Called by the export right before Start returns success: the arrival may go out now (§2.4).</summary>
    public void OnStartReturned()
    {
        _running = true;
        _startReturned = true;
        if (_negotiated is { Capabilities.MonitorConnected: true } negotiated)
        {
            // Not on the OS's thread: MiracastIoControl from it would run while Start is still on the stack.
            QueueArrival(negotiated.Capabilities, negotiated.Format.Mode);
        }
    }

    /// <summary>
    /// <c>StopMiracastSession</c>'s work (§2.5), on the OS's thread: the controller stops (TEARDOWN,
    /// 2 s for M8, drain) within <see cref="ControllerStopBudget"/>, the data-rate registration is
    /// cancelled on this thread, our sockets close (not the OS's), no departure and no status are reported.
    /// </summary>
    public void Stop()
    {
        _stopping = true;
        _running = false;
        if (_controller is { } controller)
        {
            if (!BoundedWait.Wait(controller.StopAsync(), ControllerStopBudget))
            {
                LogStopCut(_logger, ControllerStopBudget.TotalMilliseconds);
            }
        }

        if (_dataRateRegistered)
        {
            int status = Callbacks.RegisterForDataRateNotifications(Device, null, null);
            if (status != STATUS.STATUS_SUCCESS)
            {
                LogDataRate(_logger, "unregistration", status);
            }

            _dataRateRegistered = false;
        }

        _ = s_byId.TryRemove(_id, out _);
        _store.Dispose();
        _rtspSocket.Dispose(); // our wrapper only: ownsHandle is false, the OS's socket stays open
    }

    /// <summary>A power message from the kernel driver (§2.7): off ⇒ M12 standby, on ⇒ resume with an IDR.</summary>
    public int OnPowerMessage(bool powerOn)
    {
        if (_controller is not { } controller || !_running)
        {
            return STATUS.STATUS_INVALID_DEVICE_STATE;
        }

        // The command is queued on the controller's loop; the OS thread does not wait for the sink.
        LogIfFaulted(powerOn ? controller.ResumeAsync() : controller.EnterStandbyAsync(), "power");
        return STATUS.STATUS_SUCCESS;
    }

    /// <summary>
    /// <c>SetMode</c> from the kernel driver (the OS committed a new mode on the Miracast target):
    /// the format of that mode from the sink's list goes out in a mid-session M4, queued on the
    /// controller's loop (the OS thread does not wait for the sink). When the sink accepts, the new
    /// mode is reported like an arrival (<c>MonitorArrival</c> with the mode, then EVENT
    /// MONITOR_ARRIVE: the HLK "Mode Change" protocol event); when it refuses, the session ends
    /// with <c>SINK_FAILED_STANDARD_MODE_CHANGE</c> and a departure.
    /// </summary>
    /// <returns>
    /// STATUS_SUCCESS when the change is under way (or the mode is already streamed: the arrival is
    /// reported again); STATUS_NOT_SUPPORTED for a mode the sink did not offer;
    /// STATUS_INVALID_DEVICE_STATE when no session streams.
    /// </returns>
    public int OnSetMode(SetModeMessage mode)
    {
        if (_controller is not { } controller || !_running || _negotiated is not { } negotiated || controller.Media is not { } media)
        {
            return STATUS.STATUS_INVALID_DEVICE_STATE;
        }

        NegotiatedFormat? format = FindFormat(negotiated.Capabilities.Negotiation, mode);
        if (format is null)
        {
            LogModeRefused(_logger, mode.Width, mode.Height, mode.FramesPerSecond);
            return STATUS.STATUS_NOT_SUPPORTED;
        }

        if (format == media.Format)
        {
            QueueArrival(negotiated.Capabilities, format.Mode);
            return STATUS.STATUS_SUCCESS;
        }

        LogModeChange(_logger, format);
        Task change;
        try
        {
            change = controller.ChangeFormatAsync(format);
        }
        catch (InvalidOperationException)
        {
            return STATUS.STATUS_INVALID_DEVICE_STATE; // the media ended meanwhile
        }

        LogIfFaulted(change, "mode change");
        return STATUS.STATUS_SUCCESS;
    }

    /// <summary>Logs the failure of a command queued on the controller's loop, which the OS thread did not wait for.</summary>
    private void LogIfFaulted(Task command, string what) =>
        _ = command.ContinueWith(
            t => LogCommandFailed(_logger, what, t.Exception!.GetBaseException()),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    /// <summary>The sink's format for a mode: the first candidate (preferred profile, lowest level) with that size and rate, progressive.</summary>
    internal static NegotiatedFormat? FindFormat(NegotiationResult negotiation, SetModeMessage mode) =>
        negotiation.Candidates.FirstOrDefault(f =>
            f.Mode.Width == mode.Width && f.Mode.Height == mode.Height && f.Mode.FramesPerSecond == mode.FramesPerSecond && f.Mode.Progressive);

    /// <summary>Makes the driver's frame source for a media session (the composition's <see cref="IFrameSourceFactory"/>).</summary>
    public IFrameSource CreateFrameSource(MediaClock clock, NegotiatedFormat format) =>
        new ChunkFrameSource(this, _store, clock, format, _passThrough, _logger);

    /// <summary>The chunk reader lost a frame (reset, incomplete, malformed, kernel-dropped): the next picture must be an IDR.</summary>
    public void OnChunksLost()
    {
        _controller?.Media?.EncodeStage.OnPictureLost();
        if (_passThrough && !_stopping)
        {
            _ = _kernel.RequestIdr();
        }
    }

    /// <summary>Reports FRAME_DROPPED for <paramref name="frameNumber"/>, part 0.</summary>
    public void ReportFrameDropped(ulong frameNumber) =>
        ReportChunk(MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED, frameNumber, 0, 0, 0);

    void ISessionObserver.OnFrameDropped(ulong frameNumber) => ReportFrameDropped(frameNumber);

    void ISessionObserver.OnFrameDiscarded(ulong frameNumber) => ReportFrameDropped(frameNumber);

    void ISessionObserver.OnIdrRequested()
    {
        ReportEvent(MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_IFRAME_RQ);
        if (_passThrough)
        {
            _ = _kernel.RequestIdr();
        }
    }

    void ISessionObserver.OnStreamingStarted(NegotiatedFormat format, IPEndPoint sink) => LogStreaming(_logger, format, sink);

    void ISessionObserver.OnMonitorDeparted()
    {
        // HLK "Monitor Disconnect": the departure is reported, then the session stops (OnEnded reports why).
        if (_negotiated is { Capabilities.MonitorConnected: true } && !_stopping && _kernel.SendMonitorDeparture() == STATUS.STATUS_SUCCESS)
        {
            ReportEvent(MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_DEPART);
        }
    }

    void ISessionObserver.OnFormatChanged(NegotiatedFormat format)
    {
        if (_negotiated is { Capabilities.MonitorConnected: true } negotiated)
        {
            QueueArrival(negotiated.Capabilities, format.Mode); // the kernel driver now presents this mode
        }
    }

    void ISessionObserver.OnPaused(bool standby) => LogPaused(_logger, standby);

    void ISessionObserver.OnResumed() => LogResumed(_logger);

    /// <summary>
    /// The CHUNK_SENT point (§2.10): the unit is muxed and its first datagram goes out next. Reports
    /// our processing of each part (CHUNK_PROCESSING_COMPLETE, ENCODE_COMPLETE: the picture's encode
    /// time split evenly over its parts, the encoder's target rate), then CHUNK_SENT for each part.
    /// </summary>
    void ISessionObserver.OnUnitSending(EncodedFrame unit)
    {
        int slices = Math.Max(1, CountSlices(unit.Data));
        int rate = (_controller?.Media?.BitrateController.Target ?? 0) / 1000;
        uint perPart = (uint)Math.Min(uint.MaxValue, (long)(unit.EncodeDuration.Ticks / TimeSpan.TicksPerMicrosecond / slices));
        for (int i = 1; i <= slices; i++)
        {
            uint part = i == slices ? 0u : (uint)i;
            ReportChunk(MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE, unit.FrameNumber, part, perPart, (uint)Math.Max(0, rate));
        }

        for (int i = 1; i <= slices; i++)
        {
            ReportSent(unit.FrameNumber, i == slices ? 0u : (uint)i);
        }
    }

    void ISessionObserver.OnEnded(SessionOutcome outcome)
    {
        _running = false;
        LogEnded(_logger, outcome.Reason, outcome.Detail);
        if (_stopping || outcome.Reason == SessionEndReason.Stopped || !_startReturned)
        {
            return; // Stop asked for it, or Start is failing and says so itself
        }

        if (outcome.Reason == SessionEndReason.SinkFailedModeChange && _negotiated is { Capabilities.MonitorConnected: true })
        {
            // HLK "Sink failed to set mode": report it and disconnect the monitor.
            if (_kernel.SendMonitorDeparture() == STATUS.STATUS_SUCCESS)
            {
                ReportEvent(MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_DEPART);
            }
        }

        (MIRACAST_STATUS status, int detail) = outcome.Reason switch
        {
            SessionEndReason.MissingKeepAlive => (MIRACAST_STATUS.MIRACAST_STATUS_MISSING_KEEPALIVE, STATUS.STATUS_IO_TIMEOUT),
            SessionEndReason.SinkDisconnectRequest => (MIRACAST_STATUS.MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST, STATUS.STATUS_CONNECTION_DISCONNECTED),
            SessionEndReason.InsufficientBandwidth => (MIRACAST_STATUS.MIRACAST_STATUS_INSUFFICIENT_BANDWIDTH, STATUS.STATUS_DEVICE_INSUFFICIENT_RESOURCES),
            SessionEndReason.SinkFailedModeChange => (MIRACAST_STATUS.MIRACAST_STATUS_SINK_FAILED_STANDARD_MODE_CHANGE, STATUS.STATUS_NOT_SUPPORTED),
            _ => (MIRACAST_STATUS.MIRACAST_STATUS_CRITICAL_ERROR, STATUS.STATUS_UNSUCCESSFUL),
        };
        Callbacks.ReportSessionStatus(Device, status, detail);
    }

    /// <summary>Counts the coded slices (NAL types 1 and 5) of an Annex-B access unit.</summary>
    internal static int CountSlices(ReadOnlySpan<byte> accessUnit)
    {
        int count = 0;
        int nal = AccessUnitLayout.NextNalUnit(accessUnit, 0, out _);
        while (nal >= 0 && nal < accessUnit.Length)
        {
            int type = accessUnit[nal] & 0x1F;
            if (type is NalUnitType.NonIdrSlice or NalUnitType.IdrSlice)
            {
                count++;
            }

            nal = AccessUnitLayout.NextNalUnit(accessUnit, nal + 1, out _);
        }

        return count;
    }

    /// <summary>Maps a <c>wfd_connector_type</c> to a <c>D3DKMDT_VIDEO_OUTPUT_TECHNOLOGY</c> (docs/kernel-protocol.md, MonitorArrival).</summary>
    internal static uint ToVideoOutputTechnology(byte? connector) => connector switch
    {
        0 or 1 or 2 or 3 or 4 or 5 or 8 or 9 or 10 or 12 => connector.Value,
        _ => MonitorArrivalMessage.VotMiracast,
    };

    private int Negotiate(in MIRACAST_WFD_CONNECTION_STATS stats, out MIRACAST_SESSION_INFO info)
    {
        info = default;
        ulong suggested = stats.CurrentBitRate;
        RegisterDataRate();

        DriverSessionOptions keepAlive = _context.Services.GetService<IOptions<DriverSessionOptions>>()?.Value ?? new DriverSessionOptions();
        var options = new SessionControllerOptions
        {
            Rtsp = new SourceSessionOptions
            {
                SuggestedBitrate = suggested == 0 ? null : (long)Math.Min(suggested, long.MaxValue),
                SessionTimeoutSeconds = keepAlive.SessionTimeoutSeconds,
                KeepAliveResponseTimeout = keepAlive.KeepAliveResponseTimeout,
            },
            StopBudget = ControllerStopBudget,
            InitialBitrate = (int)Math.Min(suggested, int.MaxValue),
        };
        var controller = new SessionController(
            _rtspSocket,
            _context.Services.GetRequiredService<IMediaPipelineFactory>(),
            options,
            this,
            _context.Services.GetService<TimeProvider>(),
            _context.Services.GetService<ILoggerFactory>());
        _controller = controller;
        controller.Start();

        Task<SessionNegotiated> negotiation = controller.Negotiated;
        if (!BoundedWait.Wait(negotiation, NegotiationBudget))
        {
            LogStartRefused(_logger, "the sink did not complete M3 and M4 in time", $"{NegotiationBudget.TotalSeconds} s");
            return STATUS.STATUS_IO_TIMEOUT;
        }

        if (negotiation.Exception?.GetBaseException() is SessionEndedException ended)
        {
            LogStartRefused(_logger, $"the session ended during negotiation ({ended.Reason})", ended.Detail);
            return ended.Reason switch
            {
                SessionEndReason.InsufficientBandwidth => STATUS.STATUS_DEVICE_INSUFFICIENT_RESOURCES,
                SessionEndReason.MissingKeepAlive => STATUS.STATUS_IO_TIMEOUT,
                SessionEndReason.SinkDisconnectRequest => STATUS.STATUS_CONNECTION_DISCONNECTED,
                SessionEndReason.SinkFailedModeChange => STATUS.STATUS_NOT_SUPPORTED,
                _ => STATUS.STATUS_UNSUCCESSFUL,
            };
        }

        if (!negotiation.IsCompletedSuccessfully)
        {
            LogStartRefused(_logger, "negotiation failed", negotiation.Exception?.GetBaseException().Message ?? "cancelled");
            return STATUS.STATUS_UNSUCCESSFUL;
        }

        SessionNegotiated negotiated = negotiation.GetAwaiter().GetResult(); // completed: does not block
        bool monitor = negotiated.Capabilities.MonitorConnected;
        if (monitor && suggested != 0 && !BandwidthModel.CanCarry1024x768((long)Math.Min(suggested, long.MaxValue)))
        {
            LogStartRefused(_logger, "the suggested rate cannot carry 1024×768", $"{suggested} bit/s, {BandwidthModel.RequiredBitrate(1024, 768, 30)} needed");
            return STATUS.STATUS_DEVICE_INSUFFICIENT_RESOURCES;
        }

        _negotiated = negotiated;
        info.MonitorConnected = monitor ? 1u : 0u;
        info.ReducedModeListDueToBandwidth = negotiated.Capabilities.Negotiation.ReducedByBandwidth ? 1u : 0u;
        LogStarted(_logger, negotiated.Format, monitor, info.ReducedModeListDueToBandwidth != 0);
        return STATUS.STATUS_SUCCESS;
    }

    private void RegisterDataRate()
    {
        delegate* unmanaged[Stdcall]<void*, MIRACAST_DATARATE_STATS*, void> routine = &OnDataRateNotification;
        int status = Callbacks.RegisterForDataRateNotifications(Device, (void*)_id, routine);
        _dataRateRegistered = status == STATUS.STATUS_SUCCESS;
        if (!_dataRateRegistered)
        {
            LogDataRate(_logger, "registration", status); // optional (§2.11): the session runs on the start rate
        }
    }

    /// <summary>Reports an arrival off the caller's thread, after the ones queued before it (so the last mode reported is the last one set).</summary>
    private void QueueArrival(CapabilitiesReceived capabilities, VideoMode mode)
    {
        lock (_arrivalLock)
        {
            _arrivals = _arrivals.ContinueWith(_ => ReportArrival(capabilities, mode), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private void ReportArrival(CapabilitiesReceived capabilities, VideoMode mode)
    {
        try
        {
            WfdParameterSet sink = capabilities.SinkParameters;
            byte? connector = sink.TryGet(out WfdConnectorType? type, out _) ? type?.Type : null;
            ReadOnlyMemory<byte> edid = sink.TryGet(out WfdDisplayEdid? display, out _) && display is not null ? display.Edid : ReadOnlyMemory<byte>.Empty;
            if (edid.Length % 128 != 0 || edid.Length > MonitorArrivalMessage.MaxEdidLength)
            {
                edid = ReadOnlyMemory<byte>.Empty;
            }

            var arrival = new MonitorArrivalMessage(ToVideoOutputTechnology(connector), mode.Width, mode.Height, mode.FramesPerSecond, edid);
            if (_stopping)
            {
                return;
            }

            int status = _kernel.SendMonitorArrival(arrival);
            if (status != STATUS.STATUS_SUCCESS)
            {
                LogArrivalFailed(_logger, status);
                return;
            }

            ReportEvent(MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_ARRIVE);
        }
        catch (Exception e)
        {
            LogArrivalFailed(_logger, STATUS.STATUS_UNSUCCESSFUL);
            LogUnexpected(_logger, e);
        }
    }

    private void ReportChunk(MIRACAST_CHUNK_TYPE type, ulong frame, uint part, uint processingMicroseconds, uint rateKbps)
    {
        MIRACAST_STATISTIC_DATA data = default;
        data.StatisticType = MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE;
        ref MIRACAST_CHUNK_INFO info = ref data.EncodeComplete.ChunkInfo;
        info.ChunkType = type;
        info.ChunkId.Value = new ChunkId(frame & ChunkId.MaxFrameNumber, part).Value;
        info.ProcessingTime = processingMicroseconds;
        info.EncodeRate = rateKbps;
        Report(&data);
    }

    private void ReportSent(ulong frame, uint part)
    {
        MIRACAST_STATISTIC_DATA data = default;
        data.StatisticType = MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT;
        data.ChunkSent.ChunkId.Value = new ChunkId(frame & ChunkId.MaxFrameNumber, part).Value;
        Report(&data);
    }

    private void ReportEvent(MIRACAST_PROTOCOL_EVENT protocolEvent)
    {
        MIRACAST_STATISTIC_DATA data = default;
        data.StatisticType = MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_EVENT;
        data.ProtocolEvent.Event = protocolEvent;
        Report(&data);
    }

    /// <summary>Reports to the OS. Also during Stop: the units the drain still sends are reported like any other.</summary>
    private void Report(MIRACAST_STATISTIC_DATA* data) => Callbacks.ReportStatistic(Device, data);

    /// <summary>
    /// <c>pfnDataRateNotify</c> (§2.11): the OS's thread, about once a second. The context is the
    /// session's id, looked up, so a late call after Stop finds nothing and does nothing.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void OnDataRateNotification(void* context, MIRACAST_DATARATE_STATS* stats)
    {
        try
        {
            if (!s_byId.TryGetValue((nint)context, out DriverSession? session) || session._stopping)
            {
                return;
            }

            DataRateSample sample = stats is null
                ? DataRateSample.Unavailable
                : new DataRateSample(stats->EncoderBitRate, stats->CurrentMaxTxDataRate, stats->TransmittedFrameCount, stats->FailedFrameCount, stats->RetriedFrameCount, stats->MultipleRetryFrameCount);
            _ = session._controller?.OnDataRate(sample);
        }
        catch (Exception e)
        {
            _ = DriverExports.ToNtStatus(e); // a notification has nothing to return; the session goes on
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "StartMiracastSession fails: {Why} ({Detail})")]
    private static partial void LogStartRefused(ILogger logger, string why, string detail);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "StartMiracastSession: {Format}; monitor connected {Monitor}, mode list reduced for bandwidth {Reduced}")]
    private static partial void LogStarted(ILogger logger, NegotiatedFormat format, bool monitor, bool reduced);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "Data-rate {What} refused with 0x{Status:X8}")]
    private static partial void LogDataRate(ILogger logger, string what, int status);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "StopMiracastSession: the session was still stopping after {BudgetMs} ms; returning to the OS")]
    private static partial void LogStopCut(ILogger logger, double budgetMs);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "Monitor arrival was refused by the kernel driver with 0x{Status:X8}")]
    private static partial void LogArrivalFailed(ILogger logger, int status);

    [LoggerMessage(EventId = 35, Level = LogLevel.Error, Message = "Unexpected failure in the driver session")]
    private static partial void LogUnexpected(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 36, Level = LogLevel.Information, Message = "Streaming {Format} to {Sink}")]
    private static partial void LogStreaming(ILogger logger, NegotiatedFormat format, IPEndPoint sink);

    [LoggerMessage(EventId = 37, Level = LogLevel.Information, Message = "Sending paused (standby {Standby})")]
    private static partial void LogPaused(ILogger logger, bool standby);

    [LoggerMessage(EventId = 38, Level = LogLevel.Information, Message = "Sending resumed")]
    private static partial void LogResumed(ILogger logger);

    [LoggerMessage(EventId = 39, Level = LogLevel.Information, Message = "Session ended: {Reason} ({Detail})")]
    private static partial void LogEnded(ILogger logger, SessionEndReason reason, string detail);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "A {What} command to the sink failed")]
    private static partial void LogCommandFailed(ILogger logger, string what, Exception exception);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "SetMode {Width}x{Height}p{Fps}: the sink offered no such mode")]
    private static partial void LogModeRefused(ILogger logger, int width, int height, int fps);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "SetMode: changing to {Format} (M4)")]
    private static partial void LogModeChange(ILogger logger, NegotiatedFormat format);

}
