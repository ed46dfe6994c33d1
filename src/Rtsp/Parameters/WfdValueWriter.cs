using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// Writes canonical parameter text into an <see cref="IBufferWriter{T}"/> without allocating
/// (house rule 9): caches the span from <c>GetSpan</c>, inlined fast path, non-inlined refill.
/// Call <see cref="Commit"/> when done.
/// </summary>
internal ref struct WfdValueWriter
{
    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    public WfdValueWriter(IBufferWriter<byte> output)
    {
        _output = output;
        _span = default;
        _buffered = 0;
    }

    /// <summary>Advances the output past everything written so far.</summary>
    public void Commit()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = default;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Ensure(bytes.Length));
        _buffered += bytes.Length;
    }

    public void Write(byte value)
    {
        Ensure(1)[0] = value;
        _buffered++;
    }

    /// <summary>Writes text (ASCII in practice; anything else as UTF-8).</summary>
    public void Write(ReadOnlySpan<char> text)
    {
        // Ensure may flush and reset _buffered, so it must run before _buffered is read.
        Span<byte> span = Ensure(Encoding.UTF8.GetByteCount(text));
        int written = Encoding.UTF8.GetBytes(text, span);
        _buffered += written;
    }

    /// <summary>Lower-case hex, zero-padded to exactly <paramref name="width"/> digits (1–16).</summary>
    public void WriteHex(ulong value, int width)
    {
        Span<byte> span = Ensure(width);
        if (!Utf8Formatter.TryFormat(value, span, out int written, new StandardFormat('x', (byte)width)) || written != width)
        {
            ThrowTooWide(width);
        }

        _buffered += written;
    }

    /// <summary>Each byte as two lower-case hex digits.</summary>
    public void WriteHexBytes(ReadOnlySpan<byte> bytes)
    {
        Span<byte> span = Ensure(bytes.Length * 2);
        for (int i = 0; i < bytes.Length; i++)
        {
            span[2 * i] = HexDigits[bytes[i] >> 4];
            span[(2 * i) + 1] = HexDigits[bytes[i] & 0xF];
        }

        _buffered += bytes.Length * 2;
    }

    public void WriteDecimal(int value)
    {
        Span<byte> span = Ensure(11);
        _ = Utf8Formatter.TryFormat(value, span, out int written);
        _buffered += written;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Ensure(int count)
    {
        if (_span.Length - _buffered < count)
        {
            EnsureMore(count);
        }

        return _span[_buffered..];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnsureMore(int count)
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = _output.GetSpan(count);
    }

    private static void ThrowTooWide(int width) =>
        throw new ArgumentOutOfRangeException(nameof(width), width, "The value does not fit the hex field width.");
}
