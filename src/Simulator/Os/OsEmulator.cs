using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;

namespace Miraflow.Simulator.Os;

/// <summary>
/// Plays Windows 8.1 and the kernel-mode display driver for one Miracast device and one driver
/// context: drives a UMD through its <see cref="MIRACAST_DRIVER_INTERFACE"/> as the OS does and
/// implements the five <see cref="MIRACAST_CALLBACKS"/>, the reference kernel protocol
/// (docs/kernel-protocol.md), a frame store under /dev/shm and a simulated GPU. Contract
/// breaches by the driver are recorded in <see cref="Violations"/> and never thrown into it.
/// </summary>
/// <remarks>
/// Decisions where the contract is silent (see also the callbacks):
/// <list type="bullet">
/// <item><c>MiracastIoControl</c> from a foreign thread while Stop runs, after Destroy, or after the
/// OS gave up on a slow Stop fails with <see cref="STATUS_INVALID_DEVICE_STATE"/>.</item>
/// <item>A kernel message that is dropped (no context, or sent during/after Stop) is not delivered;
/// <see cref="HandleKernelMessage"/> returns <see cref="STATUS_INVALID_DEVICE_STATE"/>, the status the
/// KMD's completion callback would see, and counts it.</item>
/// <item>The chunk queue closes (<c>STATUS_INSTANCE_NOT_AVAILABLE</c>) when Stop returns, at Destroy,
/// or when Stop is still running after <see cref="OsEmulatorOptions.LifecycleBudget"/>: then the OS
/// destroys the KMD context while the UMD still runs (§3.1). The GPU stops when Stop begins.</item>
/// </list>
/// </remarks>
public sealed unsafe partial class OsEmulator : IDisposable
{
    /// <summary>
    /// <c>STATUS_INVALID_DEVICE_STATE</c> (0xC0000184): our answer to a <c>MiracastIoControl</c> the
    /// contract says fails (foreign thread during Stop, after Destroy; §2.5, §2.8) without naming a
    /// code, and to a dropped kernel message.
    /// </summary>
    public const int STATUS_INVALID_DEVICE_STATE = unchecked((int)0xC0000184);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, long> _chunkResults = new();
    private long _eventWakeups;

    private static readonly ConcurrentDictionary<nint, OsEmulator> s_devices = new();

    private readonly DriverLibrary _driver;
    private readonly MIRACAST_DRIVER_INTERFACE _table;
    private readonly OsEmulatorOptions _options;
    private readonly ILogger? _logger;
    private readonly GCHandle _self;
    private readonly FrameStore _store;
    private readonly ChunkQueue _queue;
    private readonly SimulatedGpu _gpu;
    private readonly object _stateLock = new();
    private readonly Lock _kmdLock = new();
    private readonly Lock _dataRateLock = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<StatisticRecord> _statistics = new();
    private readonly ConcurrentDictionary<(MIRACAST_STATISTIC_TYPE, MIRACAST_CHUNK_TYPE), long> _statisticCounts = new();
    private readonly ConcurrentDictionary<MIRACAST_PROTOCOL_EVENT, long> _eventCounts = new();
    private readonly ConcurrentQueue<IoControlRecord> _ioControls = new();
    private readonly ConcurrentQueue<SessionStatusRecord> _sessionStatuses = new();
    private readonly TaskCompletionSource<(MIRACAST_STATUS Status, int NtStatus)> _firstSessionStatus = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MIRACAST_CALLBACKS _callbacks;
    private void* _context;
    private Phase _phase;
    private LifecycleCall _call;
    private int _callThreadId;
    private int _messagesInFlight;
    private long _framesSent;
    private long _lastSentFrame = -1;
    private uint _lastEncodeRate;
    private long _startReturnedAt;
    private bool _kmdDestroyed;
    private bool _disposed;
    private int _chunkCallers;
    private DataRateNotifier? _notifier;
    private bool _dataRateRegistered;
    private MIRACAST_DATARATE_STATS _dataRate;
    private MonitorArrivalMessage? _monitor;
    private long _kernelMessagesDropped;
    private long _idrRequests;

