using System.Buffers;
using System.Globalization;
using System.Text;

namespace Miraflow.Rtsp.Messages;

// Pass 1: validate and measure one message without allocating.
public static partial class RtspParser
{
    /// <summary>CTL bytes except HT (RFC 2326 §15.1 CTL = %x00-1F / %x7F); a lone CR is one of them.</summary>
    private static readonly SearchValues<byte> s_controlBytes = SearchValues.Create(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0A\x0B\x0C\x0D\x0E\x0F\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1A\x1B\x1C\x1D\x1E\x1F\x7F"u8);

    /// <summary>
    /// RFC 2326 §15.1 token characters: CHAR except CTLs and tspecials
    /// (<c>( ) &lt; &gt; @ , ; : \ " / [ ] ? = { }</c>, SP, HT).
    /// </summary>
    private static readonly SearchValues<byte> s_tokenBytes = SearchValues.Create(
        "!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~"u8);

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

            progress = new ParseProgress(input.Length + 1, lineEndNeeded: false);
            return false;
        }

        // start-line: its LF must come within MaxStartLineLength + 2 bytes (the line, CR, LF).
        // Rejected as soon as more bytes than that are present without an LF, so a peer cannot
        // make us wait for (and buffer) an endless line.
        ReadOnlySpan<byte> rest = input[start..];
        int maxLine = limits.MaxStartLineLength;
        int window = (int)Math.Min((long)maxLine + 2, rest.Length);
        int lf = rest[..window].IndexOf(ByteLF);
        if (lf < 0)
        {
            bool onlyCrPending = rest.Length == maxLine + 1 && rest[maxLine] == ByteCR;
            if (rest.Length > maxLine && !onlyCrPending)
            {
                ThrowStartLineTooLong(maxLine);
            }

            if (input.Length >= maxBlock)
            {
                ThrowHeadersTooLarge(maxBlock);
            }

            // Bytes without an LF change nothing until a limit can trip.
            progress = new ParseProgress((int)Math.Min(Math.Max((long)start + maxLine + 1, input.Length + 1), maxBlock), lineEndNeeded: true);
            return false;
        }

        int lineLength = lf > 0 && rest[lf - 1] == ByteCR ? lf - 1 : lf;
        if (lineLength > maxLine)
        {
            ThrowStartLineTooLong(maxLine);
        }

        ScanStartLine(rest[..lineLength], start, ref layout);

        int pos = start + lf + 1;
        layout.HeadersStart = pos;
        int headerCount = 0;
        int contentLength = -1;
        bool haveHeader = false;
        bool lastWasContentLength = false;

        // header-line / fold-line, up to the empty line. The LF that ends the block must lie
        // within the first MaxHeaderBytes bytes, so the search never looks further.
        while (true)
        {
            int searchEnd = Math.Min(input.Length, maxBlock);
            int lineLf = pos < searchEnd ? input[pos..searchEnd].IndexOf(ByteLF) : -1;
            if (lineLf < 0)
            {
                if (input.Length >= maxBlock)
                {
                    ThrowHeadersTooLarge(maxBlock);
                }

                // Bytes without an LF change nothing until the header block limit trips.
                progress = new ParseProgress(maxBlock, lineEndNeeded: true);
                return false;
            }

            ReadOnlySpan<byte> line = input.Slice(pos, lineLf);
            pos += lineLf + 1;
            if (!line.IsEmpty && line[^1] == ByteCR)
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                break;
            }

            if (line.IndexOfAny(s_controlBytes) >= 0)
            {
                ThrowInvalidCharacter("header line", line);
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

            if (name.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0)
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
            progress = new ParseProgress((int)end, lineEndNeeded: false);
            return false;
        }

        progress = default;
        return true;
    }

    /// <summary>
    /// Splits and checks the start line (without its line end; it starts with a non-blank byte).
    /// Offsets stored in <paramref name="layout"/> are relative to the parser input, hence
    /// <paramref name="offset"/>.
    /// </summary>
    private static void ScanStartLine(ReadOnlySpan<byte> line, int offset, ref MessageLayout layout)
    {
        if (line.IndexOfAny(s_controlBytes) >= 0)
        {
            ThrowInvalidCharacter("start line", line);
        }

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
            if (code.Length != 3 || code.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
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
        if (value.IsEmpty || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
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
