using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Miraflow.Exports.Interop;
using Miraflow.Simulator.Os;

namespace Miraflow.Simulator.Tests.Os;

/// <summary>ReportSessionStatus, ReportStatistic and the data-rate registration (§2.9–2.11).</summary>
[Collection(OsTestGroup.Name)]
[Trait("Category", "unit")]
public sealed class CallbackTests
{
    private static int s_notifications;
    private static int s_nullNotifications;
    private static ulong s_lastBitRate;
    private static nint s_lastContext;

    private static OsEmulatorOptions Small() => new() { SlotCount = 1, SlotSize = 4096, DataRateInterval = TimeSpan.FromMilliseconds(20) };

    [Fact]
    public async Task ReportSessionStatus_is_recorded_and_completes_SessionStatusReported()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        Assert.Equal(STATUS.STATUS_SUCCESS, os.Create());
        Assert.False(os.SessionStatusReported.IsCompleted);
        ReportSessionStatus(os, os.DeviceHandle, MIRACAST_STATUS.MIRACAST_STATUS_MISSING_KEEPALIVE, STATUS.STATUS_TIMEOUT);
        (MIRACAST_STATUS status, int ntStatus) = await os.SessionStatusReported.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(MIRACAST_STATUS.MIRACAST_STATUS_MISSING_KEEPALIVE, status);
        Assert.Equal(STATUS.STATUS_TIMEOUT, ntStatus);
        Assert.Single(os.SessionStatuses);
        Assert.Empty(os.Violations);