    /// <summary>Creates the device: the frame store, the chunk queue and the GPU. The driver is not called yet.</summary>
    /// <param name="driver">The driver to drive.</param>
    /// <param name="options">Settings; the defaults when null. Validated here.</param>
    /// <param name="logger">Where violations and errors are also logged.</param>
    public OsEmulator(DriverLibrary driver, OsEmulatorOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(driver);
        _options = options ?? new OsEmulatorOptions();
        _options.Validate();
        _driver = driver;
        _table = driver.Interface;
        _logger = logger;
        _dataRate = new MIRACAST_DATARATE_STATS { EncoderBitRate = 20_000_000, CurrentMaxTxDataRate = 300_000_000 };
        _store = new FrameStore(_options.FrameStoreDirectory, _options.SlotCount, _options.SlotSize);
        _queue = new ChunkQueue(_options.ChunkQueueCapacity, _store);
        _gpu = new SimulatedGpu(_store, _queue, _options, RecordError);
        _callbacks.ReportSessionStatus = &ReportSessionStatusCallback;
        _callbacks.MiracastIoControl = &MiracastIoControlCallback;
        _callbacks.ReportStatistic = &ReportStatisticCallback;
        _callbacks.GetNextChunkData = &GetNextChunkDataCallback;
        _callbacks.RegisterForDataRateNotifications = &RegisterForDataRateNotificationsCallback;
        _self = GCHandle.Alloc(this);
        _ = s_devices.TryAdd(GCHandle.ToIntPtr(_self), this);
    }

    private enum Phase
    {
        New,
        Created,
        Started,
        Stopped,
        Destroyed,
    }

    private enum LifecycleCall
    {
        None,
        Create,
        Start,
        Stop,
        Destroy,
    }

    /// <summary>The device handle given to <c>CreateMiracastContext</c> (a <see cref="GCHandle"/> to this emulator).</summary>
    public HANDLE DeviceHandle => (HANDLE)GCHandle.ToIntPtr(_self);

    /// <summary>The driver being driven.</summary>
    public DriverLibrary Driver => _driver;

    /// <summary>The frame-store file (what <c>QueryFrameStore</c> answers).</summary>
    public string FrameStorePath => _store.Path;

    /// <summary>Contract breaches by the driver, in order.</summary>
    public IReadOnlyList<string> Violations => [.. _violations];

    /// <summary>Failures of the emulator itself or of its environment (GPU, frame source, late threads).</summary>
    public IReadOnlyList<string> Errors => [.. _errors];

    /// <summary>Every <c>ReportStatistic</c>, in order.</summary>
    public IReadOnlyList<StatisticRecord> Statistics => [.. _statistics];

    /// <summary>
    /// How many reports of each kind arrived, all of them (also those <see cref="OsEmulatorOptions.MaxRecords"/>
    /// let go): the key is the statistic type and, for <c>CHUNK_PROCESSING_COMPLETE</c>, the chunk
    /// type (<c>UNKNOWN</c> for the other types).
    /// </summary>
    public long StatisticCount(MIRACAST_STATISTIC_TYPE type, MIRACAST_CHUNK_TYPE chunk = MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_UNKNOWN) =>
        _statisticCounts.TryGetValue((type, chunk), out long count) ? count : 0;

    /// <summary><c>EVENT</c> reports of <paramref name="protocolEvent"/> so far, all of them (also those <see cref="OsEmulatorOptions.MaxRecords"/> let go).</summary>
    public long ProtocolEventCount(MIRACAST_PROTOCOL_EVENT protocolEvent) =>
        _eventCounts.TryGetValue(protocolEvent, out long count) ? count : 0;

    /// <summary>
    /// Frames the driver reported sent so far: <c>CHUNK_SENT</c> reports counted once per frame (a
    /// frame of N slices reports N parts), as <c>Latency.SentFrames</c> counts the records, but kept
    /// whatever <see cref="OsEmulatorOptions.MaxRecords"/> lets go.
    /// </summary>
    public long FramesReportedSent => Interlocked.Read(ref _framesSent);

