using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;

namespace Miraflow.Simulator.Os;

#pragma warning disable CA1031 // the callbacks run on the driver's native stack: nothing may escape

/// <summary>The five OS callbacks (§1.5) and the emulated KMD behind <c>MiracastIoControl</c>.</summary>
public sealed unsafe partial class OsEmulator
{
    private const int MaxIoControlInput = 1 << 20;

    /// <summary><c>VOID ReportSessionStatus(HANDLE, MIRACAST_STATUS, NTSTATUS)</c> (§2.9). Unknown devices are ignored.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void ReportSessionStatusCallback(HANDLE device, MIRACAST_STATUS status, int ntStatus)
    {
        if (!s_devices.TryGetValue(device, out OsEmulator? emulator))
        {
            return;
        }

        try
        {
            emulator.OnReportSessionStatus(status, ntStatus);
        }
        catch (Exception e)
        {
            emulator.RecordError($"ReportSessionStatus failed in the emulator: {e}");
        }
    }

    /// <summary><c>NTSTATUS MiracastIoControl(HANDLE, BOOL, UINT, VOID*, UINT, VOID*, UINT*)</c> (§2.8): the KMD side of docs/kernel-protocol.md.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int MiracastIoControlCallback(HANDLE device, BOOL hardwareAccess, uint inputSize, void* input, uint outputSize, void* output, uint* bytesReturned)
    {
        if (!s_devices.TryGetValue(device, out OsEmulator? emulator))
        {
            return STATUS.STATUS_INVALID_PARAMETER;
        }

        try
        {
            return emulator.OnIoControl(inputSize, input, outputSize, output, bytesReturned);
        }
        catch (Exception e)
        {
            emulator.RecordError($"MiracastIoControl failed in the emulator: {e}");
            return STATUS.STATUS_UNSUCCESSFUL;
        }
    }

    /// <summary><c>VOID ReportStatistic(HANDLE, MIRACAST_STATISTIC_DATA*)</c> (§2.10).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void ReportStatisticCallback(HANDLE device, MIRACAST_STATISTIC_DATA* statistic)
    {
        if (!s_devices.TryGetValue(device, out OsEmulator? emulator))
        {
            return;
        }

        try
        {
            emulator.OnReportStatistic(statistic);
        }
        catch (Exception e)
        {
            emulator.RecordError($"ReportStatistic failed in the emulator: {e}");
        }
    }

