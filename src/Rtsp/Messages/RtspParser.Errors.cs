using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Miraflow.Rtsp.Messages;

// Out-of-line throw helpers (Kestrel's KestrelBadHttpRequestException.Throw): the hot methods
// stay small, and only the error path formats text.
public static partial class RtspParser
{
    /// <summary>At most this many bytes of the offending text go into an exception message.</summary>
    private const int MaxExcerptBytes = 64;

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowParseError(RtspParseError error, string what, ReadOnlySpan<byte> excerpt) =>
        throw new RtspParseException(error, string.Concat(what, ": \"", Describe(excerpt), "\"."));

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowInvalidCharacter(string where, ReadOnlySpan<byte> excerpt) =>
        throw new RtspParseException(RtspParseError.InvalidCharacter, string.Concat("A control character in the ", where, ": \"", Describe(excerpt), "\"."));

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStartLineTooLong(int max) =>
        throw new RtspParseException(RtspParseError.StartLineTooLong, string.Create(CultureInfo.InvariantCulture, $"The start line is longer than {max} bytes."));

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowHeadersTooLarge(int max) =>
        throw new RtspParseException(RtspParseError.HeadersTooLarge, string.Create(CultureInfo.InvariantCulture, $"The header block is larger than {max} bytes."));

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooManyHeaders(int max) =>
        throw new RtspParseException(RtspParseError.TooManyHeaders, string.Create(CultureInfo.InvariantCulture, $"More than {max} header lines."));

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowBodyTooLarge(ReadOnlySpan<byte> value, int max) =>
        throw new RtspParseException(RtspParseError.BodyTooLarge, string.Create(CultureInfo.InvariantCulture, $"Content-Length \"{Describe(value)}\" is larger than {max}."));

    /// <summary>Printable ASCII as is, anything else as <c>\xNN</c>, cut at <see cref="MaxExcerptBytes"/>.</summary>
    private static string Describe(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(MaxExcerptBytes + 8);
        int count = Math.Min(bytes.Length, MaxExcerptBytes);
        for (int i = 0; i < count; i++)
        {
            byte b = bytes[i];
            if (b is >= 0x20 and < 0x7F)
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{b:X2}");
            }
        }

        if (bytes.Length > count)
        {
            text.Append("...");
        }

        return text.ToString();
    }
}
