using System.Buffers;

namespace Miraflow.Rtsp.Messages;

/// <summary>
/// Writes RTSP messages as bytes: start line, headers, <c>Content-Length</c> when there is a body,
/// an empty line and the body; CRLF line ends. Allocates nothing per header (house rule 9).
/// </summary>
public static class RtspWriter
{
    /// <summary>Writes <paramref name="message"/> to <paramref name="output"/>. <c>Content-Length</c> is always computed from the body, never copied from the headers.</summary>
    public static void Write(RtspMessage message, IBufferWriter<byte> output) => throw new NotImplementedException();

    /// <summary>The exact number of bytes <see cref="Write"/> produces.</summary>
    public static int GetEncodedLength(RtspMessage message) => throw new NotImplementedException();

    /// <summary>The message as a new byte array (tests, logs).</summary>
    public static byte[] ToArray(RtspMessage message) => throw new NotImplementedException();
}