    /// <summary>The encoder rate (kbit/s) of the last <c>ENCODE_COMPLETE</c> report, 0 before one.</summary>
    public uint LastEncodeRateKbps => Volatile.Read(ref _lastEncodeRate);

    /// <summary>Every <c>MiracastIoControl</c>, in order.</summary>
    public IReadOnlyList<IoControlRecord> IoControls => [.. _ioControls];

    /// <summary>Every <c>ReportSessionStatus</c>, in order.</summary>
    public IReadOnlyList<SessionStatusRecord> SessionStatuses => [.. _sessionStatuses];

    /// <summary>Completes with the first <c>ReportSessionStatus</c>.</summary>
    public Task<(MIRACAST_STATUS Status, int NtStatus)> SessionStatusReported => _firstSessionStatus.Task;

    /// <summary>How long <c>CreateMiracastContext</c> took.</summary>
    public TimeSpan CreateDuration { get; private set; }

    /// <summary>How long <c>StartMiracastSession</c> took.</summary>
    public TimeSpan StartDuration { get; private set; }

    /// <summary>How long <c>StopMiracastSession</c> took.</summary>
    public TimeSpan StopDuration { get; private set; }

    /// <summary>How long <c>DestroyMiracastContext</c> took.</summary>
    public TimeSpan DestroyDuration { get; private set; }

    /// <summary>The managed id of the thread that called Start (0 before).</summary>
    public int StartThreadId { get; private set; }

    /// <summary>The managed id of the thread that called Stop (0 before).</summary>
    public int StopThreadId { get; private set; }

    /// <summary>The monitor the UMD reported (<c>MonitorArrival</c>), or null before arrival and after departure (the UMD's, or the KMD's own at Destroy).</summary>
    public MonitorArrivalMessage? Monitor
    {
        get
        {
            lock (_kmdLock)
            {
                return _monitor;
            }
        }
    }

    /// <summary>Frames the simulated GPU submitted.</summary>
    public long FramesProduced => _gpu.FramesProduced;

    /// <summary>
    /// When the simulated GPU captured frame <paramref name="frameNumber"/> (a
    /// <see cref="Stopwatch"/> timestamp, the <c>CaptureTimestamp</c> its chunks carry); false for
    /// a frame not produced (yet) or beyond the first 2^20 frames, which are the ones recorded.
    /// </summary>
    public bool TryGetCaptureTimestamp(ulong frameNumber, out long timestamp) => _gpu.TryGetCaptureTimestamp(frameNumber, out timestamp);

    /// <summary>Frames the KMD dropped for want of a free slot (<c>FRAME_DROPPED</c> chunks).</summary>
    public long FramesDropped => _gpu.FramesDropped;

    /// <summary>Chunk-queue overflows (forced ones included).</summary>
    public int Resets => _queue.Resets;

    /// <summary>Chunks waiting in the OS queue.</summary>
    public int QueuedChunks => _queue.Count;

    /// <summary>Kernel messages dropped by the OS (no context, or during/after Stop).</summary>
    public long KernelMessagesDropped => Interlocked.Read(ref _kernelMessagesDropped);

    /// <summary><c>RequestIdr</c> messages received.</summary>
    public long IdrRequests => Interlocked.Read(ref _idrRequests);

    /// <summary>The frame-store slots the UMD holds (returned by <c>GetNextChunkData</c>, not yet released).</summary>
    public IReadOnlyList<int> HeldSlots => _store.HeldSlots();

    /// <summary>Whether a data-rate routine is registered.</summary>
    public bool DataRateRegistered
    {
        get
        {
            lock (_dataRateLock)
            {
                return _dataRateRegistered;
            }
        }
    }

    /// <summary><c>pfnDataRateNotify</c> calls so far (of the current or last registration).</summary>
    public long DataRateNotifications
    {
        get
        {
            lock (_dataRateLock)
            {
                return _notifier?.Notifications ?? 0;
            }
        }
    }

    /// <summary>The QoS sample the next <c>pfnDataRateNotify</c> carries.</summary>
    public MIRACAST_DATARATE_STATS DataRate
    {
        get
        {
            lock (_dataRateLock)
            {
                return _dataRate;
            }
        }

        set
        {
            lock (_dataRateLock)
            {
                _dataRate = value;
            }
        }
    }

