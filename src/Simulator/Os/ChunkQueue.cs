using Miraflow.Exports.Interop;

namespace Miraflow.Simulator.Os;

/// <summary>One chunk the KMD submitted (the <c>DXGK_INTERRUPT_MICACAST_CHUNK_PROCESSING_COMPLETE</c> interrupt, §3.2).</summary>
internal readonly record struct QueuedChunk(MIRACAST_CHUNK_INFO Info, byte[] PrivateData, int Slot);

/// <summary>
/// The OS chunk queue behind <c>GetNextChunkData</c> (§2.12, §3.2): bounded, with the overflow
/// rule (every queued chunk is lost, the next call returns <c>STATUS_CONNECTION_RESET</c> once),
/// and an eventfd that is readable exactly while a call would not wait (a chunk, a pending reset,
/// or the queue closed), so <c>poll</c> can wait on it together with the UMD's extra events.
/// </summary>
internal sealed class ChunkQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<QueuedChunk> _chunks = new();
    private readonly FrameStore? _store;
    private readonly int _capacity;
    private int _readyFd;
    private bool _signalled;
    private bool _resetPending;
    private bool _closed;

    public ChunkQueue(int capacity, FrameStore? store)
    {
        _capacity = capacity;
        _store = store;
        _readyFd = LinuxWaitEvents.Create();
    }

    /// <summary>The eventfd that is readable while a chunk, a reset or the close is pending.</summary>
    public int ReadyFd => _readyFd;

    /// <summary>Chunks waiting.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _chunks.Count;
            }
        }
    }

    /// <summary>Overflows so far (including forced ones).</summary>
    public int Resets { get; private set; }

    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    /// <summary>
    /// Queues a chunk. False when the queue was full: then this chunk and every queued one are
    /// lost, their slots go back to the KMD and a reset is pending. Also false once closed.
    /// </summary>
    public bool Enqueue(in QueuedChunk chunk)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            if (_chunks.Count >= _capacity)
            {
                OverflowLocked();
                return false;
            }

            _store?.AddQueuedRef(chunk.Slot);
            _chunks.Enqueue(chunk);
            UpdateSignalLocked();
            return true;
        }
    }

    /// <summary>Loses every queued chunk as an overflow would; the next call returns <c>STATUS_CONNECTION_RESET</c>.</summary>
    public void ForceOverflow()
    {
        lock (_lock)
        {
            if (!_closed)
            {
                OverflowLocked();
            }
        }
    }

    /// <summary>The session is gone: every later call returns <c>STATUS_INSTANCE_NOT_AVAILABLE</c>; waiters wake.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            DropAllLocked();
            UpdateSignalLocked();
        }
    }

    /// <summary>
    /// One non-blocking attempt: <c>STATUS_INSTANCE_NOT_AVAILABLE</c>, <c>STATUS_CONNECTION_RESET</c>,
    /// <c>STATUS_SUCCESS</c> with chunks packed, <c>STATUS_BUFFER_TOO_SMALL</c> with
    /// <paramref name="size"/> = the first chunk's need, or <c>STATUS_PENDING</c> when empty (wait).
    /// </summary>
    public int TryTake(Span<byte> buffer, out uint size, out uint outstanding)
    {
        size = 0;
        outstanding = 0;
        lock (_lock)
        {
            if (_closed)
            {
                return STATUS.STATUS_INSTANCE_NOT_AVAILABLE;
            }

            if (_resetPending)
            {
                _resetPending = false;
                UpdateSignalLocked();
                return STATUS.STATUS_CONNECTION_RESET;
            }

            if (_chunks.Count == 0)
            {
                return STATUS.STATUS_PENDING;
            }

            int written = 0;
            while (_chunks.TryPeek(out QueuedChunk chunk)
                && MiracastChunkDataWriter.TryWrite(buffer[written..], chunk.Info, chunk.PrivateData, out int entry))
            {
                _ = _chunks.Dequeue();
                _store?.RemoveQueuedRef(chunk.Slot, toUmd: true);
                written += entry;
            }

            outstanding = (uint)_chunks.Count;
            UpdateSignalLocked();
            if (written == 0)
            {
                // §5.6 leaves the size open: we report what the first pending chunk needs (it stays queued).
                size = (uint)MiracastChunkDataWriter.GetEntrySize((uint)_chunks.Peek().PrivateData.Length);
                return STATUS.STATUS_BUFFER_TOO_SMALL;
            }

            size = (uint)written;
            return STATUS.STATUS_SUCCESS;
        }
    }

    public void Dispose()
    {
        Close();
        int fd = Interlocked.Exchange(ref _readyFd, -1);
        if (fd >= 0)
        {
            LinuxWaitEvents.Close(fd);
        }
    }

    private void OverflowLocked()
    {
        DropAllLocked();
        _resetPending = true;
        Resets++;
        UpdateSignalLocked();
    }

    private void DropAllLocked()
    {
        while (_chunks.TryDequeue(out QueuedChunk chunk))
        {
            _store?.RemoveQueuedRef(chunk.Slot, toUmd: false);
        }
    }

    /// <summary>Keeps the eventfd readable exactly while a call would return without waiting.</summary>
    private void UpdateSignalLocked()
    {
        bool ready = _closed || _resetPending || _chunks.Count > 0;
        if (ready == _signalled || _readyFd < 0)
        {
            return;
        }

        if (ready)
        {
            _ = LinuxWaitEvents.Signal(_readyFd);
        }
        else
        {
            LinuxWaitEvents.Reset(_readyFd);
        }

        _signalled = ready;
    }
}
