using System.Net.Sockets;
using Miraflow.Exports.Interop;
using Miraflow.Simulator.Os;

namespace Miraflow.Simulator.Tests.Os;

/// <summary>The OS's ordering rules around Create/Start/Stop/Destroy (§2.2, §2.5, §2.7, §3.1).</summary>
[Collection(OsTestGroup.Name)]
[Trait("Category", "integration")]
public sealed class LifecycleTests
{
    private static OsEmulatorOptions Small() => new() { SlotCount = 1, SlotSize = 4096, LifecycleBudget = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task A_slow_Stop_is_a_violation_and_the_OS_closes_the_chunk_queue_under_it_after_the_budget()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        int waited = 0;
        TimeSpan wokeAfter = default;
        FakeDriver.OnStop = () =>
        {
            // A driver whose Stop waits for a sender blocked in GetNextChunkData(INFINITE) without a stop event.
            var started = System.Diagnostics.Stopwatch.StartNew();
            waited = OsCalls.GetNextChunkData(os, Windows.INFINITE, new byte[64], out _, out _);
            wokeAfter = started.Elapsed;
            Thread.Sleep(100);
        };
        (Socket source, Socket sink) = await OsSession.StartAsync(os);
        using (source)
        using (sink)
        {
            os.Stop();
            FakeDriver.ThrowHookFailure();
            Assert.Equal(STATUS.STATUS_INSTANCE_NOT_AVAILABLE, waited);
            Assert.InRange(wokeAfter, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(3));
            Assert.True(os.StopDuration > TimeSpan.FromMilliseconds(200));
            Assert.Contains(os.Violations, v => v.Contains("StopMiracastSession took", StringComparison.Ordinal));

            // The KMD context is gone: IoControl fails even on the Stop thread's successor.
            Assert.Equal(OsEmulator.STATUS_INVALID_DEVICE_STATE, OsCalls.HeaderOnly(os, Pipeline.Chunks.KernelMessageType.RequestIdr));
        }
    }

    [Fact]
    public async Task A_kernel_message_sent_while_Start_runs_is_delivered_after_Start_returns()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        Task<int>? message = null;
        int duringStart = -1;
        FakeDriver.OnStart = () =>
        {
            message = Task.Factory.StartNew(os.PowerOff, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Thread.Sleep(100);
            duringStart = FakeDriver.KernelMessages;
        };
        (Socket source, Socket sink) = await OsSession.StartAsync(os);
        using (source)
        using (sink)
        {
            Assert.Equal(0, duringStart);
            Assert.Equal(STATUS.STATUS_SUCCESS, await message!.WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Equal(1, FakeDriver.KernelMessages);
        }
    }

    [Fact]
    public void Lifecycle_calls_out_of_order_throw_and_a_context_is_created_once()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        Assert.Throws<InvalidOperationException>(os.Stop);
        Assert.Throws<InvalidOperationException>(os.Destroy);
        Assert.Equal(STATUS.STATUS_SUCCESS, os.Create());
        Assert.Throws<InvalidOperationException>(() => os.Create());
        os.Destroy();
        Assert.Equal(1, FakeDriver.Destroyed);
        Assert.Empty(os.Violations);
    }

    [Fact]
    public void Two_concurrent_GetNextChunkData_callers_are_a_violation()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        Assert.Equal(STATUS.STATUS_SUCCESS, os.Create());
        var first = new Thread(() => OsCalls.GetNextChunkData(os, 300, new byte[64], out _, out _));
        first.Start();
        Thread.Sleep(50);
        Assert.Equal(STATUS.STATUS_TIMEOUT, OsCalls.GetNextChunkData(os, 0, new byte[64], out _, out _));
        Assert.True(first.Join(TimeSpan.FromSeconds(5)));
        Assert.Contains(os.Violations, v => v.Contains("two threads at once", StringComparison.Ordinal));
    }
}