        // An unknown device handle is ignored.
        ReportSessionStatus(os, (HANDLE)0x5555, MIRACAST_STATUS.MIRACAST_STATUS_CRITICAL_ERROR, 0);
        Assert.Single(os.SessionStatuses);
    }

    [Fact]
    public unsafe void ReportStatistic_records_a_copy_and_flags_the_reserved_event_and_unknown_types()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        Assert.Equal(STATUS.STATUS_SUCCESS, os.Create());
        MIRACAST_STATISTIC_DATA data = default;
        data.StatisticType = MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT;
        data.ChunkSent.ChunkId.Value = 101;
        os.Callbacks.ReportStatistic(os.DeviceHandle, &data);
        data.ChunkSent.ChunkId.Value = 102; // the record is a copy
        Assert.Empty(os.Violations);

        data = default;
        data.StatisticType = MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_EVENT;
        data.ProtocolEvent.Event = MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_SINK_FAILED_PREFERRED_MODE_CHANGE;
        os.Callbacks.ReportStatistic(os.DeviceHandle, &data);
        data.StatisticType = (MIRACAST_STATISTIC_TYPE)7;
        os.Callbacks.ReportStatistic(os.DeviceHandle, &data);

        IReadOnlyList<StatisticRecord> statistics = os.Statistics;
        Assert.Equal(3, statistics.Count);
        Assert.Equal(101ul, statistics[0].Data.ChunkSent.ChunkId.Value);
        Assert.Equal(Environment.CurrentManagedThreadId, statistics[0].ThreadId);
        Assert.Equal(2, os.Violations.Count);
    }

    [Fact]
    public unsafe void The_counters_keep_counting_what_max_records_lets_go()
    {
        OsEmulatorOptions options = Small();
        options.MaxRecords = 3;
        using var os = new OsEmulator(FakeDriver.Library(), options);
        Assert.Equal(STATUS.STATUS_SUCCESS, os.Create());
        MIRACAST_STATISTIC_DATA data = default;

        // Ten frames sent, frame 5 in two slices (part 1, then the last part 0): ten frames, eleven chunks.
        for (ulong frame = 1; frame <= 10; frame++)
        {
            data = default;
            data.StatisticType = MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE;
            data.EncodeComplete.ChunkInfo.ChunkType = MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE;
            data.EncodeComplete.ChunkInfo.EncodeRate = (uint)(4000 + frame);
            os.Callbacks.ReportStatistic(os.DeviceHandle, &data);
            data = default;
            data.StatisticType = MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT;
            if (frame == 5)
            {
                data.ChunkSent.ChunkId.Value = (1ul << 40) | frame;
                os.Callbacks.ReportStatistic(os.DeviceHandle, &data);
            }

            data.ChunkSent.ChunkId.Value = frame;
            os.Callbacks.ReportStatistic(os.DeviceHandle, &data);
        }

        data = default;
        data.StatisticType = MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE;
        data.EncodeComplete.ChunkInfo.ChunkType = MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED;
        os.Callbacks.ReportStatistic(os.DeviceHandle, &data);
        data = default;
        data.StatisticType = MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_EVENT;
        data.ProtocolEvent.Event = MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_IFRAME_RQ;
        os.Callbacks.ReportStatistic(os.DeviceHandle, &data);
        os.Callbacks.ReportStatistic(os.DeviceHandle, &data);

        Assert.Equal(3, os.Statistics.Count);
        Assert.Equal(10, os.FramesReportedSent);
        Assert.Equal(11, os.StatisticCount(MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT));
        Assert.Equal(4010u, os.LastEncodeRateKbps);
        Assert.Equal(1, os.StatisticCount(MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE, MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED));
        Assert.Equal(2, os.ProtocolEventCount(MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_IFRAME_RQ));
        Assert.Equal(0, os.ProtocolEventCount(MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_ARRIVE));
        Assert.Empty(os.Violations);
    }

    [Fact]
    public async Task DataRate_registration_works_only_on_the_Start_or_Stop_thread_and_notifies_until_unregistered()
    {
        s_notifications = 0;
        s_nullNotifications = 0;
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        int insideStart = -1, again = -1, unregister = -1, unregisterAgain = -1;
        FakeDriver.OnStart = () =>
        {
            insideStart = RegisterNotify(os, 0x42);
            again = RegisterNotify(os, 0x42);
        };
        FakeDriver.OnStop = () =>
        {
            unregister = Unregister(os);
            unregisterAgain = Unregister(os);
        };
        os.DataRate = new MIRACAST_DATARATE_STATS { EncoderBitRate = 7_000_000 };
        (Socket source, Socket sink) = await OsSession.StartAsync(os);
        using (source)
        using (sink)
        {
            Assert.Equal(STATUS.STATUS_SUCCESS, insideStart);
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, again);
            Assert.True(os.DataRateRegistered);

            // From a thread that is not inside Start or Stop.
            Assert.Equal(STATUS.STATUS_NOT_SUPPORTED, Unregister(os));

            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref s_notifications) >= 2, TimeSpan.FromSeconds(3)));
            Assert.Equal(7_000_000ul, Volatile.Read(ref s_lastBitRate));
            Assert.Equal(0x42, Volatile.Read(ref s_lastContext));
            os.DataRate = new MIRACAST_DATARATE_STATS { EncoderBitRate = 3_000_000 };
            Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref s_lastBitRate) == 3_000_000, TimeSpan.FromSeconds(3)));

            os.Stop();
            FakeDriver.ThrowHookFailure();
            Assert.Equal(STATUS.STATUS_SUCCESS, unregister);
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, unregisterAgain);
            Assert.False(os.DataRateRegistered);
            int count = Volatile.Read(ref s_notifications);
            Thread.Sleep(100);
            Assert.Equal(count, Volatile.Read(ref s_notifications));
            Assert.Equal(0, s_nullNotifications);
            Assert.Equal(3, os.Violations.Count); // double registration, foreign thread, double unregistration
        }
    }

    [Fact]
    public async Task EndDataRate_sends_one_final_NULL_and_then_nothing()
    {
        s_notifications = 0;
        s_nullNotifications = 0;
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        FakeDriver.OnStart = () => Assert.Equal(STATUS.STATUS_SUCCESS, RegisterNotify(os, 0));
        (Socket source, Socket sink) = await OsSession.StartAsync(os);
        using (source)
        using (sink)
        {
            os.EndDataRate();
            Assert.Equal(1, Volatile.Read(ref s_nullNotifications));
            int count = Volatile.Read(ref s_notifications);
            Thread.Sleep(100);
            Assert.Equal(count, Volatile.Read(ref s_notifications));
        }
    }

    private static unsafe void ReportSessionStatus(OsEmulator os, HANDLE device, MIRACAST_STATUS status, int ntStatus) =>
        os.Callbacks.ReportSessionStatus(device, status, ntStatus);

    private static unsafe int RegisterNotify(OsEmulator os, nint context) =>
        os.Callbacks.RegisterForDataRateNotifications(os.DeviceHandle, (void*)context, &Notify);

    private static unsafe int Unregister(OsEmulator os) =>
        os.Callbacks.RegisterForDataRateNotifications(os.DeviceHandle, null, null);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static unsafe void Notify(void* context, MIRACAST_DATARATE_STATS* stats)
    {
        if (stats is null)
        {
            Interlocked.Increment(ref s_nullNotifications);
            return;
        }

        Volatile.Write(ref s_lastContext, (nint)context);
        Volatile.Write(ref s_lastBitRate, stats->EncoderBitRate);
        Interlocked.Increment(ref s_notifications);
    }
}
