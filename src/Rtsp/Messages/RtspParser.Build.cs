using System.Text;

namespace Miraflow.Rtsp.Messages;

// Pass 2: turn a scanned, complete message into an RtspMessage. The input has already been
// validated by TryScan, so nothing here can fail on bad bytes.
public static partial class RtspParser
{
    private static RtspMessage Build(ReadOnlySpan<byte> input, in MessageLayout layout)
    {
        ReadOnlySpan<byte> first = input.Slice(layout.FirstStart, layout.FirstLength);
        ReadOnlySpan<byte> second = input.Slice(layout.SecondStart, layout.SecondLength);
        ReadOnlySpan<byte> third = input.Slice(layout.ThirdStart, layout.ThirdLength);

        RtspMessage message = layout.IsRequest
            ? RtspMessage.FromRequestLine(GetMethod(first), GetUri(second), GetVersion(third))
            : RtspMessage.FromStatusLine(GetVersion(first), layout.StatusCode, GetReasonPhrase(third, layout.StatusCode));

        RtspHeaders headers = message.Headers;
        string? name = null;
        string value = string.Empty;
        int pos = layout.HeadersStart;
        while (true)
        {
            int lf = input[pos..].IndexOf(ByteLF);
            ReadOnlySpan<byte> line = input.Slice(pos, lf);
            pos += lf + 1;
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
                // Obsolete folding: the continuation joins the value with one SP (RFC 7230 §3.2.4).
                ReadOnlySpan<byte> more = line.Trim(WhitespaceBytes);
                if (!more.IsEmpty)
                {
                    value = value.Length == 0 ? GetHeaderValue(more) : string.Concat(value, " ", Encoding.UTF8.GetString(more));
                }

                continue;
            }

            if (name is not null)
            {
                headers.Add(name, value);
            }

            int colon = line.IndexOf(ByteColon);
            name = GetHeaderName(line[..colon].TrimEnd(WhitespaceBytes));
            value = GetHeaderValue(line[(colon + 1)..].Trim(WhitespaceBytes));
        }

        if (name is not null)
        {
            headers.Add(name, value);
        }

        if (layout.BodyLength > 0)
        {
            message.Body = input.Slice(layout.BodyStart, layout.BodyLength).ToArray();
        }

        return message;
    }

    /// <summary>Our method names are shared strings; other tokens (ASCII by validation) are new ones.</summary>
    private static string GetMethod(ReadOnlySpan<byte> token) => token.Length switch
    {
        4 when token.SequenceEqual("PLAY"u8) => "PLAY",
        5 when token.SequenceEqual("SETUP"u8) => "SETUP",
        5 when token.SequenceEqual("PAUSE"u8) => "PAUSE",
        7 when token.SequenceEqual("OPTIONS"u8) => "OPTIONS",
        8 when token.SequenceEqual("TEARDOWN"u8) => "TEARDOWN",
        13 when token.SequenceEqual("GET_PARAMETER"u8) => "GET_PARAMETER",
        13 when token.SequenceEqual("SET_PARAMETER"u8) => "SET_PARAMETER",
        _ => Encoding.ASCII.GetString(token),
    };

    private static string GetUri(ReadOnlySpan<byte> uri) =>
        uri.SequenceEqual("*"u8) ? "*"
        : uri.SequenceEqual("rtsp://localhost/wfd1.0"u8) ? "rtsp://localhost/wfd1.0"
        : Encoding.UTF8.GetString(uri);

    /// <summary>Validated as RTSP/d.d, so ASCII.</summary>
    private static string GetVersion(ReadOnlySpan<byte> version) =>
        version.SequenceEqual("RTSP/1.0"u8) ? RtspMessage.Rtsp10 : Encoding.ASCII.GetString(version);

    /// <summary>The standard phrase of the code is shared (<see cref="RtspStatus.GetReasonPhrase"/>); others are new strings.</summary>
    private static string GetReasonPhrase(ReadOnlySpan<byte> reason, int statusCode)
    {
        if (reason.IsEmpty)
        {
            return string.Empty;
        }

        string standard = RtspStatus.GetReasonPhrase(statusCode);
        return Ascii.Equals(reason, standard) ? standard : Encoding.UTF8.GetString(reason);
    }

    /// <summary>
    /// Header names we meet on every message are shared strings when spelled canonically (house
    /// style §3: no per-message name strings); any other spelling or name is a new ASCII string.
    /// </summary>
    private static string GetHeaderName(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("CSeq"u8) => "CSeq",
        4 when name.SequenceEqual("Date"u8) => "Date",
        5 when name.SequenceEqual("Range"u8) => "Range",
        6 when name.SequenceEqual("Public"u8) => "Public",
        6 when name.SequenceEqual("Server"u8) => "Server",
        7 when name.SequenceEqual("Session"u8) => "Session",
        7 when name.SequenceEqual("Require"u8) => "Require",
        9 when name.SequenceEqual("Transport"u8) => "Transport",
        10 when name.SequenceEqual("User-Agent"u8) => "User-Agent",
        10 when name.SequenceEqual("Connection"u8) => "Connection",
        12 when name.SequenceEqual("Content-Type"u8) => "Content-Type",
        14 when name.SequenceEqual("Content-Length"u8) => "Content-Length",
        _ => Encoding.ASCII.GetString(name),
    };

    /// <summary>Single digits (CSeq of the first messages) and the WFD constants are shared strings.</summary>
    private static string GetHeaderValue(ReadOnlySpan<byte> value)
    {
        switch (value.Length)
        {
            case 0:
                return string.Empty;
            case 1 when char.IsAsciiDigit((char)value[0]):
                return s_digitStrings[value[0] - '0'];
            case 14 when value.SequenceEqual("org.wfa.wfd1.0"u8):
                return "org.wfa.wfd1.0";
            case 15 when value.SequenceEqual("text/parameters"u8):
                return "text/parameters";
            default:
                return Encoding.UTF8.GetString(value);
        }
    }

    private static readonly string[] s_digitStrings = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
}
