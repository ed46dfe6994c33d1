using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Miraflow.Exports.Interop;

namespace Miraflow.Exports.Tests.Interop;

/// <summary>
/// The two function tables filled with <c>[UnmanagedCallersOnly]</c> stdcall methods (the only
/// kind the compiler accepts for these fields) and called through, the way the OS and the driver
/// call each other: every argument, including the struct-wrapped <see cref="HANDLE"/>,
/// <see cref="BOOL"/> and <see cref="SOCKET"/>, arrives intact and every NTSTATUS comes back.
/// </summary>
/// <remarks>
/// The callees only record what they received: an exception must never leave an
/// <c>[UnmanagedCallersOnly]</c> method (it would abort the test host), so the test body asserts.
/// </remarks>
[Trait("Category", "unit")]
public sealed unsafe class FunctionTableTests
{
    private static readonly HANDLE s_device = (HANDLE)0x0D15_EA5E;
    private static readonly List<string> s_calls = [];
    private static void* s_notificationContext;
    private static delegate* unmanaged[Stdcall]<void*, MIRACAST_DATARATE_STATS*, void> s_notify;

    [Fact]
    public void Os_callbacks_are_called_through_the_table()
    {
        s_calls.Clear();
        MIRACAST_CALLBACKS callbacks = default;
        callbacks.ReportSessionStatus = &ReportSessionStatus;
        callbacks.MiracastIoControl = &MiracastIoControl;
        callbacks.ReportStatistic = &ReportStatistic;
        callbacks.GetNextChunkData = &GetNextChunkData;
        callbacks.RegisterForDataRateNotifications = &RegisterForDataRateNotifications;
        MIRACAST_CALLBACKS* table = &callbacks;

        table->ReportSessionStatus(s_device, MIRACAST_STATUS.MIRACAST_STATUS_MISSING_KEEPALIVE, STATUS.STATUS_TIMEOUT);

        byte* input = stackalloc byte[3];
        byte* output = stackalloc byte[8];
        uint returned = 0;
        Assert.Equal(STATUS.STATUS_SUCCESS, table->MiracastIoControl(s_device, BOOL.TRUE, 3, input, 8, output, &returned));
        Assert.Equal(5u, returned);
        Assert.Equal(STATUS.STATUS_SUCCESS, table->MiracastIoControl(s_device, BOOL.FALSE, 0, null, 0, null, null));

        MIRACAST_STATISTIC_DATA statistic = default;
        statistic.StatisticType = MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT;
        statistic.ChunkSent.ChunkId.FrameNumber = 77;
        table->ReportStatistic(s_device, &statistic);

        HANDLE* events = stackalloc HANDLE[2];
        events[0] = (HANDLE)0x10;
        events[1] = (HANDLE)0x20;
        uint size = 64;
        byte* buffer = stackalloc byte[64];
        uint outstanding = 0;
        Assert.Equal(STATUS.STATUS_WAIT_1, table->GetNextChunkData(s_device, Windows.INFINITE, 2, events, &size, (MIRACAST_CHUNK_DATA*)buffer, &outstanding));
        Assert.Equal(0u, size);            // an extra event, no chunk
        Assert.Equal(9u, outstanding);
        size = 64;
        Assert.Equal(STATUS.STATUS_SUCCESS, table->GetNextChunkData(s_device, 0, 0, null, &size, (MIRACAST_CHUNK_DATA*)buffer, &outstanding));
        Assert.Equal(28u, size);           // one chunk without private data
        Assert.Equal(0u, outstanding);

        int context = 0;
        Assert.Equal(STATUS.STATUS_SUCCESS, table->RegisterForDataRateNotifications(s_device, &context, &DataRateNotify));
        var stats = new MIRACAST_DATARATE_STATS { EncoderBitRate = 8_000_000, MultipleRetryFrameCount = 3 };
        s_notify(s_notificationContext, &stats);      // the OS calling the routine back
        Assert.Equal(1, context);
        s_notify(s_notificationContext, null);        // NULL: no more QoS data
        Assert.Equal(-1, context);

        Assert.Equal(
        [
            $"ReportSessionStatus {s_device} MIRACAST_STATUS_MISSING_KEEPALIVE 258",
            $"MiracastIoControl {s_device} hw=1 in=3 out=8",
            $"MiracastIoControl {s_device} hw=0 in=0 out=0",
            $"ReportStatistic {s_device} MIRACAST_STATISTIC_TYPE_CHUNK_SENT 77",
            $"GetNextChunkData {s_device} 4294967295 2 16 32 64",
            $"GetNextChunkData {s_device} 0 0 64",
            $"RegisterForDataRateNotifications {s_device}",
        ], s_calls);
    }

