using System.Buffers;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Chunks;

/// <summary>
/// Turns chunk notifications into whole raw pictures or whole access units, following the
/// chunk identity rules of the contract (§2.10) and the reference kernel-driver protocol
/// (docs/kernel-protocol.md, "Chunk identity and assembly").
/// </summary>
/// <remarks>
/// <para>One frame is assembled at a time. Its parts may come in any order; the frame is
/// complete when part 0 (the last) and parts 1 … PartCount − 1 have all arrived. A chunk of a
/// newer frame drops an incomplete older one; a re-encode of a part replaces it, and a re-encode
/// of a frame already delivered is delivered again. Every drop is reported, so the stream can be
/// repaired with an IDR.</para>
/// <para>Raw parts are copied into a pooled <see cref="VideoFrame"/> as they arrive; bitstream
/// parts are kept in a scratch buffer and joined in part order (1, 2, …, 0) into a pooled
/// <see cref="EncodedFrame"/>. The frame-store slots a frame used are released when the frame
/// is delivered or dropped. Used by one thread (the chunk retrieval thread).</para>
/// </remarks>
public sealed class ChunkAssembler : IDisposable
{
    private readonly MediaClock _clock;
    private readonly IChunkMemory _memory;
    private readonly EncodedFramePool _encodedPool;
    private readonly ulong[] _received = new ulong[ChunkDescriptor.MaxPartCount / 64];
    private readonly (int Start, int Length)[] _parts = new (int, int)[ChunkDescriptor.MaxPartCount];
    private readonly List<int> _slots = new(capacity: 16);
    private VideoFramePool? _picturePool;
    private byte[] _scratch = ArrayPool<byte>.Shared.Rent(256 * 1024);
    private int _scratchLength;
    private bool _active;
    private ulong _frame;
    private ChunkDescriptor _first;
    private int _receivedCount;
    private VideoFrame? _picture;
    private bool _delivered;
    private ulong _lastDelivered;
    private ChunkAssemblerStatistics _stats;

