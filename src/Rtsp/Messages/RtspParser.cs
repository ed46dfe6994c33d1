using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Miraflow.Rtsp.Messages;

/// <summary>
/// Incremental RTSP/1.0 message parser over a <see cref="SequenceReader{T}"/> (house rule 6; the
/// shape of Kestrel's <c>HttpParser</c>).
/// </summary>
/// <remarks>
/// <para>What is accepted (RFC 2326 §4, §6, §7; RFC 7230 §3 for the tolerant parts):</para>
/// <code>
/// message        = *gap start-line *( header-line / fold-line ) eol [ body ]
/// gap            = SP / HT / CR / LF                  ; skipped in front of a message
/// start-line     = request-line / status-line
/// request-line   = method 1*WS request-uri 1*WS version *WS eol
/// status-line    = version 1*WS status-code [ 1*WS reason-phrase ] *WS eol
/// method         = token                              ; RFC 2326 §15.1 token, case-sensitive
/// request-uri    = 1*( %x21-7E / %x80-FF )            ; any URI, "*" included (doc §1.10)
/// version        = "RTSP/" DIGIT "." DIGIT            ; a first token with "/" is a version
/// status-code    = 3DIGIT                             ; 100-699
/// reason-phrase  = *( WS / %x21-7E / %x80-FF )
/// header-line    = name *WS ":" *WS value *WS eol     ; name in any case
/// name           = 1*( %x21-7E except ":" )           ; "\Public" is a name (lazycast)
/// value          = *( WS / %x21-7E / %x80-FF )        ; kept verbatim, quotes included
/// fold-line      = 1*WS value *WS eol                 ; obsolete folding: joins the previous value with one SP
/// eol            = [ CR ] LF                          ; bare LF accepted (GND splits on LF)
/// WS             = SP / HT
/// body           = Content-Length OCTETs              ; opaque, no final CRLF required
/// </code>
/// <para>
/// Limits (<see cref="RtspLimits"/>) are checked on the bytes present before anything is
/// allocated: a start line with no line end within <see cref="RtspLimits.MaxStartLineLength"/>
/// bytes, a header block that cannot end within <see cref="RtspLimits.MaxHeaderBytes"/> bytes,
/// header line number <see cref="RtspLimits.MaxHeaderCount"/> + 1, and a <c>Content-Length</c>
/// over <see cref="RtspLimits.MaxBodyLength"/> are rejected even while the message is incomplete.
/// Control bytes other than HT (NUL, a bare CR, DEL, ...) in the start line or the headers are
/// <see cref="RtspParseError.InvalidCharacter"/> as soon as they arrive, complete line or not. <c>Content-Length</c> is 1*DIGIT (no sign, no
/// space inside, no hex); equal duplicates are accepted, different ones are not, and a folded
/// <c>Content-Length</c> is rejected. No <c>Content-Length</c> means no body.
/// </para>
/// <para>
/// Parsing runs in two passes over contiguous bytes: <c>Scan</c> validates and measures the
/// message without allocating; only when the whole message is present does <c>Build</c> create
/// the strings and copy the body. A message spread over several segments is first copied to a
/// pooled buffer of at most <see cref="RtspLimits.MaxHeaderBytes"/> +
/// <see cref="RtspLimits.MaxBodyLength"/> bytes.
/// </para>
/// </remarks>
public static partial class RtspParser
{
    private const byte ByteCR = (byte)'\r';
    private const byte ByteLF = (byte)'\n';
    private const byte ByteSpace = (byte)' ';
    private const byte ByteTab = (byte)'\t';
    private const byte ByteColon = (byte)':';
    private const byte ByteSlash = (byte)'/';

    /// <summary>SP / HT / CR / LF: what may stand between two messages.</summary>
    private static ReadOnlySpan<byte> GapBytes => " \t\r\n"u8;

    /// <summary>SP / HT.</summary>
    private static ReadOnlySpan<byte> WhitespaceBytes => " \t"u8;

    /// <summary>
    /// Parses one whole message from <paramref name="reader"/>. Returns false when more bytes are
    /// needed (the reader is then left where it was); true with the message when a whole message
    /// was read (the reader is advanced past it and past any line ends in front of it). Malformed
    /// input throws <see cref="RtspParseException"/>, and nothing else; a limit is enforced as soon
    /// as the bytes present break it, even when the message is not complete.
    /// </summary>
    public static bool TryParseMessage(ref SequenceReader<byte> reader, RtspLimits limits, [NotNullWhen(true)] out RtspMessage? message)
    {
        ArgumentNullException.ThrowIfNull(limits);

        ReadOnlySpan<byte> unread = reader.UnreadSpan;
        if (unread.Length == reader.Remaining)
        {
            if (!TryParse(unread, limits, out message, out int consumed, out _))
            {
                return false;
            }

            reader.Advance(consumed);
            return true;
        }

        return TryParseMultiSegment(ref reader, limits, out message);
    }