    /// <summary>Whether the OS presents to the Miracast target (the GPU produces frames once a monitor arrived).</summary>
    public bool Presenting => _gpu.Presenting;

    /// <summary>The callback table given to the driver (tests call the callbacks through it).</summary>
    internal MIRACAST_CALLBACKS Callbacks => _callbacks;

    /// <summary>Whether the simulated GPU's thread runs (a monitor arrived and has not departed).</summary>
    internal bool GpuRunning => _gpu.IsRunning;

    /// <summary>Calls <c>CreateMiracastContext</c> on this thread (§2.3).</summary>
    /// <returns>The driver's NTSTATUS.</returns>
    /// <exception cref="InvalidOperationException">A context was already created, or the call re-enters the lifecycle.</exception>
    public int Create()
    {
        Enter(LifecycleCall.Create, Phase.New);
        int status = STATUS.STATUS_UNSUCCESSFUL;
        try
        {
            MIRACAST_CALLBACKS callbacks = _callbacks;
            void* context = null;
            long started = Stopwatch.GetTimestamp();
            status = _table.CreateMiracastContext(DeviceHandle, &callbacks, &context);
            CreateDuration = Stopwatch.GetElapsedTime(started);
            if (Windows.NT_SUCCESS(status))
            {
                _context = context;
            }

            return status;
        }
        finally
        {
            Exit(Windows.NT_SUCCESS(status) ? Phase.Created : Phase.New);
        }
    }

    /// <summary>
    /// Calls <c>StartMiracastSession</c> on this thread (§2.4) with the accepted RTSP socket's file
    /// descriptor as <c>SOCKET</c>. The socket stays the caller's: the OS closes it after Stop.
    /// </summary>
    /// <returns>The driver's NTSTATUS.</returns>
    /// <exception cref="InvalidOperationException">No context, or a session was already started.</exception>
    public int Start(Socket acceptedRtspSocket, MIRACAST_WFD_CONNECTION_STATS stats, out MIRACAST_SESSION_INFO info)
    {
        ArgumentNullException.ThrowIfNull(acceptedRtspSocket);
        var socket = (SOCKET)(nuint)acceptedRtspSocket.Handle;
        Enter(LifecycleCall.Start, Phase.Created);
        int status = STATUS.STATUS_UNSUCCESSFUL;
        MIRACAST_SESSION_INFO result = default;
        try
        {
            StartThreadId = Environment.CurrentManagedThreadId;
            long started = Stopwatch.GetTimestamp();
            status = _table.StartMiracastSession(_context, socket, &stats, &result);
            StartDuration = Stopwatch.GetElapsedTime(started);
            info = result;
            return status;
        }
        finally
        {
            lock (_stateLock)
            {
                _startReturnedAt = Stopwatch.GetTimestamp();
            }

            Exit(Windows.NT_SUCCESS(status) ? Phase.Started : Phase.Created);
        }
    }

    /// <summary>
    /// Calls <c>StopMiracastSession</c> on this thread (§2.5). The GPU stops first; the chunk queue
    /// closes when it returns, or when it is still running after the budget (a violation).
    /// </summary>
    /// <exception cref="InvalidOperationException">No context, or the session was already stopped.</exception>
    public void Stop()
    {
        Enter(LifecycleCall.Stop, Phase.Created, Phase.Started);
        try
        {
            StopThreadId = Environment.CurrentManagedThreadId;
            _gpu.Stop();
            StopNotifierThread();
            using var giveUp = new Timer(_ => OnStopOverBudget(), null, _options.LifecycleBudget, Timeout.InfiniteTimeSpan);
            long started = Stopwatch.GetTimestamp();
            _table.StopMiracastSession(_context);
            StopDuration = Stopwatch.GetElapsedTime(started);
            if (StopDuration > _options.LifecycleBudget)
            {
                RecordViolation($"StopMiracastSession took {StopDuration.TotalMilliseconds:F0} ms, more than {_options.LifecycleBudget.TotalMilliseconds:F0} ms (§2.5).");
            }
        }
        finally
        {
            _queue.Close();
            Exit(Phase.Stopped);
        }
    }

