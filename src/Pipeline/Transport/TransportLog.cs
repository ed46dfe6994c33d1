using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Miraflow.Pipeline.Transport;

/// <summary>Source-generated log messages of the UDP and RTCP senders (no formatting cost when disabled).</summary>
internal static partial class TransportLog
{
    [LoggerMessage(300, LogLevel.Warning, "UDP send to {Remote} failed: {Error}; {Suppressed} more failed sends since the last report")]
    public static partial void SendFailed(ILogger logger, IPEndPoint remote, SocketError error, long suppressed);

    [LoggerMessage(301, LogLevel.Information, "UDP to {Remote}: segmentation offload unavailable ({Option}: {Error}); one send per datagram")]
    public static partial void OffloadUnavailable(ILogger logger, IPEndPoint remote, string option, SocketError error);

    [LoggerMessage(302, LogLevel.Warning, "UDP to {Remote}: a segmented send failed with {Error}; segmentation offload ({Option}) is off for this sender from now on")]
    public static partial void OffloadDisabled(ILogger logger, IPEndPoint remote, string option, SocketError error);

    [LoggerMessage(303, LogLevel.Debug, "UDP to {Remote} from {Local}: segmentation offload {Option}, send buffer {SendBuffer} bytes")]
    public static partial void Opened(ILogger logger, IPEndPoint remote, IPEndPoint local, string option, int sendBuffer);

    [LoggerMessage(304, LogLevel.Warning, "UDP to {Remote}: could not mark datagrams with DSCP {Dscp}: {Error}")]
    public static partial void DscpFailed(ILogger logger, IPEndPoint remote, int dscp, SocketError error);

    [LoggerMessage(310, LogLevel.Information, "RTCP sender reports to {Remote} every {Interval}")]
    public static partial void RtcpStarted(ILogger logger, IPEndPoint remote, TimeSpan interval);

    [LoggerMessage(311, LogLevel.Debug, "RTCP sender reports off: {Reason}")]
    public static partial void RtcpNotStarted(ILogger logger, string reason);

    [LoggerMessage(312, LogLevel.Warning, "RTCP sender reports to {Remote} could not start: {Error}")]
    public static partial void RtcpOpenFailed(ILogger logger, IPEndPoint remote, SocketError error);

    [LoggerMessage(313, LogLevel.Warning, "RTCP send to {Remote} failed: {Error}; {Suppressed} more failed sends since the last report")]
    public static partial void RtcpSendFailed(ILogger logger, IPEndPoint remote, SocketError error, long suppressed);

    [LoggerMessage(314, LogLevel.Warning, "RTCP sender report skipped: reading the RTP sender state failed")]
    public static partial void RtcpStateFailed(ILogger logger, Exception exception);
}