    /// <summary>
    /// The contiguous core: parses one message from the start of <paramref name="input"/>.
    /// <paramref name="consumed"/> includes the gap in front of the message. When it returns false,
    /// <paramref name="progress"/> says when trying again with more bytes can give another outcome.
    /// </summary>
    internal static bool TryParse(ReadOnlySpan<byte> input, RtspLimits limits, [NotNullWhen(true)] out RtspMessage? message, out int consumed, out ParseProgress progress)
    {
        if (!TryScan(input, limits, out MessageLayout layout, out progress))
        {
            message = null;
            consumed = 0;
            return false;
        }

        message = Build(input, in layout);
        consumed = layout.MessageEnd;
        return true;
    }

    /// <summary>The number of bytes at the start of <paramref name="input"/> that are only a gap (SP, HT, CR, LF) between messages.</summary>
    internal static int GetGapLength(ReadOnlySpan<byte> input)
    {
        int index = input.IndexOfAnyExcept(GapBytes);
        return index < 0 ? input.Length : index;
    }

    private static bool TryParseMultiSegment(ref SequenceReader<byte> reader, RtspLimits limits, [NotNullWhen(true)] out RtspMessage? message)
    {
        // Any acceptable message, gap included, fits in MaxHeaderBytes + MaxBodyLength bytes, so a
        // copy of that many bytes either holds the whole message or already breaks a limit: the
        // copy is bounded by the limits, never by what the peer sent.
        long cap = Math.Min((long)limits.MaxHeaderBytes + limits.MaxBodyLength, Array.MaxLength);
        int length = (int)Math.Min(reader.Remaining, cap);
        byte[] rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Span<byte> copy = rented.AsSpan(0, length);
            reader.TryCopyTo(copy);
            if (!TryParse(copy, limits, out message, out int consumed, out _))
            {
                return false;
            }

            reader.Advance(consumed);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// When an incomplete input is worth parsing again (the decoder's "examined" position, as
    /// Kestrel's <c>AdvanceTo(consumed, examined)</c>): once it is at least
    /// <see cref="BytesNeeded"/> long, or, when <see cref="WaitsForLineEnd"/>, as soon as a
    /// control byte (an LF, or a byte that makes a CR bare) arrives. Appending other bytes before
    /// that cannot change the outcome.
    /// </summary>
    internal readonly struct ParseProgress(int bytesNeeded, bool waitsForLineEnd)
    {
        public int BytesNeeded { get; } = bytesNeeded;

        public bool WaitsForLineEnd { get; } = waitsForLineEnd;

        /// <summary>Whether <paramref name="appended"/>, bringing the input to <paramref name="length"/> bytes, may change the outcome.</summary>
        public bool IsWorthRetrying(int length, ReadOnlySpan<byte> appended) =>
            length >= BytesNeeded || (WaitsForLineEnd && appended.IndexOfAny(s_controlBytes) >= 0);
    }

    /// <summary>
    /// Where the parts of one message are, as offsets into the parser's input. Filled by
    /// <c>Scan</c>, read by <c>Build</c>.
    /// </summary>
    private struct MessageLayout
    {
        /// <summary>True for a request line, false for a status line.</summary>
        public bool IsRequest;

        /// <summary>Request: method. Response: version.</summary>
        public int FirstStart;
        public int FirstLength;

        /// <summary>Request: URI. Response: status code.</summary>
        public int SecondStart;
        public int SecondLength;

        /// <summary>Request: version. Response: reason phrase (possibly empty).</summary>
        public int ThirdStart;
        public int ThirdLength;

        /// <summary>The response status code.</summary>
        public int StatusCode;

        /// <summary>First byte after the start line's LF.</summary>
        public int HeadersStart;

        /// <summary>First byte after the empty line's LF.</summary>
        public int BodyStart;

        /// <summary>The <c>Content-Length</c> (0 when absent).</summary>
        public int BodyLength;

        /// <summary>First byte after the message.</summary>
        public readonly int MessageEnd => BodyStart + BodyLength;
    }
}
