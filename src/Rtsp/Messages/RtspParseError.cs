namespace Miraflow.Rtsp.Messages;

/// <summary>Why a byte stream was rejected as RTSP. Each value names one rule in <see cref="RtspParser"/>.</summary>
public enum RtspParseError
{
    /// <summary>No error.</summary>
    None = 0,
    /// <summary>The start line is longer than <see cref="RtspLimits.MaxStartLineLength"/>.</summary>
    StartLineTooLong,
    /// <summary>The start line is neither <c>METHOD URI RTSP/x.y</c> nor <c>RTSP/x.y CODE reason</c>.</summary>
    InvalidStartLine,
    /// <summary>The method is not an RTSP token.</summary>
    InvalidMethod,
    /// <summary>The protocol version is not <c>RTSP/digit.digit</c>.</summary>
    InvalidVersion,
    /// <summary>The status code is not three digits in 100–699.</summary>
    InvalidStatusCode,
    /// <summary>A header line has no colon, an empty name, or a name with characters outside tokens.</summary>
    InvalidHeaderLine,
    /// <summary>More header lines than <see cref="RtspLimits.MaxHeaderCount"/>.</summary>
    TooManyHeaders,
    /// <summary>The header block is larger than <see cref="RtspLimits.MaxHeaderBytes"/>.</summary>
    HeadersTooLarge,
    /// <summary>A control character (NUL, bare CR, …) in the start line or the headers.</summary>
    InvalidCharacter,
    /// <summary><c>Content-Length</c> is not a non-negative decimal, or two of them disagree.</summary>
    InvalidContentLength,
    /// <summary><c>Content-Length</c> is larger than <see cref="RtspLimits.MaxBodyLength"/>.</summary>
    BodyTooLarge,
    /// <summary>A message did not complete within <see cref="RtspLimits.MessageTimeout"/>.</summary>
    MessageTimeout,
    /// <summary>The stream ended in the middle of a message.</summary>
    UnexpectedEndOfStream,
}
