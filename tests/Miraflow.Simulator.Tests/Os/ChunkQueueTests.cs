using System.Diagnostics;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;
using Miraflow.Simulator.Os;

namespace Miraflow.Simulator.Tests.Os;

/// <summary>GetNextChunkData (§2.12) called through the emulator's real unmanaged callback pointer.</summary>
[Collection(OsTestGroup.Name)]
[Trait("Category", "unit")]
public sealed class ChunkQueueTests
{
    private static OsEmulator Created(int capacity = 64)
    {
        var os = new OsEmulator(FakeDriver.Library(), new OsEmulatorOptions { ChunkQueueCapacity = capacity, SlotCount = 2, SlotSize = 4096 });
        Assert.Equal(STATUS.STATUS_SUCCESS, os.Create());
        return os;
    }

    [Fact]
    public void Packs_every_chunk_that_fits_back_to_back_with_stride_28_plus_private_size()
    {
        using OsEmulator os = Created();
        Assert.True(os.SubmitChunk(ChunkType.FrameStart, new ChunkId(7, 0), []));
        Assert.True(os.SubmitChunk(ChunkType.ColorConvertComplete, new ChunkId(7, 1), [1, 2, 3], processingTime: 950));
        Assert.True(os.SubmitChunk(ChunkType.EncodeComplete, new ChunkId(7, 0), [9, 8, 7, 6, 5], 1042, 15000));

        byte[] buffer = new byte[28 + 28 + 3 + 28 + 5];
        Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.GetNextChunkData(os, 0, buffer, out uint size, out uint outstanding));
        Assert.Equal((uint)buffer.Length, size);
        Assert.Equal(0u, outstanding);

