using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Miraflow.Rtsp.Messages;

/// <summary>
/// Incremental RTSP/1.0 message parser over a <see cref="SequenceReader{T}"/> (house rule 6; the
/// shape of Kestrel's <c>HttpParser</c>).
/// </summary>
public static class RtspParser
{
    /// <summary>
    /// Parses one whole message from <paramref name="reader"/>. Returns false when more bytes are
    /// needed (the reader is then left where it was); true with the message when a whole message
    /// was read (the reader is advanced past it). Malformed input throws
    /// <see cref="RtspParseException"/>, and nothing else.
    /// </summary>
    public static bool TryParseMessage(ref SequenceReader<byte> reader, RtspLimits limits, [NotNullWhen(true)] out RtspMessage? message)
    {
        // TODO(codec): implement.
        throw new NotImplementedException();
    }
}
