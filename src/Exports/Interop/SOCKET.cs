namespace Miraflow.Exports.Interop;

/// <summary>
/// Winsock <c>SOCKET</c> (winsock2.h, <c>typedef UINT_PTR SOCKET</c>): a pointer-sized unsigned
/// socket handle, 4 bytes on x86 and 8 on x64. In the Miracast contract it is the connected RTSP
/// control socket the OS passes to <c>StartMiracastSession</c> and keeps owning.
/// </summary>
/// <remarks>
/// A <see cref="HANDLE"/> clone over <see cref="nuint"/> (TerraFX has no Winsock bindings).
/// Conversions from integers sign- or zero-extend (or truncate on x86) without overflow checks,
/// so <c>(SOCKET)(-1)</c> is <see cref="INVALID_SOCKET"/> in every configuration.
/// </remarks>
public readonly partial struct SOCKET : IComparable, IComparable<SOCKET>, IEquatable<SOCKET>, IFormattable
{
    /// <summary>The raw socket value.</summary>
    public readonly nuint Value;

    /// <summary>Wraps a raw socket value.</summary>
    public SOCKET(nuint value)
    {
        Value = value;
    }

    /// <summary><c>INVALID_SOCKET</c>: all bits set, <c>(SOCKET)(~0)</c>.</summary>
    public static SOCKET INVALID_SOCKET => new(nuint.MaxValue);

    /// <summary>Whether both sockets have the same bits.</summary>
    public static bool operator ==(SOCKET left, SOCKET right) => left.Value == right.Value;

    /// <summary>Whether the sockets differ.</summary>
    public static bool operator !=(SOCKET left, SOCKET right) => left.Value != right.Value;

    /// <summary>Compares the bits as unsigned numbers.</summary>
    public static bool operator <(SOCKET left, SOCKET right) => left.Value < right.Value;

    /// <summary>Compares the bits as unsigned numbers.</summary>
    public static bool operator <=(SOCKET left, SOCKET right) => left.Value <= right.Value;

    /// <summary>Compares the bits as unsigned numbers.</summary>
    public static bool operator >(SOCKET left, SOCKET right) => left.Value > right.Value;

    /// <summary>Compares the bits as unsigned numbers.</summary>
    public static bool operator >=(SOCKET left, SOCKET right) => left.Value >= right.Value;

    /// <summary>Zero-extends a byte into a socket.</summary>
    public static explicit operator SOCKET(byte value) => new(value);

    /// <summary>Sign-extends a signed byte into a socket.</summary>
    public static explicit operator SOCKET(sbyte value) => new(unchecked((nuint)(nint)value));

    /// <summary>Sign-extends a 16-bit integer into a socket.</summary>
    public static explicit operator SOCKET(short value) => new(unchecked((nuint)(nint)value));

    /// <summary>Zero-extends a 16-bit unsigned integer into a socket.</summary>
    public static explicit operator SOCKET(ushort value) => new(value);

    /// <summary>Sign-extends a 32-bit integer into a socket (<c>-1</c> is <see cref="INVALID_SOCKET"/>).</summary>
    public static explicit operator SOCKET(int value) => new(unchecked((nuint)(nint)value));

    /// <summary>Zero-extends a 32-bit unsigned integer into a socket.</summary>
    public static explicit operator SOCKET(uint value) => new(value);

    /// <summary>A 64-bit integer as a socket (truncated to 32 bits on x86).</summary>
    public static explicit operator SOCKET(long value) => new(unchecked((nuint)(nint)value));

    /// <summary>A 64-bit unsigned integer as a socket (truncated to 32 bits on x86).</summary>
    public static explicit operator SOCKET(ulong value) => new(unchecked((nuint)value));

    /// <summary>A native-sized integer as a socket.</summary>
    public static explicit operator SOCKET(nint value) => new(unchecked((nuint)value));

    /// <summary>A native-sized unsigned integer as a socket.</summary>
    public static explicit operator SOCKET(nuint value) => new(value);

    /// <summary>The bits as a native-sized integer (what <c>System.Net.Sockets.SafeSocketHandle</c> takes).</summary>
    public static explicit operator nint(SOCKET value) => unchecked((nint)value.Value);

    /// <summary>The raw socket value.</summary>
    public static implicit operator nuint(SOCKET value) => value.Value;

    /// <inheritdoc/>
    public int CompareTo(object? obj)
    {
        if (obj is SOCKET other)
        {
            return CompareTo(other);
        }

        return obj is null ? 1 : throw new ArgumentException("obj is not an instance of SOCKET.", nameof(obj));
    }

    /// <inheritdoc/>
    public int CompareTo(SOCKET other) => Value.CompareTo(other.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is SOCKET other && Equals(other);

    /// <inheritdoc/>
    public bool Equals(SOCKET other) => Value.Equals(other.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>The bits in hexadecimal, 8 digits on x86 and 16 on x64.</summary>
    public override unsafe string ToString() => Value.ToString(sizeof(nint) == 4 ? "X8" : "X16", System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);
}
