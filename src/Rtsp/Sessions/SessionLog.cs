using Microsoft.Extensions.Logging;
using Miraflow.Rtsp.Messages;
using Miraflow.Rtsp.Negotiation;

namespace Miraflow.Rtsp.Sessions;

/// <summary>Source-generated log messages of the session state machines (no formatting cost when disabled).</summary>
internal static partial class SessionLog
{
    [LoggerMessage(1, LogLevel.Debug, "sent {Label}: {Message}")]
    public static partial void SentRequest(ILogger logger, string label, RtspMessage message);

    [LoggerMessage(2, LogLevel.Debug, "answered {Request} with {Status}")]
    public static partial void Answered(ILogger logger, RtspMessage request, int status);

    [LoggerMessage(3, LogLevel.Debug, "response CSeq {Got} matches nothing; taking it as the answer to {Label} (CSeq {Expected})")]
    public static partial void CSeqMismatch(ILogger logger, int? got, string label, int expected);

    [LoggerMessage(4, LogLevel.Information, "session ended: {Detail}")]
    public static partial void Stopped(ILogger logger, string detail);

    [LoggerMessage(5, LogLevel.Warning, "session ended ({Reason}): {Detail}")]
    public static partial void Ended(ILogger logger, SessionEndReason reason, string detail);

    [LoggerMessage(6, LogLevel.Information, "no M2 from the sink within {Fallback}; sending M3 anyway")]
    public static partial void M2FallbackElapsed(ILogger logger, TimeSpan fallback);

    [LoggerMessage(7, LogLevel.Warning, "the peer did not act on our {Trigger} trigger within {Timeout}")]
    public static partial void TriggerNotActedOn(ILogger logger, string trigger, TimeSpan timeout);

    [LoggerMessage(8, LogLevel.Warning, "ignored a response that answers no request of ours: {Response}")]
    public static partial void UnmatchedResponse(ILogger logger, RtspMessage response);

    [LoggerMessage(9, LogLevel.Warning, "the peer refused {Request} with {Status}")]
    public static partial void Refused(ILogger logger, string request, int status);

    [LoggerMessage(10, LogLevel.Information, "the sink's M1 answer does not list org.wfa.wfd1.0 (Public: '{Public}'); continuing")]
    public static partial void PublicWithoutWfd(ILogger logger, string @public);

    [LoggerMessage(11, LogLevel.Information, "M3: {Reason}")]
    public static partial void Negotiated(ILogger logger, string reason);

    [LoggerMessage(12, LogLevel.Information, "{Why}; retrying M4 with {Format}")]
    public static partial void RetryingFormat(ILogger logger, string why, NegotiatedFormat format);

    [LoggerMessage(13, LogLevel.Warning, "no answer to {Request} (CSeq {CSeq}) in time; the session stays up")]
    public static partial void LateAnswer(ILogger logger, string request, int cseq);

    [LoggerMessage(14, LogLevel.Warning, "the source's M4 asks for a format we do not support; answering 303")]
    public static partial void FormatRejected(ILogger logger);

    [LoggerMessage(15, LogLevel.Information, "the source controls the session only at its aggregate URL (460 for {Request}); sending it again to {Url}")]
    public static partial void RetryingOnAggregateUrl(ILogger logger, string request, string url);
}
