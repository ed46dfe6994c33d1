using System.Buffers;
using System.Collections;
using System.Text;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// A <c>text/parameters</c> body: ordered lines, names compared case-insensitively (protocol doc
/// §1.8). Every line is kept as text, so vendor and unknown parameters survive untouched; typed
/// values are parsed on demand with <see cref="Get{T}"/>/<see cref="TryGet{T}"/>, so one malformed
/// parameter never hides the others.
/// </summary>
/// <remarks>
/// A value stored with <see cref="Set{T}"/> is kept typed and written by its
/// <see cref="IWfdParameterValue.WriteValue"/> at <see cref="WriteTo"/> time, so writing a body
/// allocates nothing beyond the output. Name-only parameters (<see cref="IWfdParameter{TSelf}.IsNameOnly"/>,
/// e.g. <see cref="WfdIdrRequest"/>) are written as the name alone.
/// </remarks>
public sealed class WfdParameterSet : IEnumerable<WfdParameter>
{
    /// <summary>Longest line accepted by <see cref="Parse"/>.</summary>
    public const int MaxLineLength = 4096;

    /// <summary>Most lines accepted by <see cref="Parse"/>.</summary>
    public const int MaxLines = 256;

    private const byte ByteCR = (byte)'\r';
    private const byte ByteLF = (byte)'\n';

    private readonly List<Entry> _entries = [];

    /// <summary>The number of lines.</summary>
    public int Count => _entries.Count;

    /// <summary>The raw value of <paramref name="name"/> (null when absent or a name-only line).</summary>
    public string? this[string name] => Find(name)?.GetText();

    /// <summary>
    /// Parses a body: lines end in CRLF or LF (the last may have none); <c>name: value</c> or a
    /// name alone; blank lines are skipped. Throws <see cref="WfdParameterException"/> for
    /// control bytes, over-long bodies and lines without a name.
    /// </summary>
    public static WfdParameterSet Parse(ReadOnlySpan<byte> body)
    {
        var set = new WfdParameterSet();
        int lines = 0;
        while (!body.IsEmpty)
        {
            int lf = body.IndexOf(ByteLF);
            ReadOnlySpan<byte> line = lf < 0 ? body : body[..lf];
            body = lf < 0 ? default : body[(lf + 1)..];
            if (!line.IsEmpty && line[^1] == ByteCR)
            {
                line = line[..^1];
            }

            if (++lines > MaxLines)
            {
                WfdThrow.Error(WfdParameterError.TooLarge, null, $"more than {MaxLines} lines.");
            }

            if (line.Length > MaxLineLength)
            {
                WfdThrow.Error(WfdParameterError.TooLarge, null, $"a line is longer than {MaxLineLength} bytes.");
            }

            if (line.IndexOfAnyExceptInRange((byte)' ', (byte)'~') >= 0 && HasControl(line))
            {
                WfdThrow.Error(WfdParameterError.InvalidCharacter, null, "a line holds a control or non-ASCII byte.");
            }

            line = line.Trim(" \t"u8);
            if (line.IsEmpty)
            {
                continue;
            }

            int colon = line.IndexOf((byte)':');
            ReadOnlySpan<byte> name = (colon < 0 ? line : line[..colon]).TrimEnd(" \t"u8);
            if (!IsToken(name))
            {
                WfdThrow.Error(WfdParameterError.InvalidName, null, "a line has an empty or invalid parameter name.");
            }

            string? value = colon < 0 ? null : Encoding.ASCII.GetString(line[(colon + 1)..].Trim(" \t"u8));
            set._entries.Add(new Entry(Encoding.ASCII.GetString(name), value));
        }

        return set;
    }

    /// <summary>True when a line named <paramref name="name"/> exists.</summary>
    public bool Contains(string name) => Find(name) is not null;

    /// <summary>Adds or replaces the line <paramref name="name"/> (a null value writes the name alone).</summary>
    public void SetRaw(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Replace(new Entry(name, value));
    }

    /// <summary>Adds or replaces the typed value's line.</summary>
    public void Set<T>(T value)
        where T : IWfdParameter<T>
    {
        ArgumentNullException.ThrowIfNull(value);
        Replace(new Entry(T.Name, value, T.IsNameOnly));
    }

