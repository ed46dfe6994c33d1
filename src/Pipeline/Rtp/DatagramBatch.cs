using System.Buffers;
using System.Runtime.CompilerServices;

namespace Miraflow.Pipeline.Rtp;

/// <summary>
/// The RTP datagrams of one media unit (an access unit or an audio frame), laid out back to
/// back in one pooled buffer, ready to be sent as one batch.
/// </summary>
/// <remarks>
/// <code>
///   buffer: | datagram 0 | datagram 1 | ... | datagram n-1 |   (each ≤ MaxDatagramSize)
///   ends:   | end 0      | end 1      | ... | end n-1      |   (exclusive offsets)
/// </code>
/// The packetizer writes datagrams in place (no copy on the way to the socket); the sender
/// reads them back either one by one or, where the kernel offers segmentation offload, as runs
/// of equal-sized datagrams in one system call. A batch has one owner at a time; it is reused
/// after <see cref="Clear"/>, so in steady state it allocates nothing. Storage comes from
/// <see cref="ArrayPool{T}.Shared"/> and goes back on <see cref="Dispose"/>.
/// </remarks>
public sealed class DatagramBatch : IDisposable
{
    /// <summary>The largest datagram a batch holds: an Ethernet MTU minus IPv4 and UDP headers.</summary>
    public const int MaxDatagramSize = 1472;

    /// <summary>The largest batch, in bytes: far above any real access unit, a bound on bad input.</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    private byte[] _buffer;
    private int[] _ends;
    private int _count;
    private int _length;
    private int _open = -1;

    /// <summary>Creates an empty batch with room for <paramref name="initialBytes"/> bytes.</summary>
    public DatagramBatch(int initialBytes = 64 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialBytes, MaxBytes);
        _buffer = ArrayPool<byte>.Shared.Rent(initialBytes);
        _ends = ArrayPool<int>.Shared.Rent(Math.Max(16, initialBytes / 1024));
    }

    /// <summary>The number of complete datagrams.</summary>
    public int Count => _count;

    /// <summary>The total size of the complete datagrams, in bytes.</summary>
    public int Length => _length;

    /// <summary>The complete datagrams, back to back.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer.AsSpan(0, _length);

    /// <summary>The complete datagrams, back to back, as memory (for asynchronous sends).</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>Datagram <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            (int start, int length) = GetRange(index);
            return _buffer.AsSpan(start, length);
        }
    }

    /// <summary>Where datagram <paramref name="index"/> lies in <see cref="Bytes"/>.</summary>
    public (int Offset, int Length) GetRange(int index)
    {
        if (unchecked((uint)index) >= (uint)_count)
        {
            ThrowIndex(index);
        }

        int start = index == 0 ? 0 : _ends[index - 1];
        return (start, _ends[index] - start);
    }

    /// <summary>
    /// Opens a datagram of at most <paramref name="maxSize"/> bytes and returns its space;
    /// <see cref="CommitDatagram"/> closes it with its real size. The space stays valid until
    /// the next call that opens a datagram.
    /// </summary>
    /// <exception cref="InvalidOperationException">A datagram is already open.</exception>
    /// <exception cref="InvalidDataException">The batch would exceed <see cref="MaxBytes"/>.</exception>
    public Span<byte> BeginDatagram(int maxSize = MaxDatagramSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxSize, MaxDatagramSize);
        if (_open >= 0)
        {
            throw new InvalidOperationException("A datagram is already open in this batch.");
        }

        EnsureCapacity(maxSize);
        _open = maxSize;
        return _buffer.AsSpan(_length, maxSize);
    }

    /// <summary>The space of the open datagram (the same as <see cref="BeginDatagram"/> returned).</summary>
    public Span<byte> OpenDatagram
    {
        get
        {
            if (_open < 0)
            {
                throw new InvalidOperationException("No datagram is open in this batch.");
            }

            return _buffer.AsSpan(_length, _open);
        }
    }

    /// <summary>Closes the open datagram with <paramref name="size"/> bytes written.</summary>
    public void CommitDatagram(int size)
    {
        if (_open < 0)
        {
            throw new InvalidOperationException("No datagram is open in this batch.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, _open);
        _length += size;
        _ends[_count++] = _length;
        _open = -1;
    }

    /// <summary>Appends a copy of <paramref name="datagram"/> (for tests and tools; the packetizer writes in place).</summary>
    public void Add(ReadOnlySpan<byte> datagram)
    {
        datagram.CopyTo(BeginDatagram(datagram.Length));
        CommitDatagram(datagram.Length);
    }

    /// <summary>Empties the batch, keeping its storage.</summary>
    public void Clear()
    {
        _count = 0;
        _length = 0;
        _open = -1;
    }

    /// <summary>Returns the storage to the pool; the batch must not be used afterwards.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        int[] ends = _ends;
        _buffer = [];
        _ends = [];
        _count = 0;
        _length = 0;
        _open = -1;
        if (buffer.Length != 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<int>.Shared.Return(ends);
        }
    }

    private void EnsureCapacity(int maxSize)
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_length + maxSize > _buffer.Length)
        {
            GrowBuffer(_length + maxSize);
        }

        if (_count == _ends.Length)
        {
            GrowEnds();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowBuffer(int needed)
    {
        if (needed > MaxBytes)
        {
            throw new InvalidDataException($"A datagram batch is limited to {MaxBytes} bytes; this media unit needs more.");
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxBytes, Math.Max(needed, _buffer.Length * 2)));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowEnds()
    {
        int[] larger = ArrayPool<int>.Shared.Rent(_ends.Length * 2);
        _ends.AsSpan(0, _count).CopyTo(larger);
        ArrayPool<int>.Shared.Return(_ends);
        _ends = larger;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowIndex(int index) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"The batch holds {_count} datagrams.");
}
