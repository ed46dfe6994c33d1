using System.Buffers;

namespace Miraflow.Rtsp.Messages;

/// <summary>What <see cref="RtspWriter"/> agrees to put on the wire (see its remarks).</summary>
internal static class RtspTextRules
{
    /// <summary>RFC 2326 §15.1 token characters: CHAR except CTLs and tspecials.</summary>
    private static readonly SearchValues<char> s_tokenChars = SearchValues.Create(
        "!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~");

    /// <summary>Printable ASCII and HT: header values and reason phrases (no CR, LF or other CTL).</summary>
    private static readonly SearchValues<char> s_textChars = SearchValues.Create(
        "\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>Visible ASCII, %x21-7E: URIs, versions and header names.</summary>
    private static readonly SearchValues<char> s_visibleChars = SearchValues.Create(
        "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static void CheckMethod(string method)
    {
        if (method.Length == 0 || method.AsSpan().IndexOfAnyExcept(s_tokenChars) >= 0)
        {
            throw new ArgumentException("The method is not an RTSP token.", nameof(method));
        }
    }

    /// <summary>A URI or version: printable ASCII, no blanks.</summary>
    public static void CheckUriOrVersion(string value, string what)
    {
        if (value.Length == 0 || value.AsSpan().IndexOfAnyExcept(s_visibleChars) >= 0)
        {
            throw new ArgumentException(string.Concat("The ", what, " is empty or not printable ASCII without blanks."), nameof(value));
        }
    }

    /// <summary>A header name: printable ASCII without <c>:</c>.</summary>
    public static void CheckHeaderName(string name)
    {
        ReadOnlySpan<char> span = name;
        if (span.IsEmpty || span.IndexOfAnyExcept(s_visibleChars) >= 0 || span.Contains(':'))
        {
            throw new ArgumentException("A header name is empty, contains ':' or is not printable ASCII.", nameof(name));
        }
    }

    /// <summary>A header value or reason phrase: printable ASCII or HT.</summary>
    public static void CheckText(string value, string what)
    {
        if (value.AsSpan().IndexOfAnyExcept(s_textChars) >= 0)
        {
            throw new ArgumentException(string.Concat("A ", what, " contains CR, LF, another control character or non-ASCII text."), nameof(value));
        }
    }
}
