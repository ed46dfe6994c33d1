namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>HANDLE</c> (winnt.h, <c>typedef void *HANDLE</c>): an opaque pointer-sized handle, 4 bytes
/// on x86 and 8 on x64. In the Miracast contract it is the device handle the OS passes to
/// <c>CreateMiracastContext</c> and expects back as the first argument of every callback, and
/// the type of the extra wait events of <c>GetNextChunkData</c>.
/// </summary>
/// <remarks>
/// The TerraFX shape: a readonly struct over a single <c>void*</c>, compared, hashed and
/// formatted through its bits as <see cref="nuint"/>. Conversions from integers sign- or
/// zero-extend (or truncate on x86) without overflow checks, so <c>(HANDLE)(-1)</c> is
/// <see cref="INVALID_VALUE"/> in every configuration.
/// </remarks>
public readonly unsafe partial struct HANDLE : IComparable, IComparable<HANDLE>, IEquatable<HANDLE>, IFormattable
{
    /// <summary>The raw handle value.</summary>
    public readonly void* Value;

    /// <summary>Wraps a raw handle value.</summary>
    public HANDLE(void* value)
    {
        Value = value;
    }

    /// <summary><c>INVALID_HANDLE_VALUE</c>: all bits set, <c>((HANDLE)(LONG_PTR)-1)</c>.</summary>
    public static HANDLE INVALID_VALUE => new(unchecked((void*)(nint)(-1)));

    /// <summary>The null handle.</summary>
    public static HANDLE NULL => new(null);

    /// <summary>Whether both handles have the same bits.</summary>
    public static bool operator ==(HANDLE left, HANDLE right) => left.Value == right.Value;

    /// <summary>Whether the handles differ.</summary>
    public static bool operator !=(HANDLE left, HANDLE right) => left.Value != right.Value;

    /// <summary>Compares the bits as unsigned numbers.</summary>
    public static bool operator <(HANDLE left, HANDLE right) => left.Value < right.Value;

    /// <summary>Compares the bits as unsigned numbers.</summary>
    public static bool operator <=(HANDLE left, HANDLE right) => left.Value <= right.Value;

    /// <summary>Compares the bits as unsigned numbers.</summary>
    public static bool operator >(HANDLE left, HANDLE right) => left.Value > right.Value;

    /// <summary>Compares the bits as unsigned numbers.</summary>
    public static bool operator >=(HANDLE left, HANDLE right) => left.Value >= right.Value;

    /// <summary>Wraps a raw pointer.</summary>
    public static explicit operator HANDLE(void* value) => new(value);

    /// <summary>The raw pointer.</summary>
    public static implicit operator void*(HANDLE value) => value.Value;

    /// <summary>Zero-extends a byte into a handle.</summary>
    public static explicit operator HANDLE(byte value) => new(unchecked((void*)(nuint)value));

    /// <summary>Sign-extends a signed byte into a handle.</summary>
    public static explicit operator HANDLE(sbyte value) => new(unchecked((void*)(nint)value));

    /// <summary>Sign-extends a 16-bit integer into a handle.</summary>
    public static explicit operator HANDLE(short value) => new(unchecked((void*)(nint)value));

    /// <summary>Zero-extends a 16-bit unsigned integer into a handle.</summary>
    public static explicit operator HANDLE(ushort value) => new(unchecked((void*)(nuint)value));

    /// <summary>Sign-extends a 32-bit integer into a handle (<c>-1</c> is <see cref="INVALID_VALUE"/>).</summary>
    public static explicit operator HANDLE(int value) => new(unchecked((void*)(nint)value));

    /// <summary>Zero-extends a 32-bit unsigned integer into a handle.</summary>
    public static explicit operator HANDLE(uint value) => new(unchecked((void*)(nuint)value));

    /// <summary>A 64-bit integer as a handle (truncated to 32 bits on x86).</summary>
    public static explicit operator HANDLE(long value) => new(unchecked((void*)(nint)value));

    /// <summary>A 64-bit unsigned integer as a handle (truncated to 32 bits on x86).</summary>
    public static explicit operator HANDLE(ulong value) => new(unchecked((void*)(nuint)value));

    /// <summary>A native-sized integer as a handle.</summary>
    public static explicit operator HANDLE(nint value) => new(unchecked((void*)value));

    /// <summary>A native-sized unsigned integer as a handle.</summary>
    public static explicit operator HANDLE(nuint value) => new(unchecked((void*)value));

    /// <summary>The bits as a native-sized integer.</summary>
    public static implicit operator nint(HANDLE value) => unchecked((nint)value.Value);

    /// <summary>The bits as a native-sized unsigned integer.</summary>
    public static implicit operator nuint(HANDLE value) => unchecked((nuint)value.Value);

    /// <inheritdoc/>
    public int CompareTo(object? obj)
    {
        if (obj is HANDLE other)
        {
            return CompareTo(other);
        }

        return obj is null ? 1 : throw new ArgumentException("obj is not an instance of HANDLE.", nameof(obj));
    }

    /// <inheritdoc/>
    public int CompareTo(HANDLE other) => ((nuint)Value).CompareTo((nuint)other.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is HANDLE other && Equals(other);

    /// <inheritdoc/>
    public bool Equals(HANDLE other) => ((nuint)Value).Equals((nuint)other.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => ((nuint)Value).GetHashCode();

    /// <summary>The bits in hexadecimal, 8 digits on x86 and 16 on x64.</summary>
    public override string ToString() => ((nuint)Value).ToString(sizeof(nint) == 4 ? "X8" : "X16", System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => ((nuint)Value).ToString(format, formatProvider);
}