    /// <summary>
    /// Calls <c>DestroyMiracastContext</c> on this thread (§2.6), then tears the KMD side down: GPU,
    /// data-rate notifications, chunk queue, frame-store file.
    /// </summary>
    /// <exception cref="InvalidOperationException">No context, or it was already destroyed.</exception>
    public void Destroy()
    {
        Enter(LifecycleCall.Destroy, Phase.Created, Phase.Started, Phase.Stopped);
        try
        {
            _gpu.Stop();
            StopNotifierThread();
            long started = Stopwatch.GetTimestamp();
            _table.DestroyMiracastContext(_context);
            DestroyDuration = Stopwatch.GetElapsedTime(started);
            if (DestroyDuration > _options.LifecycleBudget)
            {
                RecordViolation($"DestroyMiracastContext took {DestroyDuration.TotalMilliseconds:F0} ms, more than {_options.LifecycleBudget.TotalMilliseconds:F0} ms (§2.6).");
            }
        }
        finally
        {
            lock (_stateLock)
            {
                _kmdDestroyed = true;
            }

            _monitor = null; // the KMD's DestroyContext reports the departure itself (§3.1)
            _queue.Close();
            lock (_dataRateLock)
            {
                _dataRateRegistered = false;
            }

            lock (_kmdLock)
            {
                _store.Dispose();
            }

            _context = null;
            Exit(Phase.Destroyed);
        }
    }

    /// <summary>
    /// Delivers a KMD message (<c>DxgkCbMiracastSendMessage</c> → <c>HandleKernelModeMessage</c>,
    /// §2.7). Never during Create/Destroy/Start/Stop: before Start has returned the call waits (the
    /// OS defers it); with no context, or during/after Stop, it is dropped and the driver is not called.
    /// </summary>
    /// <returns>The driver's NTSTATUS; <see cref="STATUS_INVALID_DEVICE_STATE"/> when dropped; <c>STATUS_TIMEOUT</c> when Start did not return within <see cref="OsEmulatorOptions.HoldTimeout"/>.</returns>
    public int HandleKernelMessage(ReadOnlySpan<byte> input, Span<byte> output, out uint bytesReturned)
    {
        bytesReturned = 0;
        long deadline = Stopwatch.GetTimestamp() + (long)(_options.HoldTimeout.TotalSeconds * Stopwatch.Frequency);
        lock (_stateLock)
        {
            while (_call is LifecycleCall.Create or LifecycleCall.Start || (_phase == Phase.Created && _startReturnedAt == 0 && _call == LifecycleCall.None))
            {
                long left = deadline - Stopwatch.GetTimestamp();
                if (left <= 0 || !System.Threading.Monitor.Wait(_stateLock, TimeSpan.FromSeconds((double)left / Stopwatch.Frequency)))
                {
                    RecordError($"A kernel message waited {_options.HoldTimeout} for StartMiracastSession to return; it was not delivered.");
                    return STATUS.STATUS_TIMEOUT;
                }
            }

            if (_call != LifecycleCall.None || _phase is not (Phase.Created or Phase.Started) || _disposed)
            {
                _ = Interlocked.Increment(ref _kernelMessagesDropped);
                return STATUS_INVALID_DEVICE_STATE;
            }

            _messagesInFlight++;
        }

        try
        {
            uint returned = 0;
            fixed (byte* pIn = input)
            fixed (byte* pOut = output)
            {
                int status = _table.HandleKernelModeMessage(_context, (uint)input.Length, pIn, (uint)output.Length, pOut, &returned);
                if (returned > (uint)output.Length)
                {
                    RecordViolation($"HandleKernelModeMessage reported {returned} bytes returned for a {output.Length}-byte output buffer.");
                }

                bytesReturned = returned;
                return status;
            }
        }
        finally
        {
            lock (_stateLock)
            {
                _messagesInFlight--;
                System.Threading.Monitor.PulseAll(_stateLock);
            }
        }
    }

