using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Miraflow.Rtsp.Messages;

/// <summary>
/// A forward-only writer over an <see cref="IBufferWriter{T}"/> or a fixed span (house rule 9;
/// the shape of aspnetcore's <c>BufferWriter&lt;T&gt;</c>): it caches the current span, the
/// fast paths are inlined, refilling is out of line, and <see cref="Commit"/> advances the
/// underlying writer. ASCII strings are narrowed straight into the output, with no
/// intermediate byte array. Callers validate their strings first: a non-ASCII char is a bug here.
/// </summary>
internal ref struct RtspBufferWriter
{
    private readonly IBufferWriter<byte>? _output;
    private Span<byte> _span;
    private int _buffered;

    /// <summary>Writes to <paramref name="output"/>, asking for <paramref name="sizeHint"/> bytes up front.</summary>
    public RtspBufferWriter(IBufferWriter<byte> output, int sizeHint)
    {
        _output = output;
        _span = output.GetSpan(sizeHint);
        _buffered = 0;
    }

    /// <summary>Writes into <paramref name="destination"/>, which must be large enough.</summary>
    public RtspBufferWriter(Span<byte> destination)
    {
        _output = null;
        _span = destination;
        _buffered = 0;
    }

    /// <summary>Bytes written since the last <see cref="Commit"/> (or since creation).</summary>
    public readonly int Buffered => _buffered;

    /// <summary>Advances the underlying writer past what was written.</summary>
    public void Commit()
    {
        if (_output is not null && _buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
            _span = default;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(scoped ReadOnlySpan<byte> source)
    {
        if (_span.Length >= source.Length)
        {
            source.CopyTo(_span);
            Advance(source.Length);
        }
        else
        {
            WriteMultiBuffer(source);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteCrLf()
    {
        if (_span.Length >= 2)
        {
            _span[0] = (byte)'\r';
            _span[1] = (byte)'\n';
            Advance(2);
        }
        else
        {
            WriteMultiBuffer("\r\n"u8);
        }
    }

    /// <summary>Writes <paramref name="text"/>, which holds only ASCII chars, one byte per char.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteAscii(string text)
    {
        if (_span.Length >= text.Length)
        {
            Ascii.FromUtf16(text, _span, out int written);
            Advance(written);
        }
        else
        {
            WriteAsciiMultiBuffer(text);
        }
    }

    /// <summary>Writes a non-negative number in decimal.</summary>
    public void WriteNumber(int value)
    {
        Span<byte> digits = stackalloc byte[11];
        value.TryFormat(digits, out int written, default, CultureInfo.InvariantCulture);
        Write(digits[..written]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Advance(int count)
    {
        _buffered += count;
        _span = _span[count..];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteMultiBuffer(scoped ReadOnlySpan<byte> source)
    {
        while (!source.IsEmpty)
        {
            if (_span.IsEmpty)
            {
                EnsureMore();
            }

            int count = Math.Min(_span.Length, source.Length);
            source[..count].CopyTo(_span);
            Advance(count);
            source = source[count..];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteAsciiMultiBuffer(string text)
    {
        ReadOnlySpan<char> source = text;
        while (!source.IsEmpty)
        {
            if (_span.IsEmpty)
            {
                EnsureMore();
            }

            int count = Math.Min(_span.Length, source.Length);
            Ascii.FromUtf16(source[..count], _span, out int written);
            Advance(written);
            source = source[count..];
        }
    }

    /// <summary>Commits what is buffered and gets a fresh span from the underlying writer.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void EnsureMore()
    {
        if (_output is null)
        {
            throw new InvalidOperationException("The destination span is too small.");
        }

        Commit();
        _span = _output.GetSpan();
        if (_span.IsEmpty)
        {
            throw new InvalidOperationException("The buffer writer returned an empty span.");
        }
    }
}