    /// <summary>Creates an assembler reading the frame store <paramref name="memory"/>.</summary>
    public ChunkAssembler(MediaClock clock, IChunkMemory memory, EncodedFramePool? encodedPool = null)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _memory = memory ?? throw new ArgumentNullException(nameof(memory));
        _encodedPool = encodedPool ?? new EncodedFramePool();
    }

    /// <summary>What the assembler has seen and done.</summary>
    public ChunkAssemblerStatistics Statistics => _stats;

    /// <summary>The last error text of a refused chunk, for logs.</summary>
    public string? LastError { get; private set; }

    /// <summary>Handles one chunk: its type and identity (MIRACAST_CHUNK_INFO) and its private data.</summary>
    public void Process<TSink>(ChunkType type, ChunkId id, ReadOnlySpan<byte> privateData, TSink sink)
        where TSink : IAssembledFrameSink
    {
        switch (type)
        {
            case ChunkType.FrameStart:
                _stats.FrameStarts++;
                return;
            case ChunkType.FrameDropped:
                _stats.KernelDrops++;
                if (_active && id.FrameNumber == _frame)
                {
                    Drop(sink, FrameDropReason.KernelDropped);
                }
                else
                {
                    sink.OnDropped(id.FrameNumber, FrameDropReason.KernelDropped);
                }

                return;
            case ChunkType.ColorConvertComplete:
            case ChunkType.EncodeComplete:
                AddPart(type, id, privateData, sink);
                return;
            default:
                _stats.Ignored++;
                return;
        }
    }

    /// <summary>
    /// The chunk queue was reset (STATUS_CONNECTION_RESET): the frame in progress is dropped and
    /// its slots released.
    /// </summary>
    public void Reset<TSink>(TSink sink)
        where TSink : IAssembledFrameSink
    {
        _stats.Resets++;
        if (_active)
        {
            Drop(sink, FrameDropReason.Reset);
        }
    }

    /// <summary>Releases the frame in progress and the scratch buffer.</summary>
    public void Dispose()
    {
        _picture?.Dispose();
        _picture = null;
        ReleaseSlots();
        _active = false;
        byte[] scratch = _scratch;
        _scratch = [];
        if (scratch.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private void AddPart<TSink>(ChunkType type, ChunkId id, ReadOnlySpan<byte> privateData, TSink sink)
        where TSink : IAssembledFrameSink
    {
        KernelMessageError readError = ChunkDescriptor.TryRead(privateData, out ChunkDescriptor part, out string? error);
        if (readError != KernelMessageError.None)
        {
            // Only a descriptor whose header was sound names a slot we can give back.
            Refuse(sink, id, error!, slot: readError == KernelMessageError.BadField && part.Slot >= 0 ? part.Slot : -1);
            return;
        }

        ChunkPayload expected = type == ChunkType.ColorConvertComplete ? ChunkPayload.RawPicture : ChunkPayload.Bitstream;
        if (part.Payload != expected)
        {
            Refuse(sink, id, $"{type} chunk carries {part.Payload}", part.Slot);
            return;
        }

        ulong frame = id.FrameNumber;
        if (_active && frame != _frame)
        {
            if (frame < _frame)
            {
                Refuse(sink, id, $"stale chunk: frame {frame} is older than frame {_frame} in progress", part.Slot, dropFrame: false);
                return;
            }

            Drop(sink, FrameDropReason.Incomplete);
        }

        if (!_active)
        {
            if (_delivered && frame < _lastDelivered)
            {
                Refuse(sink, id, $"stale chunk: frame {frame} is older than frame {_lastDelivered} already delivered", part.Slot, dropFrame: false);
                return;
            }

            if (_delivered && frame == _lastDelivered)
            {
                _stats.Reencodes++;
            }

            Start(frame, part);
        }

        TrackSlot(part.Slot);
        if (id.PartNumber >= (uint)_first.PartCount || !SameFrameShape(part))
        {
            Refuse(sink, id, $"part {id.PartNumber} does not fit frame {frame} ({_first.PartCount} parts, {_first.Width}×{_first.Height} {_first.Payload})", -1);
            return;
        }

        if (!_memory.TryGetBytes(part.Slot, part.Offset, part.Length, out ReadOnlySpan<byte> bytes))
        {
            Refuse(sink, id, $"slot {part.Slot} bytes {part.Offset}+{part.Length} lie outside the frame store", -1);
            return;
        }

        if (part.Payload == ChunkPayload.RawPicture)
        {
            CopyRows(part, bytes);
        }
        else
        {
            KeepBitstream((int)id.PartNumber, bytes);
            if (part.IsIdr)
            {
                _first = _first with { IsIdr = true };
            }
        }

        int index = (int)id.PartNumber;
        ref ulong word = ref _received[index >> 6];
        ulong bit = 1UL << (index & 63);
        if ((word & bit) != 0)
        {
            _stats.ReplacedParts++;
        }
        else
        {
            word |= bit;
            _receivedCount++;
        }

        if (_receivedCount == _first.PartCount)
        {
            Deliver(sink);
        }
    }

    private void Start(ulong frame, ChunkDescriptor first)
    {
        _active = true;
        _frame = frame;
        _first = first;
        _receivedCount = 0;
        _scratchLength = 0;
        Array.Clear(_received);
        if (first.Payload == ChunkPayload.RawPicture)
        {
            VideoFramePool? pool = _picturePool;
            if (pool is null || pool.Width != first.Width || pool.Height != first.Height || pool.Format != first.PixelFormat)
            {
                _picturePool = pool = new VideoFramePool(first.Width, first.Height, first.PixelFormat);
            }

            _picture = pool.Rent();
        }
    }

    private bool SameFrameShape(ChunkDescriptor part) =>
        part.Payload == _first.Payload && part.Width == _first.Width && part.Height == _first.Height &&
        part.PartCount == _first.PartCount && (part.Payload == ChunkPayload.Bitstream || part.PixelFormat == _first.PixelFormat);

    private void CopyRows(ChunkDescriptor part, ReadOnlySpan<byte> slot)
    {
        VideoFrame picture = _picture!;
        int chromaRowBytes = picture.Format == PixelFormat.I420 ? part.Width / 2 : part.Width;
        int lumaPlane = part.LumaStride * part.Height;
        int chromaPlane = part.ChromaStride * (part.Height / 2);
        for (int row = part.FirstRow; row < part.FirstRow + part.RowCount; row++)
        {
            slot.Slice(row * part.LumaStride, part.Width).CopyTo(picture.Y.Slice(row * picture.LumaStride));
        }

        for (int row = part.FirstRow / 2; row < (part.FirstRow + part.RowCount) / 2; row++)
        {
            slot.Slice(lumaPlane + (row * part.ChromaStride), chromaRowBytes).CopyTo(picture.U.Slice(row * picture.ChromaStride));
            if (picture.Format == PixelFormat.I420)
            {
                slot.Slice(lumaPlane + chromaPlane + (row * part.ChromaStride), chromaRowBytes).CopyTo(picture.V.Slice(row * picture.ChromaStride));
            }
        }
    }

    private void KeepBitstream(int part, ReadOnlySpan<byte> bytes)
    {
        if (_scratchLength + bytes.Length > _scratch.Length)
        {
            if ((long)_scratchLength + bytes.Length > EncodedFrame.MaxSize)
            {
                throw new InvalidDataException($"An access unit is limited to {EncodedFrame.MaxSize} bytes.");
            }

            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(_scratchLength + bytes.Length, _scratch.Length * 2));
            _scratch.AsSpan(0, _scratchLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = larger;
        }

        bytes.CopyTo(_scratch.AsSpan(_scratchLength));
        _parts[part] = (_scratchLength, bytes.Length);
        _scratchLength += bytes.Length;
    }

    private void Deliver<TSink>(TSink sink)
        where TSink : IAssembledFrameSink
    {
        MediaTime captured = _clock.FromTimestamp(_first.CaptureTimestamp);
        if (_first.Payload == ChunkPayload.RawPicture)
        {
            VideoFrame picture = _picture!;
            _picture = null;
            picture.CaptureTime = captured;
            picture.FrameNumber = _frame;
            picture.PartNumber = 0;
            Finish();
            _stats.Pictures++;
            sink.OnPicture(picture);
            return;
        }

        EncodedFrame unit = _encodedPool.Rent();
        for (int part = 1; part < _first.PartCount; part++)
        {
            unit.Write(_scratch.AsSpan(_parts[part].Start, _parts[part].Length));
        }

        unit.Write(_scratch.AsSpan(_parts[0].Start, _parts[0].Length));
        unit.IsIdr = _first.IsIdr;
        unit.CaptureTime = captured;
        unit.FrameNumber = _frame;
        Finish();
        _stats.AccessUnits++;
        sink.OnAccessUnit(unit);
    }

    private void Finish()
    {
        _delivered = true;
        _lastDelivered = _frame;
        _active = false;
        ReleaseSlots();
    }

    private void Drop<TSink>(TSink sink, FrameDropReason reason)
        where TSink : IAssembledFrameSink
    {
        ulong frame = _frame;
        _picture?.Dispose();
        _picture = null;
        _active = false;
        ReleaseSlots();
        _stats.Dropped++;
        sink.OnDropped(frame, reason);
    }

    private void Refuse<TSink>(TSink sink, ChunkId id, string error, int slot, bool dropFrame = true)
        where TSink : IAssembledFrameSink
    {
        _stats.InvalidChunks++;
        LastError = $"{id}: {error}";
        if (slot >= 0 && !_slots.Contains(slot))
        {
            _memory.Release(slot);
        }

        if (!dropFrame)
        {
            return;
        }

        if (_active && _frame == id.FrameNumber)
        {
            Drop(sink, FrameDropReason.InvalidChunk);
        }
        else
        {
            _stats.Dropped++;
            sink.OnDropped(id.FrameNumber, FrameDropReason.InvalidChunk);
        }
    }

    private void TrackSlot(int slot)
    {
        if (!_slots.Contains(slot))
        {
            _slots.Add(slot);
        }
    }

    private void ReleaseSlots()
    {
        foreach (int slot in _slots)
        {
            _memory.Release(slot);
        }

        _slots.Clear();
    }
}

/// <summary>Counts of a <see cref="ChunkAssembler"/>'s work.</summary>
public record struct ChunkAssemblerStatistics
{
    /// <summary>FRAME_START notifications.</summary>
    public long FrameStarts { get; set; }

    /// <summary>Raw pictures delivered.</summary>
    public long Pictures { get; set; }

    /// <summary>Access units delivered.</summary>
    public long AccessUnits { get; set; }

    /// <summary>Frames dropped, for any reason.</summary>
    public long Dropped { get; set; }

    /// <summary>FRAME_DROPPED notifications from the kernel driver.</summary>
    public long KernelDrops { get; set; }

    /// <summary>Chunks refused as malformed, inconsistent or stale.</summary>
    public long InvalidChunks { get; set; }

    /// <summary>Parts that replaced an earlier copy (re-encodes before delivery).</summary>
    public long ReplacedParts { get; set; }

    /// <summary>Frames assembled again after delivery (re-encodes of an unchanged image).</summary>
    public long Reencodes { get; set; }

    /// <summary>Chunk queue resets.</summary>
    public long Resets { get; set; }

    /// <summary>Chunks of other types (driver-defined, unknown), ignored.</summary>
    public long Ignored { get; set; }
}
