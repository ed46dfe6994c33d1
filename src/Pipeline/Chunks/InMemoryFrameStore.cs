namespace Miraflow.Pipeline.Chunks;

/// <summary>
/// A frame store in this process's memory: the simulator's kernel-driver emulator writes
/// pictures and bitstreams into its slots, the driver reads them through
/// <see cref="IChunkMemory"/> and releases them. Thread-safe.
/// </summary>
public sealed class InMemoryFrameStore : IChunkMemory
{
    private readonly byte[][] _slots;
    private readonly bool[] _held;
    private readonly Lock _gate = new();

    /// <summary>Creates a store of <paramref name="slotCount"/> slots of <paramref name="slotSize"/> bytes.</summary>
    public InMemoryFrameStore(int slotCount, int slotSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slotSize);
        _slots = new byte[slotCount][];
        for (int i = 0; i < slotCount; i++)
        {
            _slots[i] = new byte[slotSize];
        }

        _held = new bool[slotCount];
        SlotSize = slotSize;
    }

    /// <summary>Bytes per slot.</summary>
    public int SlotSize { get; }

    /// <summary>Slots in the store.</summary>
    public int SlotCount => _slots.Length;

    /// <summary>Slots currently handed out and not yet released.</summary>
    public int HeldCount
    {
        get
        {
            lock (_gate)
            {
                return _held.Count(h => h);
            }
        }
    }

    /// <summary>Takes a free slot for writing (the kernel driver's side); false when all are held.</summary>
    public bool TryAcquire(out int slot)
    {
        lock (_gate)
        {
            slot = Array.IndexOf(_held, false);
            if (slot < 0)
            {
                return false;
            }

            _held[slot] = true;
            return true;
        }
    }

    /// <summary>The writable bytes of a slot (the kernel driver's side).</summary>
    public Span<byte> GetWritable(int slot) => _slots[slot];

    /// <summary>Whether a slot is held.</summary>
    public bool IsHeld(int slot)
    {
        lock (_gate)
        {
            return _held[slot];
        }
    }

    /// <inheritdoc/>
    public bool TryGetBytes(int slot, int offset, int length, out ReadOnlySpan<byte> bytes)
    {
        if (unchecked((uint)slot) >= (uint)_slots.Length || offset < 0 || length < 0 || (long)offset + length > SlotSize)
        {
            bytes = default;
            return false;
        }

        bytes = _slots[slot].AsSpan(offset, length);
        return true;
    }

    /// <inheritdoc/>
    public void Release(int slot)
    {
        if (unchecked((uint)slot) >= (uint)_slots.Length)
        {
            return;
        }

        lock (_gate)
        {
            _held[slot] = false;
        }
    }
}