        // Entry k+1 starts right after entry k's private bytes: 0, 28, 59.
        Assert.Equal(3u, BitConverter.ToUInt32(buffer, 28 + 24));
        Assert.Equal(5u, BitConverter.ToUInt32(buffer, 59 + 24));
        List<(MIRACAST_CHUNK_INFO Info, byte[] Private)> chunks = OsCalls.Read(buffer);
        Assert.Equal(3, chunks.Count);
        Assert.Equal(MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_START, chunks[0].Info.ChunkType);
        Assert.Equal(1ul, chunks[1].Info.ChunkId.PartNumber);
        Assert.Equal(950u, chunks[1].Info.ProcessingTime);
        Assert.Equal([1, 2, 3], chunks[1].Private);
        Assert.Equal(15000u, chunks[2].Info.EncodeRate);
        Assert.Equal([9, 8, 7, 6, 5], chunks[2].Private);
        Assert.Empty(os.Violations);
    }

    [Fact]
    public void Packs_only_what_fits_and_reports_the_rest_as_outstanding()
    {
        using OsEmulator os = Created();
        for (uint i = 1; i <= 3; i++)
        {
            Assert.True(os.SubmitChunk(ChunkType.ColorConvertComplete, new ChunkId(i, 0), new byte[10]));
        }

        byte[] buffer = new byte[(2 * 38) + 37];
        Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.GetNextChunkData(os, 0, buffer, out uint size, out uint outstanding));
        Assert.Equal(76u, size);
        Assert.Equal(1u, outstanding);
    }

    [Fact]
    public void Buffer_too_small_keeps_the_chunk_and_reports_the_size_it_needs()
    {
        using OsEmulator os = Created();
        Assert.True(os.SubmitChunk(ChunkType.ColorConvertComplete, new ChunkId(1, 0), new byte[72]));

        byte[] small = new byte[28 + 71];
        Assert.Equal(STATUS.STATUS_BUFFER_TOO_SMALL, OsCalls.GetNextChunkData(os, 0, small, out uint needed, out _));
        Assert.Equal(100u, needed);
        Assert.Equal(1, os.QueuedChunks);

        byte[] exact = new byte[needed];
        Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.GetNextChunkData(os, 0, exact, out uint size, out _));
        Assert.Equal(100u, size);
    }

    [Fact]
    public void Overflow_returns_one_connection_reset_then_only_chunks_submitted_after_it()
    {
        using OsEmulator os = Created(capacity: 3);
        for (uint i = 1; i <= 3; i++)
        {
            Assert.True(os.SubmitChunk(ChunkType.ColorConvertComplete, new ChunkId(i, 0), []));
        }

        Assert.False(os.SubmitChunk(ChunkType.ColorConvertComplete, new ChunkId(4, 0), [])); // overflow: 1–4 lost
        Assert.True(os.SubmitChunk(ChunkType.ColorConvertComplete, new ChunkId(5, 0), []));
        Assert.Equal(1, os.Resets);

        byte[] buffer = new byte[1024];
        Assert.Equal(STATUS.STATUS_CONNECTION_RESET, OsCalls.GetNextChunkData(os, 0, buffer, out uint size, out _));
        Assert.Equal(0u, size);
        Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.GetNextChunkData(os, 0, buffer, out size, out _));
        List<(MIRACAST_CHUNK_INFO Info, byte[] Private)> chunks = OsCalls.Read(buffer.AsSpan(0, (int)size));
        Assert.Equal(5ul, Assert.Single(chunks).Info.ChunkId.FrameNumber);
        Assert.Equal(STATUS.STATUS_TIMEOUT, OsCalls.GetNextChunkData(os, 0, buffer, out _, out _));
    }

    [Fact]
    public void ForceOverflow_makes_the_next_call_a_single_connection_reset()
    {
        using OsEmulator os = Created();
        Assert.True(os.SubmitChunk(ChunkType.ColorConvertComplete, new ChunkId(1, 0), []));
        os.ForceOverflow();
        byte[] buffer = new byte[256];
        Assert.Equal(STATUS.STATUS_CONNECTION_RESET, OsCalls.GetNextChunkData(os, 0, buffer, out _, out _));
        Assert.Equal(STATUS.STATUS_TIMEOUT, OsCalls.GetNextChunkData(os, 0, buffer, out _, out _));
    }

    [Fact]
    public void Timeout_waits_about_the_timeout_and_returns_STATUS_TIMEOUT()
    {
        using OsEmulator os = Created();
        byte[] buffer = new byte[256];
        long started = Stopwatch.GetTimestamp();
        Assert.Equal(STATUS.STATUS_TIMEOUT, OsCalls.GetNextChunkData(os, 80, buffer, out uint size, out _));
        TimeSpan waited = Stopwatch.GetElapsedTime(started);
        Assert.Equal(0u, size);
        Assert.InRange(waited, TimeSpan.FromMilliseconds(75), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void A_wait_wakes_when_a_chunk_is_submitted()
    {
        using OsEmulator os = Created();
        byte[] buffer = new byte[256];
        using var submitter = new Timer(_ => os.SubmitChunk(ChunkType.FrameStart, new ChunkId(3, 0), []), null, 50, Timeout.Infinite);
        long started = Stopwatch.GetTimestamp();
        Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.GetNextChunkData(os, 5000, buffer, out uint size, out _));
        Assert.Equal(28u, size);
        Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void A_signalled_eventfd_returns_its_STATUS_WAIT_index_with_size_0_even_when_a_chunk_is_ready()
    {
        using OsEmulator os = Created();
        int first = LinuxWaitEvents.Create();
        int second = LinuxWaitEvents.Create();
        try
        {
            byte[] buffer = new byte[256];
            Assert.True(LinuxWaitEvents.Signal(second));
            Assert.Equal(STATUS.STATUS_WAIT_1, OsCalls.GetNextChunkData(os, Windows.INFINITE, buffer, out uint size, out _, first, second));
            Assert.Equal(0u, size);

            // Both ready: the event wins; the chunk stays queued.
            Assert.True(os.SubmitChunk(ChunkType.FrameStart, new ChunkId(1, 0), []));
            Assert.Equal(STATUS.STATUS_WAIT_1, OsCalls.GetNextChunkData(os, 0, buffer, out size, out _, first, second));
            Assert.Equal(0u, size);
            Assert.Equal(1, os.QueuedChunks);

            LinuxWaitEvents.Reset(second);
            Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.GetNextChunkData(os, 0, buffer, out size, out _, first, second));
            Assert.Equal(28u, size);

            // An event signalled while the call waits wakes it.
            using var signaller = new Timer(_ => LinuxWaitEvents.Signal(first), null, 50, Timeout.Infinite);
            Assert.Equal(STATUS.STATUS_WAIT_0, OsCalls.GetNextChunkData(os, 5000, buffer, out size, out _, first, second));
            Assert.Equal(0u, size);
        }
        finally
        {
            LinuxWaitEvents.Close(first);
            LinuxWaitEvents.Close(second);
        }
    }

    [Fact]
    public async Task Stop_wakes_an_infinite_waiter_with_INSTANCE_NOT_AVAILABLE_and_later_calls_get_it_too()
    {
        using var os = new OsEmulator(FakeDriver.Library(), new OsEmulatorOptions { SlotCount = 2, SlotSize = 4096 });
        (System.Net.Sockets.Socket source, System.Net.Sockets.Socket sink) = await OsSession.StartAsync(os);
        using (source)
        using (sink)
        {
            await StopWakesWaiter(os);
        }
    }

    private static async Task StopWakesWaiter(OsEmulator os)
    {
        Task<int> waiter = Task.Factory.StartNew(
            () => OsCalls.GetNextChunkData(os, Windows.INFINITE, new byte[256], out _, out _), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(50);
        Assert.False(waiter.IsCompleted);

        os.Stop();
        Assert.Equal(STATUS.STATUS_INSTANCE_NOT_AVAILABLE, await waiter.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(STATUS.STATUS_INSTANCE_NOT_AVAILABLE, OsCalls.GetNextChunkData(os, 0, new byte[256], out uint size, out _));
        Assert.Equal(0u, size);
        Assert.Empty(os.Violations);
    }

    [Fact]
    public unsafe void Bad_arguments_are_STATUS_INVALID_PARAMETER_and_recorded()
    {
        using OsEmulator os = Created();
        uint size = 256, left;
        byte* buffer = stackalloc byte[256];
        MIRACAST_CALLBACKS callbacks = os.Callbacks;
        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, callbacks.GetNextChunkData(os.DeviceHandle, 0, 0, null, null, (MIRACAST_CHUNK_DATA*)buffer, &left));
        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, callbacks.GetNextChunkData(os.DeviceHandle, 0, 1, null, &size, (MIRACAST_CHUNK_DATA*)buffer, &left));
        HANDLE* events = stackalloc HANDLE[5];
        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, callbacks.GetNextChunkData(os.DeviceHandle, 0, 5, events, &size, (MIRACAST_CHUNK_DATA*)buffer, &left));
        Assert.Equal(3, os.Violations.Count);

        // An unknown device handle is refused without touching anything.
        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, callbacks.GetNextChunkData((HANDLE)0x7777, 0, 0, null, &size, (MIRACAST_CHUNK_DATA*)buffer, &left));
    }
}
