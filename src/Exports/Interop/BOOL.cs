namespace Miraflow.Exports.Interop;

/// <summary>
/// Win32 <c>BOOL</c> (minwindef.h, <c>typedef int BOOL</c>): a 4-byte truth value where any
/// non-zero value is true. Never C# <see cref="bool"/> in a native signature: with runtime
/// marshalling disabled, <see cref="bool"/> is a 1-byte value. In the Miracast contract it is
/// the <c>HardwareAccess</c> argument of <c>MiracastIoControl</c>.
/// </summary>
/// <remarks>
/// The TerraFX shape. The conversion to <see cref="bool"/> and <c>operator true</c> follow C
/// (non-zero is true); equality compares the stored <see cref="Value"/>, so <c>(BOOL)2 != TRUE</c>
/// although both are true: test truth with <c>if (b)</c>, not <c>b == TRUE</c>.
/// </remarks>
public readonly partial struct BOOL : IComparable, IComparable<BOOL>, IEquatable<BOOL>, IFormattable
{
    /// <summary>The raw value.</summary>
    public readonly int Value;

    /// <summary>Wraps a raw value.</summary>
    public BOOL(int value)
    {
        Value = value;
    }

    /// <summary><c>FALSE</c> (0).</summary>
    public static BOOL FALSE => new(0);

    /// <summary><c>TRUE</c> (1).</summary>
    public static BOOL TRUE => new(1);

    /// <summary>Whether the raw values are equal.</summary>
    public static bool operator ==(BOOL left, BOOL right) => left.Value == right.Value;

    /// <summary>Whether the raw values differ.</summary>
    public static bool operator !=(BOOL left, BOOL right) => left.Value != right.Value;

    /// <summary>Compares the raw values.</summary>
    public static bool operator <(BOOL left, BOOL right) => left.Value < right.Value;

    /// <summary>Compares the raw values.</summary>
    public static bool operator <=(BOOL left, BOOL right) => left.Value <= right.Value;

    /// <summary>Compares the raw values.</summary>
    public static bool operator >(BOOL left, BOOL right) => left.Value > right.Value;

    /// <summary>Compares the raw values.</summary>
    public static bool operator >=(BOOL left, BOOL right) => left.Value >= right.Value;

    /// <summary><see langword="true"/> is <see cref="TRUE"/> (1), <see langword="false"/> is <see cref="FALSE"/> (0).</summary>
    public static implicit operator BOOL(bool value) => new(value ? 1 : 0);

    /// <summary>C truth: any non-zero value is <see langword="true"/>.</summary>
    public static implicit operator bool(BOOL value) => value.Value != 0;

    /// <summary>Wraps a raw value.</summary>
    public static implicit operator BOOL(int value) => new(value);

    /// <summary>The raw value.</summary>
    public static implicit operator int(BOOL value) => value.Value;

    /// <summary>C truth: zero is false.</summary>
    public static bool operator false(BOOL value) => value.Value == 0;

    /// <summary>C truth: any non-zero value is true.</summary>
    public static bool operator true(BOOL value) => value.Value != 0;

    /// <inheritdoc/>
    public int CompareTo(object? obj)
    {
        if (obj is BOOL other)
        {
            return CompareTo(other);
        }

        return obj is null ? 1 : throw new ArgumentException("obj is not an instance of BOOL.", nameof(obj));
    }

    /// <inheritdoc/>
    public int CompareTo(BOOL other) => Value.CompareTo(other.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BOOL other && Equals(other);

    /// <inheritdoc/>
    public bool Equals(BOOL other) => Value.Equals(other.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>The raw value in decimal.</summary>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);
}