    /// <summary>Sends the reference protocol's <c>PowerOff</c> (type 32): the Miracast monitor was powered off.</summary>
    /// <returns>See <see cref="HandleKernelMessage"/>.</returns>
    public int PowerOff() => SendHeaderOnly(KernelMessageType.PowerOff);

    /// <summary>Sends the reference protocol's <c>PowerOn</c> (type 33): the monitor is back on.</summary>
    /// <returns>See <see cref="HandleKernelMessage"/>.</returns>
    public int PowerOn() => SendHeaderOnly(KernelMessageType.PowerOn);

    /// <summary>
    /// Sends the reference protocol's <c>SetMode</c> (type 34): the OS committed a new mode on the
    /// Miracast target. The simulated GPU switches when the driver reports the mode (<c>MonitorArrival</c>).
    /// </summary>
    /// <returns>See <see cref="HandleKernelMessage"/>.</returns>
    public int SetMode(int width, int height, int framesPerSecond)
    {
        Span<byte> message = stackalloc byte[SetModeMessage.Size];
        new SetModeMessage(width, height, framesPerSecond).Write(message);
        return HandleKernelMessage(message, [], out _);
    }

    /// <summary>Makes the next <c>GetNextChunkData</c> return <c>STATUS_CONNECTION_RESET</c>: every queued chunk is lost and its slot reclaimed.</summary>
    public void ForceOverflow() => _queue.ForceOverflow();

    /// <summary>How often <c>GetNextChunkData</c> returned each NTSTATUS; STATUS_SUCCESS counts chunk deliveries only (see <see cref="EventWakeups"/>).</summary>
    public IReadOnlyDictionary<int, long> ChunkResults => new Dictionary<int, long>(_chunkResults);

    /// <summary>How often <c>GetNextChunkData</c> returned STATUS_WAIT_i with nothing written: one of the driver's extra events was signalled.</summary>
    public long EventWakeups => Interlocked.Read(ref _eventWakeups);

    /// <summary>
    /// The KMD's context is destroyed while the UMD still runs (contract §3.1: the OS does this when
    /// Stop is slow, or when the device goes away): the chunk queue closes, so the driver's next
    /// <c>GetNextChunkData</c> returns STATUS_INSTANCE_NOT_AVAILABLE, and the GPU stops.
    /// </summary>
    public void DestroyKernelContext()
    {
        _gpu.Stop();
        _queue.Close();
    }

    /// <summary>The OS stops presenting to the Miracast target: the GPU produces no frames until <see cref="ResumePresenting"/>.</summary>
    public void PausePresenting() => _gpu.Presenting = false;

    /// <summary>The OS presents again.</summary>
    public void ResumePresenting() => _gpu.Presenting = true;

    /// <summary>
    /// QoS ends: the notifier sends the final <c>pfnDataRateNotify(context, NULL)</c> and no more
    /// follow (§2.11). Nothing happens when no routine is registered.
    /// </summary>
    public void EndDataRate()
    {
        DataRateNotifier? notifier;
        lock (_dataRateLock)
        {
            notifier = _dataRateRegistered ? _notifier : null;
        }

        notifier?.End();
    }

    /// <summary>
    /// Submits a chunk as the KMD's chunk interrupt would (§3.2), for tests of the queue.
    /// False when the queue overflowed (every queued chunk lost, reset pending) or is closed.
    /// </summary>
    public bool SubmitChunk(ChunkType type, ChunkId id, ReadOnlySpan<byte> privateData, uint processingTime = 0, uint encodeRate = 0)
    {
        var info = new MIRACAST_CHUNK_INFO
        {
            ChunkType = (MIRACAST_CHUNK_TYPE)(uint)type,
            ChunkId = new MIRACAST_CHUNK_ID { Value = id.Value },
            ProcessingTime = processingTime,
            EncodeRate = encodeRate,
        };
        return _queue.Enqueue(new QueuedChunk(info, privateData.ToArray(), -1));
    }

    /// <summary>A copy of a frame-store slot's bytes (tests).</summary>
    public byte[] ReadSlot(int slot)
    {
        lock (_kmdLock)
        {
            return _store.Slot(slot).ToArray();
        }
    }

