using System.Buffers;

namespace Miraflow.Rtsp.Messages;

/// <summary>
/// Writes RTSP messages as bytes: start line, headers, <c>Content-Length</c> when there is a body,
/// an empty line and the body; CRLF line ends. Allocates nothing per header (house rule 9).
/// </summary>
/// <remarks>
/// <code>
/// request  = method SP request-uri SP version CRLF        ; RFC 2326 §6.1
/// response = version SP 3DIGIT SP reason-phrase CRLF      ; RFC 2326 §7.1 (SP kept when the reason is empty)
///            *( name ": " value CRLF )                    ; in Headers order, any Content-Length skipped
///            [ "Content-Length: " 1*DIGIT CRLF ]          ; only when the body is not empty
///            CRLF
///            body
/// </code>
/// Everything written is checked first, so a message is written whole or not at all: the method
/// must be an RTSP token, the URI and version printable ASCII without blanks, the reason phrase
/// and header values printable ASCII or HT, header names printable ASCII without <c>:</c>. CR,
/// LF, other control characters and non-ASCII text throw <see cref="ArgumentException"/>: the
/// writer never lets a value inject a header or a message.
/// </remarks>
public static class RtspWriter
{
    private static ReadOnlySpan<byte> ContentLengthPrefix => "Content-Length: "u8;

    /// <summary>Writes <paramref name="message"/> to <paramref name="output"/>. <c>Content-Length</c> is always computed from the body, never copied from the headers.</summary>
    /// <exception cref="ArgumentException">A start-line part, header name or value cannot be written safely.</exception>
    public static void Write(RtspMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int length = GetEncodedLength(message);
        var writer = new RtspBufferWriter(output, length);
        WriteCore(message, ref writer);
        writer.Commit();
    }

    /// <summary>
    /// Writes <paramref name="message"/> into <paramref name="destination"/>. Returns false, having
    /// written nothing, when the destination is shorter than <see cref="GetEncodedLength"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A start-line part, header name or value cannot be written safely.</exception>
    public static bool TryWrite(RtspMessage message, Span<byte> destination, out int bytesWritten)
    {
        int length = GetEncodedLength(message);
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        var writer = new RtspBufferWriter(destination);
        WriteCore(message, ref writer);
        bytesWritten = writer.Buffered;
        return true;
    }

    /// <summary>The exact number of bytes <see cref="Write"/> produces. Validates the message like <see cref="Write"/>.</summary>
    /// <exception cref="ArgumentException">A start-line part, header name or value cannot be written safely.</exception>
    public static int GetEncodedLength(RtspMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);

        long length;
        if (message.IsRequest)
        {
            RtspTextRules.CheckMethod(message.Method);
            RtspTextRules.CheckUriOrVersion(message.Uri, "URI");
            RtspTextRules.CheckUriOrVersion(message.Version, "version");
            length = message.Method.Length + 1L + message.Uri.Length + 1 + message.Version.Length + 2;
        }
        else
        {
            RtspTextRules.CheckUriOrVersion(message.Version, "version");
            if ((uint)(message.StatusCode - 100) >= 900)
            {
                throw new ArgumentException("The status code is not three digits.", nameof(message));
            }

            RtspTextRules.CheckText(message.ReasonPhrase, "reason phrase");
            length = message.Version.Length + 1L + 3 + 1 + message.ReasonPhrase.Length + 2;
        }

        foreach (KeyValuePair<string, string> header in message.Headers)
        {
            if (IsContentLength(header.Key))
            {
                continue;
            }

            RtspTextRules.CheckHeaderName(header.Key);
            RtspTextRules.CheckText(header.Value, "header value");
            length += header.Key.Length + 2L + header.Value.Length + 2;
        }

        int bodyLength = message.Body.Length;
        if (bodyLength > 0)
        {
            length += ContentLengthPrefix.Length + CountDigits(bodyLength) + 2;
        }

        length += 2 + bodyLength;
        if (length > Array.MaxLength)
        {
            throw new ArgumentException("The message is too large to write.", nameof(message));
        }

        return (int)length;
    }

    /// <summary>The message as a new byte array (tests, logs).</summary>
    /// <exception cref="ArgumentException">A start-line part, header name or value cannot be written safely.</exception>
    public static byte[] ToArray(RtspMessage message)
    {
        byte[] bytes = new byte[GetEncodedLength(message)];
        var writer = new RtspBufferWriter(bytes);
        WriteCore(message, ref writer);
        return bytes;
    }

    /// <summary>Writes a message <see cref="GetEncodedLength"/> has validated.</summary>
    private static void WriteCore(RtspMessage message, ref RtspBufferWriter writer)
    {
        if (message.IsRequest)
        {
            writer.WriteAscii(message.Method);
            writer.Write(" "u8);
            writer.WriteAscii(message.Uri);
            writer.Write(" "u8);
            writer.WriteAscii(message.Version);
        }
        else
        {
            writer.WriteAscii(message.Version);
            writer.Write(" "u8);
            writer.WriteNumber(message.StatusCode);
            writer.Write(" "u8);
            writer.WriteAscii(message.ReasonPhrase);
        }

        writer.WriteCrLf();

        foreach (KeyValuePair<string, string> header in message.Headers)
        {
            if (IsContentLength(header.Key))
            {
                continue;
            }

            writer.WriteAscii(header.Key);
            writer.Write(": "u8);
            writer.WriteAscii(header.Value);
            writer.WriteCrLf();
        }

        ReadOnlySpan<byte> body = message.Body.Span;
        if (!body.IsEmpty)
        {
            writer.Write(ContentLengthPrefix);
            writer.WriteNumber(body.Length);
            writer.WriteCrLf();
        }

        writer.WriteCrLf();
        writer.Write(body);
    }

    private static bool IsContentLength(string name) =>
        string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase);

    private static int CountDigits(int value)
    {
        int digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
