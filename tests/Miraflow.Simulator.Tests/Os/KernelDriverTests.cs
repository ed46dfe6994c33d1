using System.Net.Sockets;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Simulator.Os;

namespace Miraflow.Simulator.Tests.Os;

/// <summary>The emulated KMD behind MiracastIoControl (docs/kernel-protocol.md) and the simulated GPU.</summary>
[Collection(OsTestGroup.Name)]
[Trait("Category", "integration")]
public sealed class KernelDriverTests
{
    private static OsEmulatorOptions Small(int slots = 4, int parts = 1) => new() { SlotCount = slots, SlotSize = 64 * 48 * 3 / 2, PartsPerFrame = parts };

    [Fact]
    public void QueryFrameStore_answers_FrameStoreInfo_naming_the_file_of_the_right_size()
    {
        string path;
        using (var os = new OsEmulator(FakeDriver.Library(), Small()))
        {
            Assert.Equal(STATUS.STATUS_SUCCESS, os.Create());
            Span<byte> query = stackalloc byte[KernelMessage.HeaderSize];
            KernelMessage.WriteHeader(query, KernelMessageType.QueryFrameStore, KernelMessage.HeaderSize);
            byte[] answer = new byte[FrameStoreInfoMessage.Size];
            Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.IoControl(os, query, answer, out uint returned));
            Assert.Equal((uint)FrameStoreInfoMessage.Size, returned);
            Assert.Equal(KernelMessageError.None, FrameStoreInfoMessage.TryRead(answer, out FrameStoreInfoMessage info, out _));
            Assert.Equal(4, info.SlotCount);
            Assert.Equal(64 * 48 * 3 / 2, info.SlotSize);
            path = info.SectionName;
            Assert.StartsWith("/dev/shm/miraflow-", path, StringComparison.Ordinal);
            Assert.True(path.Length <= 32);
            Assert.Equal(4L * info.SlotSize, new FileInfo(path).Length);

            // Too small an output buffer.
            Assert.Equal(STATUS.STATUS_BUFFER_TOO_SMALL, OsCalls.IoControl(os, query, new byte[FrameStoreInfoMessage.Size - 1], out _));
            Assert.Empty(os.Violations);
        }

        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 })]
    [InlineData(new byte[] { 0x4D, 0x46, 0x4B, 0x50, 1, 0, 19, 0, 100, 0, 0, 0, 0, 0, 0, 0 })] // ReleaseSlots claiming 100 bytes
    [InlineData(new byte[] { 0x4D, 0x46, 0x4B, 0x50, 1, 0, 99, 0, 12, 0, 0, 0 })] // unknown type 99
    [InlineData(new byte[] { 0x4D, 0x46, 0x4B, 0x50, 1, 0, 32, 0, 12, 0, 0, 0 })] // PowerOff goes the other way
    public void Malformed_or_unknown_input_is_STATUS_INVALID_PARAMETER_and_recorded(byte[] message)
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        Assert.Equal(STATUS.STATUS_SUCCESS, os.Create());
        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, OsCalls.IoControl(os, message, new byte[16], out uint returned));
        Assert.Equal(0u, returned);
        Assert.Single(os.Violations);
        Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, Assert.Single(os.IoControls).Status);
    }

    [Fact]
    public async Task The_GPU_writes_the_test_picture_converted_to_NV12_into_the_slot_its_chunks_name()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small(parts: 3));
        (Socket source, Socket sink) = await OsSession.StartAsync(os);
        using (source)
        using (sink)
        {
            Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.MonitorArrival(os, 64, 48, 30));
            Assert.Equal(64, os.Monitor!.Value.Width);

            byte[] buffer = new byte[3 * (28 + ChunkDescriptor.Size)];
            var chunks = new List<(MIRACAST_CHUNK_INFO Info, byte[] Private)>();
            while (chunks.Count < 3)
            {
                Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.GetNextChunkData(os, 3000, buffer.AsSpan(0, (3 - chunks.Count) * (28 + ChunkDescriptor.Size)), out uint size, out _));
                chunks.AddRange(OsCalls.Read(buffer.AsSpan(0, (int)size)));
            }

            // Parts 1, 2, then the last one 0; 24 row pairs split 8/8/8; all frame 1.
            Assert.Equal([1ul, 2ul, 0ul], chunks.Select(c => c.Info.ChunkId.PartNumber));
            Assert.All(chunks, c => Assert.Equal(1ul, c.Info.ChunkId.FrameNumber));
            Assert.All(chunks, c => Assert.Equal(MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_COLOR_CONVERT_COMPLETE, c.Info.ChunkType));
            var descriptors = chunks.Select(c =>
            {
                Assert.Equal(KernelMessageError.None, ChunkDescriptor.TryRead(c.Private, out ChunkDescriptor d, out string? detail));
                return d;
            }).ToList();
            Assert.Equal([0, 16, 32], descriptors.Select(d => d.FirstRow));
            Assert.All(descriptors, d => Assert.Equal(16, d.RowCount));
            Assert.All(descriptors, d => Assert.Equal(3, d.PartCount));
            ChunkDescriptor first = descriptors[0];
            Assert.Equal(PixelFormat.Nv12, first.PixelFormat);
            Assert.Equal([first.Slot], os.HeldSlots);

            // The same frame, rendered and converted independently.
            await using var picture = new TestPictureSource(new MediaClock(), 64, 48, 30, PixelFormat.I420, FramePacing.Unpaced);
            using VideoFrame i420 = VideoFrame.Create(64, 48, PixelFormat.I420);
            using VideoFrame nv12 = VideoFrame.Create(64, 48, PixelFormat.Nv12);
            picture.Render(i420, 0, SimulatedGpu.CaptureTimeOf(first.CaptureTimestamp));
            PictureConverter.I420ToNv12(i420, nv12);
            byte[] slot = os.ReadSlot(first.Slot);
            Assert.Equal(nv12.Data.ToArray(), slot.AsSpan(first.Offset, first.Length).ToArray());

            Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.ReleaseSlots(os, first.Slot));
            Assert.Empty(os.HeldSlots);
            Assert.Empty(os.Violations);
            Assert.Empty(os.Errors);
        }
    }

    [Fact]
    public async Task Without_a_free_slot_the_KMD_queues_FRAME_DROPPED_and_releasing_an_unheld_slot_is_a_violation()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small(slots: 1));
        (Socket source, Socket sink) = await OsSession.StartAsync(os);
        using (source)
        using (sink)
        {
            Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.MonitorArrival(os, 64, 48, 100));
            byte[] buffer = new byte[4096];
            Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.GetNextChunkData(os, 3000, buffer.AsSpan(0, 100), out _, out _));
            Assert.Equal([0], os.HeldSlots);

            // The only slot is ours: the next frames are dropped by the KMD.
            MIRACAST_CHUNK_INFO dropped = default;
            while (dropped.ChunkType != MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED)
            {
                Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.GetNextChunkData(os, 3000, buffer.AsSpan(0, 28), out uint size, out _));
                Assert.Equal(28u, size);
                dropped = OsCalls.Read(buffer.AsSpan(0, 28))[0].Info;
            }

            Assert.True(dropped.ChunkId.FrameNumber >= 2);
            Assert.True(os.FramesDropped >= 1);

            Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.ReleaseSlots(os, 0));
            Assert.Equal(STATUS.STATUS_INVALID_PARAMETER, OsCalls.ReleaseSlots(os, 0));
            Assert.Contains(os.Violations, v => v.Contains("slot 0 is not held", StringComparison.Ordinal));

            // Departure stops the GPU.
            Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.HeaderOnly(os, KernelMessageType.MonitorDeparture));
            Assert.False(os.GpuRunning);
            Assert.Null(os.Monitor);
        }
    }

    [Fact]
    public async Task Overflow_reclaims_the_slots_the_lost_chunks_named()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small(slots: 2));
        (Socket source, Socket sink) = await OsSession.StartAsync(os);
        using (source)
        using (sink)
        {
            os.PausePresenting();
            Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.MonitorArrival(os, 64, 48, 200));
            Assert.Equal(0L, os.FramesProduced);
            os.ResumePresenting();
            SpinWait.SpinUntil(() => os.FramesProduced + os.FramesDropped >= 4, TimeSpan.FromSeconds(3));
            os.PausePresenting();
            Assert.True(os.FramesDropped >= 1); // both slots were queued, not free
            os.ForceOverflow();
            byte[] buffer = new byte[4096];
            Assert.Equal(STATUS.STATUS_CONNECTION_RESET, OsCalls.GetNextChunkData(os, 0, buffer, out _, out _));
            Assert.Empty(os.HeldSlots);

            long produced = os.FramesProduced;
            os.ResumePresenting();
            Assert.True(SpinWait.SpinUntil(() => os.FramesProduced >= produced + 1, TimeSpan.FromSeconds(3)), "a reclaimed slot was reused");
        }
    }

    [Fact]
    public async Task IoControl_from_another_thread_during_Start_is_held_until_Start_returns_and_HPD_inside_Start_is_a_violation()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        int heldStatus = 0;
        Thread? other = null;
        FakeDriver.OnStart = () =>
        {
            other = new Thread(() => heldStatus = OsCalls.HeaderOnly(os, KernelMessageType.RequestIdr));
            other.Start();
            Thread.Sleep(100);
            Assert.Equal(0L, os.IdrRequests); // still held
            Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.MonitorArrival(os, 64, 48, 30)); // processed on the Start thread
        };
        (Socket source, Socket sink) = await OsSession.StartAsync(os);
        using (source)
        using (sink)
        {
            Assert.True(other!.Join(TimeSpan.FromSeconds(5)));
            Assert.Equal(STATUS.STATUS_SUCCESS, heldStatus);
            Assert.Equal(1L, os.IdrRequests);
            IReadOnlyList<IoControlRecord> calls = os.IoControls;
            IoControlRecord arrival = calls.Single(c => c.Type == KernelMessageType.MonitorArrival);
            IoControlRecord idr = calls.Single(c => c.Type == KernelMessageType.RequestIdr);
            Assert.True(arrival.StartInProgress);
            Assert.False(arrival.Held);
            Assert.Equal(os.StartThreadId, arrival.ThreadId);
            Assert.True(idr.Held);
            Assert.True(idr.SinceStartReturned < TimeSpan.Zero);
            Assert.Null(arrival.SinceStartReturned); // recorded while Start still ran
            Assert.False(idr.StartInProgress);
            Assert.Contains(os.Violations, v => v.Contains("HPD comes only after Start returned", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task IoControl_from_another_thread_during_Stop_fails_and_after_Destroy_fails()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        int duringStop = 0, onStopThread = -1;
        FakeDriver.OnStop = () =>
        {
            var other = new Thread(() => duringStop = OsCalls.HeaderOnly(os, KernelMessageType.RequestIdr));
            other.Start();
            Assert.True(other.Join(TimeSpan.FromSeconds(5)));
            onStopThread = OsCalls.HeaderOnly(os, KernelMessageType.RequestIdr);
        };
        (Socket source, Socket sink) = await OsSession.StartAsync(os);
        using (source)
        using (sink)
        {
            os.Stop();
            FakeDriver.ThrowHookFailure();
            Assert.Equal(OsEmulator.STATUS_INVALID_DEVICE_STATE, duringStop);
            Assert.Equal(STATUS.STATUS_SUCCESS, onStopThread);
            os.Destroy();
            Assert.Equal(OsEmulator.STATUS_INVALID_DEVICE_STATE, OsCalls.HeaderOnly(os, KernelMessageType.RequestIdr));
            Assert.Equal(1, FakeDriver.Destroyed);
        }
    }

    [Fact]
    public async Task Kernel_messages_reach_the_driver_after_Start_and_are_dropped_after_Stop()
    {
        using var os = new OsEmulator(FakeDriver.Library(), Small());
        (Socket source, Socket sink) = await OsSession.StartAsync(os);
        using (source)
        using (sink)
        {
            Assert.Equal(STATUS.STATUS_SUCCESS, os.PowerOff());
            Assert.Equal(STATUS.STATUS_SUCCESS, os.PowerOn());
            Assert.Equal(2, FakeDriver.KernelMessages);
            os.Stop();
            Assert.Equal(OsEmulator.STATUS_INVALID_DEVICE_STATE, os.PowerOff());
            Assert.Equal(2, FakeDriver.KernelMessages);
            Assert.Equal(1L, os.KernelMessagesDropped);
        }
    }
}

/// <summary>The GPU with a caller's frame source and FRAME_START chunks.</summary>
[Collection(OsTestGroup.Name)]
[Trait("Category", "integration")]
public sealed class FrameSourceTests
{
    [Fact]
    public async Task A_user_NV12_source_is_copied_into_the_slot_after_a_FRAME_START_chunk()
    {
        await using var source = new CountingSource(32, 16);
        var options = new OsEmulatorOptions { SlotCount = 2, SlotSize = 32 * 16 * 3 / 2, FrameSource = source, FrameStartChunks = true };
        using var os = new OsEmulator(FakeDriver.Library(), options);
        (Socket rtsp, Socket sink) = await OsSession.StartAsync(os);
        using (rtsp)
        using (sink)
        {
            Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.MonitorArrival(os, 32, 16, 60));
            byte[] buffer = new byte[28 + 28 + ChunkDescriptor.Size];
            var chunks = new List<(MIRACAST_CHUNK_INFO Info, byte[] Private)>();
            while (chunks.Count < 2)
            {
                Assert.Equal(STATUS.STATUS_SUCCESS, OsCalls.GetNextChunkData(os, 3000, buffer.AsSpan(0, chunks.Count == 0 ? buffer.Length : 28 + ChunkDescriptor.Size), out uint size, out _));
                chunks.AddRange(OsCalls.Read(buffer.AsSpan(0, (int)size)));
            }

            Assert.Equal(MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_START, chunks[0].Info.ChunkType);
            Assert.Empty(chunks[0].Private);
            Assert.Equal(MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_COLOR_CONVERT_COMPLETE, chunks[1].Info.ChunkType);
            Assert.Equal(chunks[0].Info.ChunkId.FrameNumber, chunks[1].Info.ChunkId.FrameNumber);
            Assert.Equal(KernelMessageError.None, ChunkDescriptor.TryRead(chunks[1].Private, out ChunkDescriptor d, out _));
            byte[] slot = os.ReadSlot(d.Slot);
            Assert.All(slot.AsSpan(0, d.Length).ToArray(), b => Assert.Equal((byte)1, b)); // the source's first frame is all 1s
            Assert.Empty(os.Errors);
        }
    }

    /// <summary>NV12 frames whose every byte is the frame's index + 1.</summary>
    private sealed class CountingSource(int width, int height) : IFrameSource
    {
        private int _next;

        public FrameSourceInfo Info { get; } = new(width, height, 60, Encoded: false, PixelFormat.Nv12);

        public ValueTask<MediaFrame?> ReadFrameAsync(CancellationToken cancellationToken)
        {
            VideoFrame frame = VideoFrame.Create(width, height, PixelFormat.Nv12);
            frame.Data.Fill((byte)(++_next));
            return ValueTask.FromResult<MediaFrame?>(frame);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