    /// <summary>
    /// Stops and destroys the context if the caller did not, then frees everything: the GPU, the
    /// notifier, the queue (waking waiters), the frame-store file and the device handle.
    /// </summary>
    public void Dispose()
    {
        Phase phase;
        lock (_stateLock)
        {
            if (_disposed)
            {
                return;
            }

            phase = _phase;
        }

        try
        {
            if (phase == Phase.Started)
            {
                Stop();
            }

            if (phase is Phase.Started or Phase.Created or Phase.Stopped)
            {
                Destroy();
            }
        }
        finally
        {
            lock (_stateLock)
            {
                _disposed = true;
                _kmdDestroyed = true;
                System.Threading.Monitor.PulseAll(_stateLock);
            }

            _gpu.Dispose();
            StopNotifierThread();
            _queue.Close();
            SpinWait.SpinUntil(() => Volatile.Read(ref _chunkCallers) == 0, TimeSpan.FromSeconds(1));
            _queue.Dispose();
            lock (_kmdLock)
            {
                _store.Dispose();
            }

            _ = s_devices.TryRemove(GCHandle.ToIntPtr(_self), out _);
            _self.Free();
        }
    }

    /// <summary>Drops the oldest records beyond <see cref="OsEmulatorOptions.MaxRecords"/>.</summary>
    private void Trim<T>(ConcurrentQueue<T> records)
    {
        if (_options.MaxRecords > 0)
        {
            while (records.Count > _options.MaxRecords && records.TryDequeue(out _))
            {
            }
        }
    }

    private int SendHeaderOnly(KernelMessageType type)
    {
        Span<byte> message = stackalloc byte[KernelMessage.HeaderSize];
        KernelMessage.WriteHeader(message, type, KernelMessage.HeaderSize);
        return HandleKernelMessage(message, [], out _);
    }

    /// <summary>Waits for the other lifecycle calls and kernel messages to finish, then marks <paramref name="call"/> as running on this thread.</summary>
    private void Enter(LifecycleCall call, params ReadOnlySpan<Phase> allowed)
    {
        int thread = Environment.CurrentManagedThreadId;
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_call != LifecycleCall.None && _callThreadId == thread)
            {
                throw new InvalidOperationException($"{call} was called from inside {_call} on the same thread; the OS never nests them (§2.2).");
            }

            // The OS serializes Create/Destroy/Start/Stop and never runs them during HandleKernelModeMessage (§2.2, §2.7).
            while (_call != LifecycleCall.None || _messagesInFlight > 0)
            {
                _ = System.Threading.Monitor.Wait(_stateLock);
            }

            if (!allowed.Contains(_phase))
            {
                throw new InvalidOperationException($"{call} is not allowed in the {_phase} state.");
            }

            _call = call;
            _callThreadId = thread;
        }
    }

    private void Exit(Phase phase)
    {
        lock (_stateLock)
        {
            _phase = phase;
            _call = LifecycleCall.None;
            _callThreadId = 0;
            System.Threading.Monitor.PulseAll(_stateLock);
        }
    }

    /// <summary>Stop is still running after the budget: the OS destroys the KMD context under the UMD (§3.1).</summary>
    private void OnStopOverBudget()
    {
        lock (_stateLock)
        {
            if (_call != LifecycleCall.Stop)
            {
                return;
            }

            _kmdDestroyed = true;
        }

        _queue.Close();
    }

    private void StopNotifierThread()
    {
        DataRateNotifier? notifier;
        lock (_dataRateLock)
        {
            notifier = _notifier;
        }

        notifier?.Stop();
    }

    private void RecordViolation(string violation)
    {
        _violations.Enqueue(violation);
        if (_logger is not null)
        {
            Log.Violation(_logger, violation);
        }
    }

    private void RecordError(string error)
    {
        _errors.Enqueue(error);
        if (_logger is not null)
        {
            Log.Error(_logger, error);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Driver contract violation: {Violation}")]
        public static partial void Violation(ILogger logger, string violation);

        [LoggerMessage(Level = LogLevel.Error, Message = "OS emulator error: {Error}")]
        public static partial void Error(ILogger logger, string error);
    }
}
