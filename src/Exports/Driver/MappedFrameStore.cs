using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;

namespace Miraflow.Exports.Driver;

/// <summary>
/// The kernel driver's frame store (docs/kernel-protocol.md, "The frame store") mapped read-only
/// into this process: a named section on Windows, a file (normally under <c>/dev/shm</c>) on Linux.
/// Released slots are collected and given back in one <c>ReleaseSlots</c> message per
/// <see cref="FlushReleases"/>, which the chunk reader calls after each batch of chunks.
/// </summary>
internal sealed unsafe class MappedFrameStore : IChunkMemory, IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly SafeMemoryMappedViewHandle _handle;
    private readonly byte* _base;
    private readonly long _length;
    private readonly KernelChannel _kernel;
    private readonly Lock _gate = new();
    private readonly List<int> _released = new(capacity: 16);

    /// <summary>Slots given back per <c>ReleaseSlots</c> at most (a flush copies them to the stack); the rest go in the next flush.</summary>
    private const int MaxSlotsPerFlush = 256;
    private bool _disposed;

    private MappedFrameStore(MemoryMappedFile file, FrameStoreInfoMessage info, KernelChannel kernel)
    {
        _file = file;
        _length = (long)info.SlotCount * info.SlotSize;
        _view = file.CreateViewAccessor(0, _length, MemoryMappedFileAccess.Read);
        _handle = _view.SafeMemoryMappedViewHandle;
        byte* pointer = null;
        _handle.AcquirePointer(ref pointer);
        _base = pointer + _view.PointerOffset;
        SlotCount = info.SlotCount;
        SlotSize = info.SlotSize;
        _kernel = kernel;
    }

    /// <summary>Slots in the store.</summary>
    public int SlotCount { get; }

    /// <summary>Bytes per slot.</summary>
    public int SlotSize { get; }

    /// <summary>Maps the store <paramref name="info"/> names.</summary>
    /// <exception cref="IOException">The section or file cannot be opened or is smaller than announced.</exception>
    public static MappedFrameStore Open(FrameStoreInfoMessage info, KernelChannel kernel)
    {
        if (info.SectionName.Length == 0 || info.SlotCount == 0 || info.SlotSize == 0)
        {
            throw new IOException("The kernel driver has no frame store (an empty FrameStoreInfo).");
        }

        long length = (long)info.SlotCount * info.SlotSize;
        MemoryMappedFile file;
        if (OperatingSystem.IsWindows())
        {
            file = MemoryMappedFile.OpenExisting(info.SectionName, MemoryMappedFileRights.Read);
        }
        else
        {
            var stream = new FileStream(info.SectionName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length < length)
            {
                stream.Dispose();
                throw new IOException($"The frame store {info.SectionName} has {stream.Length} bytes; {info.SlotCount} slots of {info.SlotSize} need {length}.");
            }

            file = MemoryMappedFile.CreateFromFile(stream, mapName: null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
        }

        try
        {
            return new MappedFrameStore(file, info, kernel);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public bool TryGetBytes(int slot, int offset, int length, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (_disposed || (uint)slot >= (uint)SlotCount || offset < 0 || length < 0 || (long)offset + length > SlotSize)
        {
            return false;
        }

        bytes = new ReadOnlySpan<byte>(_base + ((long)slot * SlotSize) + offset, length);
        return true;
    }

    /// <inheritdoc/>
    public void Release(int slot)
    {
        lock (_gate)
        {
            _released.Add(slot);
        }
    }

    /// <summary>
    /// Sends one <c>ReleaseSlots</c> for the slots released since the last flush. When the OS
    /// refuses it for the state (a foreign thread's call during StopMiracastSession fails, §2.5:
    /// STATUS_INVALID_DEVICE_STATE), the slots are kept for the next flush, which
    /// <see cref="Dispose"/> makes on the Stop thread; another error drops them (the KMD refused them).
    /// </summary>
    /// <returns>The OS's status (STATUS_SUCCESS when there was nothing to send).</returns>
    public int FlushReleases()
    {
        // A copy of its own per call: the Stop thread may flush while a late chunk reader does.
        Span<int> slots = stackalloc int[MaxSlotsPerFlush];
        int count;
        lock (_gate)
        {
            count = Math.Min(_released.Count, MaxSlotsPerFlush);
            if (count == 0)
            {
                return 0;
            }

            for (int i = 0; i < count; i++)
            {
                slots[i] = _released[i];
            }

            _released.RemoveRange(0, count);
        }

        int status = _kernel.ReleaseSlots(slots[..count]);
        if (status == STATUS.STATUS_INVALID_DEVICE_STATE)
        {
            lock (_gate)
            {
                for (int i = count - 1; i >= 0; i--)
                {
                    _released.Insert(0, slots[i]);
                }
            }
        }

        return status;
    }

    /// <summary>
    /// Gives back what is still pending (on the Stop thread, where the OS processes the call) and
    /// unmaps the store. Nothing may read it afterwards (the chunk reader has stopped).
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _ = FlushReleases();
        _disposed = true;
        _handle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