    [Fact]
    public void Driver_entry_points_are_called_through_the_table()
    {
        s_calls.Clear();
        var driver = new MIRACAST_DRIVER_INTERFACE
        {
            Size = (uint)sizeof(MIRACAST_DRIVER_INTERFACE),
            CreateMiracastContext = &CreateMiracastContext,
            DestroyMiracastContext = &DestroyMiracastContext,
            StartMiracastSession = &StartMiracastSession,
            StopMiracastSession = &StopMiracastSession,
            HandleKernelModeMessage = &HandleKernelModeMessage,
        };
        MIRACAST_DRIVER_INTERFACE* table = &driver;
        MIRACAST_CALLBACKS callbacks = default;

        void* context = null;
        Assert.Equal(STATUS.STATUS_SUCCESS, table->CreateMiracastContext(s_device, &callbacks, &context));
        Assert.True(context == (void*)0xC0C0);

        var connection = new MIRACAST_WFD_CONNECTION_STATS { CurrentBitRate = 10_000_000, LocalMaxBitRate = 1, RemoteMaxBitRate = 2 };
        MIRACAST_SESSION_INFO session = default;
        Assert.Equal(STATUS.STATUS_SUCCESS, table->StartMiracastSession(context, SOCKET.INVALID_SOCKET, &connection, &session));
        Assert.Equal(1u, session.MonitorConnected);

        byte* reply = stackalloc byte[4];
        uint returned = 0;
        Assert.Equal(STATUS.STATUS_SUCCESS, table->HandleKernelModeMessage(context, 2, reply, 4, reply, &returned));
        Assert.Equal(4u, returned);

        table->StopMiracastSession(context);
        table->DestroyMiracastContext(context);

        Assert.Equal(
        [
            $"CreateMiracastContext {s_device}",
            $"StartMiracastSession C0C0 {SOCKET.INVALID_SOCKET} 10000000",
            "HandleKernelModeMessage C0C0 2 4",
            "StopMiracastSession C0C0",
            "DestroyMiracastContext C0C0",
        ], s_calls);
    }

    // --- OS side -------------------------------------------------------------------------------

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void ReportSessionStatus(HANDLE device, MIRACAST_STATUS status, int ntStatus)
    {
        s_calls.Add($"ReportSessionStatus {device} {status} {ntStatus}");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int MiracastIoControl(HANDLE device, BOOL hardwareAccess, uint inputSize, void* input, uint outputSize, void* output, uint* bytesReturned)
    {
        s_calls.Add($"MiracastIoControl {device} hw={hardwareAccess.Value} in={inputSize} out={outputSize}");
        if (bytesReturned != null)
        {
            *bytesReturned = 5;
        }

        return STATUS.STATUS_SUCCESS;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void ReportStatistic(HANDLE device, MIRACAST_STATISTIC_DATA* statistic)
    {
        s_calls.Add($"ReportStatistic {device} {statistic->StatisticType} {statistic->ChunkSent.ChunkId.FrameNumber}");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int GetNextChunkData(HANDLE device, uint timeout, uint eventCount, HANDLE* events, uint* bufferSize, MIRACAST_CHUNK_DATA* buffer, uint* outstanding)
    {
        if (eventCount != 0)
        {
            // The second extra event is signalled.
            s_calls.Add($"GetNextChunkData {device} {timeout} {eventCount} {(nuint)events[0]} {(nuint)events[1]} {*bufferSize}");
            *bufferSize = 0;
            *outstanding = 9;
            return STATUS.STATUS_WAIT_1;
        }

        s_calls.Add($"GetNextChunkData {device} {timeout} {eventCount} {*bufferSize}");
        bool fits = MiracastChunkDataWriter.TryWrite(new Span<byte>(buffer, (int)*bufferSize), default, [], out int written);
        *bufferSize = (uint)written;
        *outstanding = 0;
        return fits ? STATUS.STATUS_SUCCESS : STATUS.STATUS_BUFFER_TOO_SMALL;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int RegisterForDataRateNotifications(HANDLE device, void* context, delegate* unmanaged[Stdcall]<void*, MIRACAST_DATARATE_STATS*, void> notify)
    {
        s_calls.Add($"RegisterForDataRateNotifications {device}");
        s_notificationContext = context;
        s_notify = notify;
        return STATUS.STATUS_SUCCESS;
    }

    // --- Driver side ---------------------------------------------------------------------------

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void DataRateNotify(void* context, MIRACAST_DATARATE_STATS* stats) =>
        *(int*)context = stats == null ? -1 : (stats->EncoderBitRate == 8_000_000 && stats->MultipleRetryFrameCount == 3 ? 1 : 2);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int CreateMiracastContext(HANDLE device, MIRACAST_CALLBACKS* callbacks, void** context)
    {
        s_calls.Add($"CreateMiracastContext {device}");
        *context = (void*)0xC0C0;
        return STATUS.STATUS_SUCCESS;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void DestroyMiracastContext(void* context)
    {
        s_calls.Add($"DestroyMiracastContext {(nuint)context:X}");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int StartMiracastSession(void* context, SOCKET socket, MIRACAST_WFD_CONNECTION_STATS* connection, MIRACAST_SESSION_INFO* session)
    {
        s_calls.Add($"StartMiracastSession {(nuint)context:X} {socket} {connection->CurrentBitRate}");
        session->MonitorConnected = 1;
        return STATUS.STATUS_SUCCESS;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void StopMiracastSession(void* context)
    {
        s_calls.Add($"StopMiracastSession {(nuint)context:X}");
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int HandleKernelModeMessage(void* context, uint inputSize, void* input, uint outputSize, void* output, uint* bytesReturned)
    {
        s_calls.Add($"HandleKernelModeMessage {(nuint)context:X} {inputSize} {outputSize}");
        *bytesReturned = outputSize;
        return STATUS.STATUS_SUCCESS;
    }
}
