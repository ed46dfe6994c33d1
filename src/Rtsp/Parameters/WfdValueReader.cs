using System.Globalization;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// Reads the fields of one parameter value (protocol doc §2.1): fields separated by one or more
/// spaces or tabs, list entries by a comma with optional spaces around it. Fixed-width hex fields
/// are parsed case-insensitively and must have exactly their width. Every failure is a
/// <see cref="WfdParameterException"/> naming the parameter.
/// </summary>
internal ref struct WfdValueReader
{
    private readonly string _name;
    private ReadOnlySpan<char> _rest;

    public WfdValueReader(ReadOnlySpan<char> value, string name)
    {
        _rest = value;
        _name = name;
    }

    /// <summary>True when only spaces remain.</summary>
    public bool IsAtEnd
    {
        get
        {
            SkipSpaces();
            return _rest.IsEmpty;
        }
    }

    /// <summary>The unread text, spaces skipped.</summary>
    public ReadOnlySpan<char> Remaining
    {
        get
        {
            SkipSpaces();
            return _rest;
        }
    }

    public static bool IsSpace(char c) => c is ' ' or '\t';

    /// <summary>
    /// The next field: text up to a space (or a comma, when <paramref name="stopAtComma"/>).
    /// Throws when none is left.
    /// </summary>
    public ReadOnlySpan<char> ReadToken(string field, bool stopAtComma = true)
    {
        SkipSpaces();
        int end = 0;
        while (end < _rest.Length && !IsSpace(_rest[end]) && !(stopAtComma && _rest[end] == ','))
        {
            end++;
        }

        if (end == 0)
        {
            WfdThrow.Error(WfdParameterError.InvalidValue, _name, string.Concat("missing field ", field, "."));
        }

        ReadOnlySpan<char> token = _rest[..end];
        _rest = _rest[end..];
        return token;
    }

    /// <summary>Consumes a list separator (<c>,</c> with optional spaces around it) when one follows.</summary>
    public bool TryReadComma()
    {
        SkipSpaces();
        if (!_rest.IsEmpty && _rest[0] == ',')
        {
            _rest = _rest[1..];
            SkipSpaces();
            if (_rest.IsEmpty)
            {
                WfdThrow.Error(WfdParameterError.InvalidValue, _name, "a list ends with a comma.");
            }

            return true;
        }

        return false;
    }

    /// <summary>Throws unless only spaces remain.</summary>
    public void ExpectEnd()
    {
        if (!IsAtEnd)
        {
            WfdThrow.Error(WfdParameterError.InvalidValue, _name, "unexpected text after the value.");
        }
    }

    /// <summary>
    /// The next field up to a space (commas included), which must be visible ASCII
    /// (<c>!</c> to <c>~</c>): profile strings, URLs, EDID hex.
    /// </summary>
    public ReadOnlySpan<char> ReadWord(string field)
    {
        ReadOnlySpan<char> token = ReadToken(field, stopAtComma: false);
        if (token.IndexOfAnyExceptInRange('!', '~') >= 0)
        {
            WfdThrow.Error(WfdParameterError.InvalidCharacter, _name, string.Concat("field ", field, " holds a character that is not visible ASCII."));
        }

        return token;
    }

    /// <summary>The next field, which must equal one of the keywords (case-insensitively); returns its index.</summary>
    public int ReadKeyword(string field, ReadOnlySpan<string> keywords)
    {
        ReadOnlySpan<char> token = ReadToken(field);
        for (int i = 0; i < keywords.Length; i++)
        {
            if (token.Equals(keywords[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return WfdThrow.Error<int>(
            WfdParameterError.InvalidValue,
            _name,
            string.Concat("field ", field, " must be one of: ", string.Join(", ", keywords.ToArray()), "."));
    }

    /// <summary>A value that is exactly one keyword (case-insensitively); returns its index.</summary>
    public static int ParseKeyword(ReadOnlySpan<char> value, string name, string field, ReadOnlySpan<string> keywords)
    {
        var reader = new WfdValueReader(value, name);
        int index = reader.ReadKeyword(field, keywords);
        reader.ExpectEnd();
        return index;
    }

    public byte ReadHex2(string field) => (byte)ReadHex(field, 2);

    public ushort ReadHex4(string field) => (ushort)ReadHex(field, 4);

    public uint ReadHex8(string field) => (uint)ReadHex(field, 8);

    /// <summary><c>none</c> (null) or a 4-digit hex field.</summary>
    public ushort? ReadHex4OrNone(string field)
    {
        ReadOnlySpan<char> token = ReadToken(field);
        return IsNone(token) ? null : (ushort)ParseHex(token, 4, field, _name);
    }

    /// <summary>A hex field of exactly <paramref name="width"/> digits (at most 16).</summary>
    public ulong ReadHex(string field, int width) => ParseHex(ReadToken(field), width, field, _name);

    /// <summary>A decimal number in 0..<paramref name="max"/> (digits only, no sign).</summary>
    public int ReadDecimal(string field, int max) => ParseDecimal(ReadToken(field), max, field, _name);

    public static bool IsNone(ReadOnlySpan<char> token) => token.Equals("none", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses exactly <paramref name="width"/> hex digits, either case.</summary>
    public static ulong ParseHex(ReadOnlySpan<char> token, int width, string field, string name)
    {
        ulong value = 0;
        foreach (char c in token)
        {
            int digit = HexDigit(c);
            if (digit < 0)
            {
                WfdThrow.Error(WfdParameterError.InvalidValue, name, string.Concat("field ", field, " is not hex."));
            }

            value = unchecked((value << 4) | (uint)digit);
        }

        if (token.Length != width)
        {
            WfdThrow.Error(
                WfdParameterError.InvalidFieldWidth,
                name,
                string.Create(CultureInfo.InvariantCulture, $"field {field} has {token.Length} hex digits, expected {width}."));
        }

        return value;
    }

    /// <summary>Parses a decimal number in 0..<paramref name="max"/>.</summary>
    public static int ParseDecimal(ReadOnlySpan<char> token, int max, string field, string name)
    {
        foreach (char c in token)
        {
            if (!char.IsAsciiDigit(c))
            {
                WfdThrow.Error(WfdParameterError.InvalidValue, name, string.Concat("field ", field, " is not a decimal number."));
            }
        }

        if (token.IsEmpty)
        {
            WfdThrow.Error(WfdParameterError.InvalidValue, name, string.Concat("field ", field, " is empty."));
        }

        if (token.Length > 9 || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > max)
        {
            return WfdThrow.Error<int>(
                WfdParameterError.OutOfRange,
                name,
                string.Create(CultureInfo.InvariantCulture, $"field {field} exceeds {max}."));
        }

        return value;
    }

    public static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private void SkipSpaces()
    {
        int i = 0;
        while (i < _rest.Length && IsSpace(_rest[i]))
        {
            i++;
        }

        _rest = _rest[i..];
    }
}