    /// <summary><c>NTSTATUS GetNextChunkData(HANDLE, UINT, UINT, HANDLE*, UINT*, MIRACAST_CHUNK_DATA*, UINT*)</c> (§2.12).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int GetNextChunkDataCallback(
        HANDLE device, uint timeoutInMilliseconds, uint additionalWaitEventCount, HANDLE* additionalWaitEvents,
        uint* chunkDataBufferSize, MIRACAST_CHUNK_DATA* chunkDataBuffer, uint* outstandingChunksToProcess)
    {
        if (!s_devices.TryGetValue(device, out OsEmulator? emulator))
        {
            return STATUS.STATUS_INVALID_PARAMETER;
        }

        try
        {
            int status = emulator.OnGetNextChunkData(timeoutInMilliseconds, additionalWaitEventCount, additionalWaitEvents, chunkDataBufferSize, (byte*)chunkDataBuffer, outstandingChunksToProcess);
            if (status is >= STATUS.STATUS_WAIT_0 and <= STATUS.STATUS_WAIT_3 && *chunkDataBufferSize == 0)
            {
                _ = Interlocked.Increment(ref emulator._eventWakeups);
            }
            else
            {
                emulator._chunkResults.AddOrUpdate(status, 1, static (_, n) => n + 1);
            }

            return status;
        }
        catch (Exception e)
        {
            emulator.RecordError($"GetNextChunkData failed in the emulator: {e}");
            return STATUS.STATUS_UNSUCCESSFUL;
        }
    }

    /// <summary><c>NTSTATUS RegisterForDataRateNotifications(HANDLE, PVOID, PFN_DATARATE_NOTIFICATION)</c> (§2.11).</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int RegisterForDataRateNotificationsCallback(HANDLE device, void* context, delegate* unmanaged[Stdcall]<void*, MIRACAST_DATARATE_STATS*, void> routine)
    {
        if (!s_devices.TryGetValue(device, out OsEmulator? emulator))
        {
            return STATUS.STATUS_INVALID_PARAMETER;
        }

        try
        {
            return emulator.OnRegisterForDataRateNotifications(context, routine);
        }
        catch (Exception e)
        {
            emulator.RecordError($"RegisterForDataRateNotifications failed in the emulator: {e}");
            return STATUS.STATUS_UNSUCCESSFUL;
        }
    }

    private void CheckContextAlive(string callback)
    {
        lock (_stateLock)
        {
            if (_phase == Phase.New && _call != LifecycleCall.Create)
            {
                RecordViolation($"{callback} was called before CreateMiracastContext (callbacks are valid only while the context lives, §2.13).");
            }
            else if (_phase == Phase.Destroyed)
            {
                RecordViolation($"{callback} was called after DestroyMiracastContext (callbacks are valid only while the context lives, §2.13).");
            }
        }
    }

    private void OnReportSessionStatus(MIRACAST_STATUS status, int ntStatus)
    {
        CheckContextAlive("ReportSessionStatus");
        if ((uint)status > (uint)MIRACAST_STATUS.MIRACAST_STATUS_SINK_FAILED_STANDARD_MODE_CHANGE)
        {
            RecordViolation($"ReportSessionStatus with MIRACAST_STATUS {(uint)status}, not a Windows 8.1 value (0–4, §1.2).");
        }

        _sessionStatuses.Enqueue(new SessionStatusRecord(status, ntStatus, Environment.CurrentManagedThreadId, Stopwatch.GetTimestamp()));
        _ = _firstSessionStatus.TrySetResult((status, ntStatus));
    }

    private void OnReportStatistic(MIRACAST_STATISTIC_DATA* statistic)
    {
        CheckContextAlive("ReportStatistic");
        if (statistic is null)
        {
            RecordViolation("ReportStatistic with a NULL pStatistics.");
            return;
        }

        MIRACAST_STATISTIC_DATA data = *statistic;
        switch (data.StatisticType)
        {
            case MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE:
            case MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT:
                break;
            case MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_EVENT:
                MIRACAST_PROTOCOL_EVENT e = data.ProtocolEvent.Event;
                if (e == MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_SINK_FAILED_PREFERRED_MODE_CHANGE)
                {
                    RecordViolation("ReportStatistic with the reserved event SINK_FAILED_PREFERRED_MODE_CHANGE (drivers must not use it, §1.2).");
                }
                else if ((uint)e > (uint)MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_DEPART)
                {
                    RecordViolation($"ReportStatistic with unknown protocol event {(uint)e}.");
                }

                break;
            default:
                RecordViolation($"ReportStatistic with unknown StatisticType {(uint)data.StatisticType}.");
                break;
        }

        _statistics.Enqueue(new StatisticRecord(data, Environment.CurrentManagedThreadId, Stopwatch.GetTimestamp()));
        MIRACAST_CHUNK_TYPE chunk = data.StatisticType == MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE
            ? data.EncodeComplete.ChunkInfo.ChunkType : MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_UNKNOWN;
        _ = _statisticCounts.AddOrUpdate((data.StatisticType, chunk), 1, static (_, n) => n + 1);
        switch (data.StatisticType)
        {
            case MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT:
                long frame = (long)data.ChunkSent.ChunkId.FrameNumber;
                if (Interlocked.Exchange(ref _lastSentFrame, frame) != frame)
                {
                    Interlocked.Increment(ref _framesSent);
                }

                break;
            case MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE when chunk == MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE:
                Volatile.Write(ref _lastEncodeRate, data.EncodeComplete.ChunkInfo.EncodeRate);
                break;
            case MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_EVENT:
                _ = _eventCounts.AddOrUpdate(data.ProtocolEvent.Event, 1, static (_, n) => n + 1);
                break;
        }

        Trim(_statistics);
    }

    /// <summary>
    /// The chunk queue (§2.12). When an extra event and a chunk are both ready, the extra event wins:
    /// it is checked first (as <c>WaitForMultipleObjects</c> reports the lowest signalled index with
    /// the events first), so a driver's stop event is never starved by a busy GPU.
    /// <c>STATUS_BUFFER_TOO_SMALL</c> leaves the chunk queued and sets <c>*pChunkDataBufferSize</c> to
    /// the bytes the first pending chunk needs (28 + its private size; §5.6 leaves this open).
    /// </summary>
    private int OnGetNextChunkData(uint timeout, uint eventCount, HANDLE* events, uint* size, byte* buffer, uint* outstanding)
    {
        if (Interlocked.Increment(ref _chunkCallers) > 1)
        {
            RecordViolation("GetNextChunkData was called by two threads at once (one caller at a time, §2.12, §2.13).");
        }

        try
        {
            CheckContextAlive("GetNextChunkData");
            if (size is null || outstanding is null || eventCount > Windows.MAX_ADDITIONAL_EVENTS || (eventCount > 0 && events is null)
                || (*size > 0 && buffer is null))
            {
                RecordViolation($"GetNextChunkData with invalid arguments: size {(nint)size:X}, outstanding {(nint)outstanding:X}, {eventCount} events at {(nint)events:X}, buffer {(nint)buffer:X}.");
                return STATUS.STATUS_INVALID_PARAMETER;
            }

            Span<int> fds = stackalloc int[(int)Windows.MAX_ADDITIONAL_EVENTS + 1];
            for (int i = 0; i < (int)eventCount; i++)
            {
                nint handle = events[i];
                if (handle < 0 || handle > int.MaxValue)
                {
                    RecordViolation($"GetNextChunkData: extra event {i} ({handle}) is not an eventfd descriptor.");
                    return STATUS.STATUS_INVALID_PARAMETER;
                }

                fds[i] = (int)handle;
            }

            fds[(int)eventCount] = _queue.ReadyFd;
            ReadOnlySpan<int> extra = fds[..(int)eventCount];
            ReadOnlySpan<int> all = fds[..((int)eventCount + 1)];
            var destination = new Span<byte>(buffer, (int)Math.Min(*size, int.MaxValue));
            long started = Stopwatch.GetTimestamp();
            while (true)
            {
                if (extra.Length > 0)
                {
                    int signalled = LinuxWaitEvents.WaitAny(extra, 0);
                    if (signalled >= 0)
                    {
                        *size = 0;
                        *outstanding = (uint)_queue.Count;
                        return STATUS.STATUS_WAIT_0 + signalled;
                    }
                }

                int status = _queue.TryTake(destination, out uint written, out uint left);
                if (status != STATUS.STATUS_PENDING)
                {
                    *size = written;
                    *outstanding = left;
                    return status;
                }

                int wait = -1;
                if (timeout != Windows.INFINITE)
                {
                    long elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (elapsed >= timeout)
                    {
                        *size = 0;
                        *outstanding = 0;
                        return STATUS.STATUS_TIMEOUT;
                    }

                    wait = (int)Math.Min(int.MaxValue, timeout - elapsed);
                }

                _ = LinuxWaitEvents.WaitAny(all, wait);
            }
        }
        finally
        {
            _ = Interlocked.Decrement(ref _chunkCallers);
        }
    }

    /// <summary>
    /// §2.11. Only on the thread inside Start or Stop, else <c>STATUS_NOT_SUPPORTED</c>. Double
    /// registration and double unregistration fail with <c>STATUS_INVALID_PARAMETER</c> (the contract
    /// names no code) and are recorded as violations.
    /// </summary>
    private int OnRegisterForDataRateNotifications(void* context, delegate* unmanaged[Stdcall]<void*, MIRACAST_DATARATE_STATS*, void> routine)
    {
        CheckContextAlive("RegisterForDataRateNotifications");
        int thread = Environment.CurrentManagedThreadId;
        lock (_stateLock)
        {
            if (_call is not (LifecycleCall.Start or LifecycleCall.Stop) || _callThreadId != thread)
            {
                RecordViolation($"RegisterForDataRateNotifications on thread {thread}, not on the thread inside StartMiracastSession/StopMiracastSession (§2.11).");
                return STATUS.STATUS_NOT_SUPPORTED;
            }
        }

        DataRateNotifier? old = null;
        try
        {
            lock (_dataRateLock)
            {
                if (routine is not null)
                {
                    if (_dataRateRegistered)
                    {
                        RecordViolation("RegisterForDataRateNotifications: a routine is already registered (double registration, §2.11).");
                        return STATUS.STATUS_INVALID_PARAMETER;
                    }

                    old = _notifier;
                    _notifier = new DataRateNotifier(routine, context, _options.DataRateInterval, () => DataRate, RecordError);
                    _dataRateRegistered = true;
                    return STATUS.STATUS_SUCCESS;
                }

                if (!_dataRateRegistered)
                {
                    RecordViolation("RegisterForDataRateNotifications(NULL): nothing is registered (double unregistration, §2.11).");
                    return STATUS.STATUS_INVALID_PARAMETER;
                }

                old = _notifier;
                _dataRateRegistered = false;
                return STATUS.STATUS_SUCCESS;
            }
        }
        finally
        {
            // Outside the lock: the notifier's last call may read DataRate.
            old?.Stop();
        }
    }

    /// <summary>The KMD's <c>DxgkDdiMiracastIoControl</c> with the OS's thread rules in front of it (§2.4, §2.5, §2.8, §2.13).</summary>
    private int OnIoControl(uint inputSize, void* input, uint outputSize, void* output, uint* bytesReturned)
    {
        long arrived = Stopwatch.GetTimestamp();
        int thread = Environment.CurrentManagedThreadId;
        bool held = false;
        bool startInProgress = false;
        if (bytesReturned is not null)
        {
            *bytesReturned = 0;
        }

        ReadOnlySpan<byte> message = input is null ? [] : new ReadOnlySpan<byte>(input, (int)Math.Min(inputSize, MaxIoControlInput));
        KernelMessageType? type = KernelMessage.TryReadType(message, out KernelMessageType t) ? t : null;
        int status;
        lock (_stateLock)
        {
            long deadline = arrived + (long)(_options.HoldTimeout.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                if (_phase == Phase.New && _call != LifecycleCall.Create)
                {
                    RecordViolation("MiracastIoControl before CreateMiracastContext.");
                    status = STATUS_INVALID_DEVICE_STATE;
                    break;
                }

                if (_phase == Phase.Destroyed || _kmdDestroyed || _disposed)
                {
                    // Blocked once the OS destroyed the KMD context (§2.8, §3.1).
                    status = STATUS_INVALID_DEVICE_STATE;
                    break;
                }

                if (_call == LifecycleCall.None || _callThreadId == thread)
                {
                    startInProgress = _call == LifecycleCall.Start;
                    status = STATUS.STATUS_PENDING; // process below
                    break;
                }

                if (_call is LifecycleCall.Start or LifecycleCall.Create)
                {
                    // Held until the call returns (§2.4).
                    held = true;
                    long left = deadline - Stopwatch.GetTimestamp();
                    if (left <= 0 || !System.Threading.Monitor.Wait(_stateLock, TimeSpan.FromSeconds((double)left / Stopwatch.Frequency)))
                    {
                        RecordViolation($"MiracastIoControl held for {_options.HoldTimeout} while StartMiracastSession did not return (a driver waiting for it inside Start deadlocks on Windows).");
                        status = STATUS_INVALID_DEVICE_STATE;
                        break;
                    }

                    continue;
                }

                // Another thread during Stop or Destroy: it fails (§2.5).
                status = STATUS_INVALID_DEVICE_STATE;
                break;
            }
        }

        if (status == STATUS.STATUS_PENDING)
        {
            status = (inputSize > 0 && input is null) || (outputSize > 0 && output is null) || inputSize > MaxIoControlInput
                ? Malformed($"MiracastIoControl with {inputSize} input bytes at {(nint)input:X} and {outputSize} output bytes at {(nint)output:X}.")
                : ProcessKmdMessage(message, type, startInProgress, new Span<byte>(output, (int)Math.Min(outputSize, int.MaxValue)), bytesReturned);
        }

        TimeSpan? sinceStart;
        lock (_stateLock)
        {
            sinceStart = _startReturnedAt == 0 ? null : Stopwatch.GetElapsedTime(_startReturnedAt, arrived);
        }

        _ioControls.Enqueue(new IoControlRecord(type, status, thread, startInProgress, held, sinceStart, arrived));
        Trim(_ioControls);
        return status;
    }

    private int ProcessKmdMessage(ReadOnlySpan<byte> message, KernelMessageType? type, bool startInProgress, Span<byte> output, uint* bytesReturned)
    {
        string? detail;
        lock (_kmdLock)
        {
            switch (type)
            {
                case KernelMessageType.QueryFrameStore:
                    if (KernelMessage.CheckHeader(message, KernelMessageType.QueryFrameStore, KernelMessage.HeaderSize, out _) is var e1 && e1 != KernelMessageError.None)
                    {
                        return Malformed($"QueryFrameStore: {e1}.");
                    }

                    if (output.Length < FrameStoreInfoMessage.Size)
                    {
                        return STATUS.STATUS_BUFFER_TOO_SMALL;
                    }

                    new FrameStoreInfoMessage(_store.SlotCount, _store.SlotSize, _store.Path).Write(output);
                    if (bytesReturned is not null)
                    {
                        *bytesReturned = FrameStoreInfoMessage.Size;
                    }

                    return STATUS.STATUS_SUCCESS;

                case KernelMessageType.MonitorArrival:
                    if (MonitorArrivalMessage.TryRead(message, out MonitorArrivalMessage arrival, out detail) != KernelMessageError.None)
                    {
                        return Malformed(detail!);
                    }

                    if (startInProgress)
                    {
                        RecordViolation("MonitorArrival while StartMiracastSession is still running: the HPD comes only after Start returned (§2.4).");
                    }

                    if ((arrival.Width & 1) != 0 || (arrival.Height & 1) != 0 || (long)arrival.Width * arrival.Height * 3 / 2 > _store.SlotSize)
                    {
                        RecordError($"MonitorArrival with mode {arrival.Width}×{arrival.Height}: not even, or its NV12 picture does not fit a {_store.SlotSize}-byte slot (OsEmulatorOptions.SlotSize).");
                        return STATUS.STATUS_INVALID_PARAMETER;
                    }

                    _monitor = arrival;
                    _gpu.Start(arrival.Width, arrival.Height, arrival.FramesPerSecond);
                    return STATUS.STATUS_SUCCESS;

                case KernelMessageType.MonitorDeparture:
                    if (KernelMessage.CheckHeader(message, KernelMessageType.MonitorDeparture, KernelMessage.HeaderSize, out _) is var e2 && e2 != KernelMessageError.None)
                    {
                        return Malformed($"MonitorDeparture: {e2}.");
                    }

                    _monitor = null;
                    _gpu.Stop();
                    return STATUS.STATUS_SUCCESS;

                case KernelMessageType.ReleaseSlots:
                    if (ReleaseSlotsMessage.TryRead(message, out int[] slots, out detail) != KernelMessageError.None)
                    {
                        return Malformed(detail!);
                    }

                    int status = STATUS.STATUS_SUCCESS;
                    foreach (int slot in slots)
                    {
                        if (!_store.Release(slot))
                        {
                            RecordViolation($"ReleaseSlots: slot {slot} is not held by the UMD (out of range, never returned by GetNextChunkData, or released twice).");
                            status = STATUS.STATUS_INVALID_PARAMETER;
                        }
                    }

                    return status;

                case KernelMessageType.RequestIdr:
                    if (KernelMessage.CheckHeader(message, KernelMessageType.RequestIdr, KernelMessage.HeaderSize, out _) is var e3 && e3 != KernelMessageError.None)
                    {
                        return Malformed($"RequestIdr: {e3}.");
                    }

                    _ = Interlocked.Increment(ref _idrRequests);
                    return STATUS.STATUS_SUCCESS;

                case null:
                    return Malformed($"MiracastIoControl input of {message.Length} bytes has no valid reference-protocol header.");

                default:
                    return Malformed($"MiracastIoControl with message type {(ushort)type.Value}, not a UMD→KMD message.");
            }
        }
    }

    private int Malformed(string detail)
    {
        RecordViolation(detail);
        return STATUS.STATUS_INVALID_PARAMETER;
    }
}
