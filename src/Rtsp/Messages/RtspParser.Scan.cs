using System.Buffers;
using System.Globalization;
using System.Text;

namespace Miraflow.Rtsp.Messages;

// Pass 1: validate and measure one message without allocating.
public static partial class RtspParser
{
    /// <summary>
    /// CTL bytes except HT (RFC 2326 §15.1 CTL = %x00-1F / %x7F). In the start line and the headers
    /// CR LF or LF ends a line; any other of these, a bare CR included, is invalid.
    /// </summary>
    private static readonly SearchValues<byte> s_controlBytes = SearchValues.Create(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0A\x0B\x0C\x0D\x0E\x0F\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C\x1D\x1E\x1F\x7F"u8);

    /// <summary>
    /// RFC 2326 §15.1 token characters: CHAR except CTLs and tspecials
    /// (<c>( ) &lt; &gt; @ , ; : \ " / [ ] ? = { }</c>, SP, HT).
    /// </summary>
    private static readonly SearchValues<byte> s_tokenBytes = SearchValues.Create(
        "!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~"u8);

    /// <summary>Visible ASCII, %x21-7E: header name characters (the colon is never part of a name).</summary>
    private static readonly SearchValues<byte> s_visibleBytes = SearchValues.Create(
        "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    /// <summary>DIGIT.</summary>
    private static readonly SearchValues<byte> s_digitBytes = SearchValues.Create("0123456789"u8);

    private static bool TryScan(ReadOnlySpan<byte> input, RtspLimits limits, out MessageLayout layout, out ParseProgress progress)
    {
        layout = default;
        int maxBlock = limits.MaxHeaderBytes;

        // gap: line ends (and stray blanks) between messages. They count toward the header block
        // here because they stay unconsumed until the message is whole.
        int start = GetGapLength(input);
        if (start == input.Length)
        {
            if (input.Length >= maxBlock)
            {
                ThrowHeadersTooLarge(maxBlock);
            }

            progress = new ParseProgress(input.Length + 1, waitsForLineEnd: false);
            return false;
        }

        // start-line: its LF must come within MaxStartLineLength + 2 bytes (the line, CR, LF).
        // Rejected as soon as more bytes than that are present without an LF, so a peer cannot
        // make us wait for (and buffer) an endless line. The window never reaches past the header
        // block limit either, so whole and piecewise input meet the same bytes in the same order.
        int maxLine = limits.MaxStartLineLength;
        int windowEnd = (int)Math.Min(Math.Min((long)start + maxLine + 2, input.Length), maxBlock);
        if (windowEnd == (long)start + maxLine + 2 && input[start + maxLine] != ByteCR)
        {
            // Byte MaxStartLineLength + 1 is not a CR, so the line is already too long: the byte
            // after it is not looked at, as it is not when the bytes arrive one by one (found by
            // the fuzzer: a control byte there made whole input InvalidCharacter instead).
            windowEnd--;
        }

        int lf = FindLineEnd(input, start, windowEnd, "start line");
        if (lf < 0)
        {
            int examined = windowEnd - start;
            bool crPending = examined > 0 && input[windowEnd - 1] == ByteCR;
            if (examined > maxLine && !(examined == maxLine + 1 && crPending))
            {
                ThrowStartLineTooLong(maxLine);
            }

            if (input.Length >= maxBlock)
            {
                ThrowHeadersTooLarge(maxBlock);
            }

            // Until a limit can trip, only a control byte (LF, a CR's successor, NUL...) changes the answer.
            progress = crPending
                ? new ParseProgress(input.Length + 1, waitsForLineEnd: true)
                : new ParseProgress((int)Math.Min((long)start + maxLine + 1, maxBlock), waitsForLineEnd: true);
            return false;
        }

        int lineLength = input[lf - 1] == ByteCR ? lf - 1 - start : lf - start;
        if (lineLength > maxLine)
        {
            ThrowStartLineTooLong(maxLine);
        }

        ScanStartLine(input.Slice(start, lineLength), start, ref layout);

        int pos = lf + 1;
        layout.HeadersStart = pos;
        int headerCount = 0;
        int contentLength = -1;
        bool haveHeader = false;
        bool lastWasContentLength = false;

        // header-line / fold-line, up to the empty line. The LF that ends the block must lie
        // within the first MaxHeaderBytes bytes, so the search never looks further.
        while (true)
        {
            windowEnd = Math.Min(input.Length, maxBlock);
            int lineLf = FindLineEnd(input, pos, windowEnd, "header line");
            if (lineLf < 0)
            {
                if (input.Length >= maxBlock)
                {
                    ThrowHeadersTooLarge(maxBlock);
                }

                // Until the header block limit trips, only a control byte changes the answer.
                progress = windowEnd > pos && input[windowEnd - 1] == ByteCR
                    ? new ParseProgress(input.Length + 1, waitsForLineEnd: true)
                    : new ParseProgress(maxBlock, waitsForLineEnd: true);
                return false;
            }

            ReadOnlySpan<byte> line = input[pos..lineLf];
            pos = lineLf + 1;
            if (!line.IsEmpty && line[^1] == ByteCR)
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                break;
            }

            if (line[0] is ByteSpace or ByteTab)
            {
                // fold-line (RFC 7230 §3.2.4 obs-fold): continues the previous value.
                if (!haveHeader)
                {
                    ThrowParseError(RtspParseError.InvalidHeaderLine, "A folded header line follows the start line", line);
                }

                if (lastWasContentLength && !line.Trim(WhitespaceBytes).IsEmpty)
                {
                    ThrowParseError(RtspParseError.InvalidContentLength, "Content-Length is folded over several lines", line);
                }

                continue;
            }

            if (++headerCount > limits.MaxHeaderCount)
            {
                ThrowTooManyHeaders(limits.MaxHeaderCount);
            }

            int colon = line.IndexOf(ByteColon);
            if (colon < 0)
            {
                ThrowParseError(RtspParseError.InvalidHeaderLine, "A header line has no colon", line);
            }

            ReadOnlySpan<byte> name = line[..colon].TrimEnd(WhitespaceBytes);
            if (name.IsEmpty)
            {
                ThrowParseError(RtspParseError.InvalidHeaderLine, "A header name is empty", line);
            }

            if (name.IndexOfAnyExcept(s_visibleBytes) >= 0)
            {
                ThrowParseError(RtspParseError.InvalidHeaderLine, "A header name contains white space or a non-ASCII byte", line);
            }

            haveHeader = true;
            lastWasContentLength = Ascii.EqualsIgnoreCase(name, "Content-Length"u8);
            if (lastWasContentLength)
            {
                contentLength = ParseContentLength(line[(colon + 1)..].Trim(WhitespaceBytes), contentLength, limits.MaxBodyLength);
            }
        }

        layout.BodyStart = pos;
        layout.BodyLength = contentLength < 0 ? 0 : contentLength;

        // pos <= MaxHeaderBytes and BodyLength <= MaxBodyLength, both ints: no overflow in long.
        long end = (long)pos + layout.BodyLength;
        if (input.Length < end)
        {
            progress = new ParseProgress((int)end, waitsForLineEnd: false);
            return false;
        }

        progress = default;
        return true;
    }

    /// <summary>
    /// Finds the LF that ends the line starting at <paramref name="pos"/>, looking no further than
    /// <paramref name="windowEnd"/>, and returns its index, or -1 when the bytes examined hold no
    /// line end (a CR as the last byte examined may still get its LF). Any control byte before the
    /// line end, a CR not followed by LF included, is <see cref="RtspParseError.InvalidCharacter"/>
    /// at once, complete line or not, so the outcome never depends on how the bytes arrive.
    /// </summary>
    private static int FindLineEnd(ReadOnlySpan<byte> input, int pos, int windowEnd, string where)
    {
        if (pos >= windowEnd)
        {
            return -1;
        }

        ReadOnlySpan<byte> window = input[pos..windowEnd];
        int index = window.IndexOfAny(s_controlBytes);
        if (index < 0)
        {
            return -1;
        }

        byte found = window[index];
        if (found == ByteLF)
        {
            return pos + index;
        }

        if (found == ByteCR)
        {
            if (index + 1 == window.Length)
            {
                return -1;
            }

            if (window[index + 1] == ByteLF)
            {
                return pos + index + 1;
            }
        }

        ThrowInvalidCharacter(where, window[..(index + 1)]);
        return -1;
    }

    /// <summary>
    /// Splits and checks the start line (without its line end; it starts with a non-blank byte).
    /// Offsets stored in <paramref name="layout"/> are relative to the parser input, hence
    /// <paramref name="offset"/>.
    /// </summary>
    private static void ScanStartLine(ReadOnlySpan<byte> line, int offset, ref MessageLayout layout)
    {
        ReadOnlySpan<byte> original = line;
        line = line.TrimEnd(WhitespaceBytes);

        int firstEnd = IndexOfWhitespace(line, 0);
        ReadOnlySpan<byte> first = line[..firstEnd];
        int secondStart = SkipWhitespace(line, firstEnd);
        layout.FirstStart = offset;
        layout.FirstLength = firstEnd;

        if (first.Contains(ByteSlash))
        {
            // status-line = version 1*WS status-code [ 1*WS reason-phrase ]
            layout.IsRequest = false;
            if (!IsVersion(first))
            {
                ThrowParseError(RtspParseError.InvalidVersion, "The version is not RTSP/digit.digit", original);
            }

            if (secondStart == line.Length)
            {
                ThrowParseError(RtspParseError.InvalidStartLine, "The status line has no status code", original);
            }

            int secondEnd = IndexOfWhitespace(line, secondStart);
            ReadOnlySpan<byte> code = line[secondStart..secondEnd];
            if (code.Length != 3 || code.IndexOfAnyExcept(s_digitBytes) >= 0)
            {
                ThrowParseError(RtspParseError.InvalidStatusCode, "The status code is not three digits", original);
            }

            int statusCode = ((code[0] - '0') * 100) + ((code[1] - '0') * 10) + (code[2] - '0');
            if (statusCode is < 100 or > 699)
            {
                ThrowParseError(RtspParseError.InvalidStatusCode, "The status code is outside 100-699", original);
            }

            int reasonStart = SkipWhitespace(line, secondEnd);
            layout.SecondStart = offset + secondStart;
            layout.SecondLength = code.Length;
            layout.ThirdStart = offset + reasonStart;
            layout.ThirdLength = line.Length - reasonStart;
            layout.StatusCode = statusCode;
            return;
        }

        // request-line = method 1*WS request-uri 1*WS version
        layout.IsRequest = true;
        if (first.IndexOfAnyExcept(s_tokenBytes) >= 0)
        {
            ThrowParseError(RtspParseError.InvalidMethod, "The method is not an RTSP token", original);
        }

        if (secondStart == line.Length)
        {
            ThrowParseError(RtspParseError.InvalidStartLine, "The request line has no URI", original);
        }

        int uriEnd = IndexOfWhitespace(line, secondStart);
        int versionStart = SkipWhitespace(line, uriEnd);
        if (versionStart == line.Length)
        {
            ThrowParseError(RtspParseError.InvalidStartLine, "The request line has no version", original);
        }

        if (IndexOfWhitespace(line, versionStart) != line.Length)
        {
            ThrowParseError(RtspParseError.InvalidStartLine, "The request line has more than three parts", original);
        }

        if (!IsVersion(line[versionStart..]))
        {
            ThrowParseError(RtspParseError.InvalidVersion, "The version is not RTSP/digit.digit", original);
        }

        layout.SecondStart = offset + secondStart;
        layout.SecondLength = uriEnd - secondStart;
        layout.ThirdStart = offset + versionStart;
        layout.ThirdLength = line.Length - versionStart;
    }

    /// <summary>version = "RTSP/" DIGIT "." DIGIT (RFC 2326 §3.1, one digit each as WFD uses it).</summary>
    private static bool IsVersion(ReadOnlySpan<byte> token) =>
        token.Length == 8
        && token.StartsWith("RTSP/"u8)
        && char.IsAsciiDigit((char)token[5])
        && token[6] == (byte)'.'
        && char.IsAsciiDigit((char)token[7]);

    /// <summary>
    /// Content-Length = 1*DIGIT (RFC 2326 §12.14). Checked before anything is allocated:
    /// a sign, a blank inside, hex or an empty value is <see cref="RtspParseError.InvalidContentLength"/>;
    /// digits beyond <paramref name="maxBodyLength"/> (overflowing ones included) are
    /// <see cref="RtspParseError.BodyTooLarge"/>; a second value different from the first is
    /// <see cref="RtspParseError.InvalidContentLength"/>.
    /// </summary>
    private static int ParseContentLength(ReadOnlySpan<byte> value, int previous, int maxBodyLength)
    {
        if (value.IsEmpty || value.IndexOfAnyExcept(s_digitBytes) >= 0)
        {
            ThrowParseError(RtspParseError.InvalidContentLength, "Content-Length is not a decimal number", value);
        }

        ReadOnlySpan<byte> significant = value.TrimStart((byte)'0');
        int length = 0;
        if (!significant.IsEmpty
            && (significant.Length > 10
                || !int.TryParse(significant, NumberStyles.None, CultureInfo.InvariantCulture, out length)))
        {
            ThrowBodyTooLarge(value, maxBodyLength);
        }

        if (length > maxBodyLength)
        {
            ThrowBodyTooLarge(value, maxBodyLength);
        }

        if (previous >= 0 && previous != length)
        {
            ThrowParseError(RtspParseError.InvalidContentLength, "Two Content-Length headers disagree", value);
        }

        return length;
    }

    /// <summary>Index of the first SP/HT at or after <paramref name="from"/>, or the length.</summary>
    private static int IndexOfWhitespace(ReadOnlySpan<byte> line, int from)
    {
        int index = line[from..].IndexOfAny(ByteSpace, ByteTab);
        return index < 0 ? line.Length : from + index;
    }

    /// <summary>Index of the first byte at or after <paramref name="from"/> that is not SP/HT, or the length.</summary>
    private static int SkipWhitespace(ReadOnlySpan<byte> line, int from)
    {
        int index = line[from..].IndexOfAnyExcept(ByteSpace, ByteTab);
        return index < 0 ? line.Length : from + index;
    }
}