    /// <summary>Removes every line named <paramref name="name"/>; false when there was none.</summary>
    public bool Remove(string name) =>
        _entries.RemoveAll(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)) > 0;

    /// <summary>The typed value, or default when the parameter is absent. Throws <see cref="WfdParameterException"/> when malformed.</summary>
    public T? Get<T>()
        where T : class, IWfdParameter<T>
    {
        Entry? entry = Find(T.Name);
        if (entry is null)
        {
            return default;
        }

        if (entry.Typed is T typed)
        {
            return typed;
        }

        try
        {
            return T.Parse((entry.GetText() ?? string.Empty).AsSpan());
        }
        catch (WfdParameterException ex) when (ex.ParameterName is null)
        {
            throw WfdThrow.Create(ex.Error, T.Name, ex.Message);
        }
    }

    /// <summary>The typed value; false with the error when malformed; false with a null error when absent.</summary>
    public bool TryGet<T>(out T? value, out WfdParameterException? error)
        where T : class, IWfdParameter<T>
    {
        try
        {
            value = Get<T>();
            error = null;
            return value is not null;
        }
        catch (WfdParameterException ex)
        {
            value = null;
            error = ex;
            return false;
        }
    }

    /// <summary>Writes every line as <c>name: value\r\n</c> (or <c>name\r\n</c>).</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        for (int i = 0; i < _entries.Count; i++)
        {
            Entry entry = _entries[i];
            var writer = new WfdValueWriter(output);
            writer.Write(entry.Name);
            if (entry.Typed is { } typed)
            {
                if (!entry.NameOnly)
                {
                    writer.Write(": "u8);
                    writer.Commit();
                    typed.WriteValue(output);
                    writer = new WfdValueWriter(output);
                }
            }
            else if (entry.Raw is not null)
            {
                writer.Write(": "u8);
                writer.Write(entry.Raw);
            }

            writer.Write("\r\n"u8);
            writer.Commit();
        }
    }

    /// <summary>The body as bytes.</summary>
    public byte[] ToArray()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The lines in order; typed values appear as their canonical text.</summary>
    public IEnumerator<WfdParameter> GetEnumerator()
    {
        for (int i = 0; i < _entries.Count; i++)
        {
            yield return new WfdParameter(_entries[i].Name, _entries[i].GetText());
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The body as text (CRLF line ends).</summary>
    public override string ToString() => Encoding.ASCII.GetString(ToArray());

    private static bool HasControl(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
        {
            if (b != (byte)'\t' && (b < 0x20 || b > 0x7E))
            {
                return true;
            }
        }

        return false;
    }

    // RFC 7230 tchar: visible ASCII except separators.
    private static bool IsToken(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return false;
        }

        foreach (byte b in name)
        {
            bool ok = char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private Entry? Find(string name)
    {
        foreach (Entry entry in _entries)
        {
            if (string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return entry;
            }
        }

        return null;
    }

    private void Replace(Entry entry)
    {
        int first = _entries.FindIndex(e => string.Equals(e.Name, entry.Name, StringComparison.OrdinalIgnoreCase));
        if (first < 0)
        {
            _entries.Add(entry);
            return;
        }

        _entries[first] = entry;
        for (int i = _entries.Count - 1; i > first; i--)
        {
            if (string.Equals(_entries[i].Name, entry.Name, StringComparison.OrdinalIgnoreCase))
            {
                _entries.RemoveAt(i);
            }
        }
    }

    /// <summary>One line: raw text (<see cref="Raw"/>, null for a name alone) or a typed value.</summary>
    private sealed class Entry
    {
        private string? _text;

        public Entry(string name, string? raw)
        {
            Name = name;
            Raw = raw;
        }

        public Entry(string name, IWfdParameterValue typed, bool nameOnly)
        {
            Name = name;
            Typed = typed;
            NameOnly = nameOnly;
        }

        public string Name { get; }

        public string? Raw { get; }

        public IWfdParameterValue? Typed { get; }

        public bool NameOnly { get; }

        /// <summary>The value text: the raw text, or the typed value's canonical text (null for a name alone).</summary>
        public string? GetText()
        {
            if (Typed is null || NameOnly)
            {
                return Raw;
            }

            if (_text is null)
            {
                var buffer = new ArrayBufferWriter<byte>(64);
                Typed.WriteValue(buffer);
                _text = Encoding.ASCII.GetString(buffer.WrittenSpan);
            }

            return _text;
        }
    }
}
