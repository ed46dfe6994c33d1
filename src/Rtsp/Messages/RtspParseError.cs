namespace Miraflow.Rtsp.Messages;

/// <summary>Why a byte stream was rejected as RTSP. Each value names one rule in <see cref="RtspParser"/>.</summary>
public enum RtspParseError
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>The start line is longer than <see cref="RtspLimits.MaxStartLineLength"/>.</summary>
    StartLineTooLong,
    /// <summary>
    /// The start line is neither <c>METHOD URI RTSP/x.y</c> nor <c>RTSP/x.y CODE [reason]</c>: a part
    /// is missing, or a request line has more than three parts.
    /// </summary>
    InvalidStartLine,
    /// <summary>The method is not an RTSP token (RFC 2326 §15.1). Unknown or wrongly-cased tokens are not errors.</summary>
    InvalidMethod,
    /// <summary>
    /// The protocol version is not <c>RTSP/digit.digit</c>. A first token containing <c>/</c> is read
    /// as a version, so <c>HTTP/1.1 200 OK</c> ends here.
    /// </summary>
    InvalidVersion,
    /// <summary>The status code is not three digits in 100–699.</summary>
    InvalidStatusCode,
    /// <summary>
    /// A header line has no colon, an empty name, or a name with a blank or a non-ASCII byte (other
    /// visible ASCII, such as lazycast's <c>\Public</c>, is accepted); or a folded line has no header
    /// before it.
    /// </summary>
    InvalidHeaderLine,
    /// <summary>More header lines than <see cref="RtspLimits.MaxHeaderCount"/>.</summary>
    TooManyHeaders,
    /// <summary>The header block is larger than <see cref="RtspLimits.MaxHeaderBytes"/>.</summary>
    HeadersTooLarge,
    /// <summary>A control character other than HT (NUL, a bare CR, DEL, …) in the start line or the headers.</summary>
    InvalidCharacter,
    /// <summary>
    /// <c>Content-Length</c> is not 1*DIGIT (a sign, hex, blanks inside or an empty value), is folded
    /// over lines, or two of them disagree.
    /// </summary>
    InvalidContentLength,
    /// <summary><c>Content-Length</c> is larger than <see cref="RtspLimits.MaxBodyLength"/> (digits too many for any integer included).</summary>
    BodyTooLarge,
    /// <summary>A message did not complete within <see cref="RtspLimits.MessageTimeout"/>.</summary>
    MessageTimeout,
    /// <summary>The stream ended in the middle of a message.</summary>
    UnexpectedEndOfStream,
}
