using System.Globalization;
using System.IO.MemoryMappedFiles;

namespace Miraflow.Simulator.Os;

/// <summary>
/// The KMD's frame store on a Linux host (docs/kernel-protocol.md, "The frame store", "Linux
/// hosts"): a file of <c>SlotCount × SlotSize</c> bytes under /dev/shm, mapped read/write here and
/// read-only by the UMD, and the ownership of its slots.
/// </summary>
/// <remarks>
/// A slot is free when no queued chunk names it, the UMD does not hold it and the GPU is not
/// writing it. It becomes the UMD's when <c>GetNextChunkData</c> returns a chunk naming it and
/// stays so until <c>ReleaseSlots</c>. Thread-safe.
/// </remarks>
internal sealed unsafe class FrameStore : IDisposable
{
    private static int s_next;

    private readonly Lock _lock = new();
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;
    private readonly int[] _queuedRefs;
    private readonly bool[] _umdHeld;
    private readonly bool[] _gpuWriting;
    private bool _disposed;

    public FrameStore(string directory, int slotCount, int slotSize)
    {
        SlotCount = slotCount;
        SlotSize = slotSize;
        int n = Interlocked.Increment(ref s_next);
        Path = string.Create(CultureInfo.InvariantCulture, $"{directory.TrimEnd('/')}/miraflow-{Environment.ProcessId}-{n}");
        if (Path.Length > OsEmulatorOptions.MaxFrameStorePathLength)
        {
            throw new InvalidOperationException($"The frame-store path '{Path}' is longer than {OsEmulatorOptions.MaxFrameStorePathLength} characters (FrameStoreInfo.SectionName).");
        }

        long capacity = (long)slotCount * slotSize;
        _file = MemoryMappedFile.CreateFromFile(Path, FileMode.CreateNew, null, capacity, MemoryMappedFileAccess.ReadWrite);
        try
        {
            _view = _file.CreateViewAccessor(0, capacity, MemoryMappedFileAccess.ReadWrite);
            byte* pointer = null;
            _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            _base = pointer + _view.PointerOffset;
        }
        catch
        {
            _view?.Dispose();
            _file.Dispose();
            File.Delete(Path);
            throw;
        }

        _queuedRefs = new int[slotCount];
        _umdHeld = new bool[slotCount];
        _gpuWriting = new bool[slotCount];
    }

    /// <summary>The file's absolute path (what <c>FrameStoreInfo</c> carries).</summary>
    public string Path { get; }

    public int SlotCount { get; }

    public int SlotSize { get; }

    /// <summary>The bytes of a slot. Valid until <see cref="Dispose"/>.</summary>
    public Span<byte> Slot(int slot)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unchecked((uint)slot), (uint)SlotCount, nameof(slot));
        return new Span<byte>(_base + ((long)slot * SlotSize), SlotSize);
    }

    /// <summary>Takes a free slot for the GPU to write, or -1 when every slot is busy.</summary>
    public int TryTakeForGpu()
    {
        lock (_lock)
        {
            for (int i = 0; i < SlotCount; i++)
            {
                if (_queuedRefs[i] == 0 && !_umdHeld[i] && !_gpuWriting[i])
                {
                    _gpuWriting[i] = true;
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>The GPU finished with a slot (its chunks are queued, or it gave up).</summary>
    public void EndGpuWrite(int slot)
    {
        lock (_lock)
        {
            _gpuWriting[slot] = false;
        }
    }

    /// <summary>A queued chunk names the slot.</summary>
    public void AddQueuedRef(int slot)
    {
        if (unchecked((uint)slot) < (uint)SlotCount)
        {
            lock (_lock)
            {
                _queuedRefs[slot]++;
            }
        }
    }

    /// <summary>A chunk naming the slot left the queue: dropped (overflow) or, when <paramref name="toUmd"/>, returned to the UMD, which now holds the slot.</summary>
    public void RemoveQueuedRef(int slot, bool toUmd)
    {
        if (unchecked((uint)slot) < (uint)SlotCount)
        {
            lock (_lock)
            {
                _queuedRefs[slot]--;
                _umdHeld[slot] |= toUmd;
            }
        }
    }

    /// <summary>The UMD gives a slot back. False when it does not hold it (or the index is out of range).</summary>
    public bool Release(int slot)
    {
        if (unchecked((uint)slot) >= (uint)SlotCount)
        {
            return false;
        }

        lock (_lock)
        {
            if (!_umdHeld[slot])
            {
                return false;
            }

            _umdHeld[slot] = false;
            return true;
        }
    }

    /// <summary>The slots the UMD holds, in index order.</summary>
    public int[] HeldSlots()
    {
        lock (_lock)
        {
            var held = new List<int>();
            for (int i = 0; i < SlotCount; i++)
            {
                if (_umdHeld[i])
                {
                    held.Add(i);
                }
            }

            return [.. held];
        }
    }

    /// <summary>Slots neither queued, held nor being written.</summary>
    public int FreeSlots()
    {
        lock (_lock)
        {
            int free = 0;
            for (int i = 0; i < SlotCount; i++)
            {
                free += _queuedRefs[i] == 0 && !_umdHeld[i] && !_gpuWriting[i] ? 1 : 0;
            }

            return free;
        }
    }

    /// <summary>Unmaps the store and deletes its file.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // already gone
        }
    }
}
