using System.Globalization;
using System.Text;

namespace Miraflow.Rtsp.Messages;

/// <summary>
/// One RTSP/1.0 message, request or response, with its headers and body. Instances made by the
/// parser own a copy of their body; nothing refers back into a network buffer.
/// </summary>
public sealed class RtspMessage
{
    /// <summary>The protocol version every message we write carries.</summary>
    public const string Rtsp10 = "RTSP/1.0";

    private RtspMessage(bool isRequest, string method, RtspMethod knownMethod, string uri, int statusCode, string reasonPhrase, string version)
    {
        IsRequest = isRequest;
        Method = method;
        KnownMethod = knownMethod;
        Uri = uri;
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Version = version;
    }

    /// <summary>True for a request, false for a response.</summary>
    public bool IsRequest { get; }

    public bool IsResponse => !IsRequest;

    /// <summary>The request method exactly as received (empty for responses).</summary>
    public string Method { get; }

    /// <summary>The request method if it is one of ours (case-sensitive match), else <see cref="RtspMethod.Unknown"/>.</summary>
    public RtspMethod KnownMethod { get; }

    /// <summary>The request URI exactly as received (empty for responses). Any URI is accepted (protocol doc §1.10).</summary>
    public string Uri { get; }

    /// <summary>The response status code (0 for requests).</summary>
    public int StatusCode { get; }

    /// <summary>The response reason phrase, possibly empty (empty for requests).</summary>
    public string ReasonPhrase { get; }

    /// <summary>The version token of the start line, e.g. <c>RTSP/1.0</c>.</summary>
    public string Version { get; }

    public RtspHeaders Headers { get; } = new();

    /// <summary>The body bytes (<c>Content-Length</c> of them); empty when there is none.</summary>
    public ReadOnlyMemory<byte> Body { get; set; } = ReadOnlyMemory<byte>.Empty;

    /// <summary>The body as text (WFD bodies are ASCII <c>text/parameters</c>).</summary>
    public string BodyText => Body.IsEmpty ? string.Empty : Encoding.UTF8.GetString(Body.Span);

    /// <summary>
    /// The CSeq header as a number, or null when it is missing or not a non-negative decimal.
    /// </summary>
    public int? CSeq
    {
        get
        {
            string? value = Headers["CSeq"];
            return value is not null
                && int.TryParse(value.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int cseq)
                ? cseq
                : null;
        }
    }

    /// <summary>The session id of the <c>Session</c> header without its <c>;timeout=</c> suffix, or null.</summary>
    public string? SessionId
    {
        get
        {
            string? value = Headers["Session"];
            if (value is null)
            {
                return null;
            }

            int semicolon = value.IndexOf(';', StringComparison.Ordinal);
            return (semicolon < 0 ? value : value[..semicolon]).Trim();
        }
    }

    /// <summary>True for a 2xx response.</summary>
    public bool IsSuccess => IsResponse && StatusCode is >= 200 and < 300;

    /// <summary>Creates a request with our version.</summary>
    public static RtspMessage CreateRequest(RtspMethod method, string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (method == RtspMethod.Unknown)
        {
            throw new ArgumentOutOfRangeException(nameof(method), "Use the string overload for extension methods.");
        }

        return new RtspMessage(isRequest: true, RtspMethods.GetName(method), method, uri, 0, string.Empty, Rtsp10);
    }

    /// <summary>Creates a request for any method token (used for extension or test methods).</summary>
    public static RtspMessage CreateRequest(string method, string uri)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(uri);
        return new RtspMessage(isRequest: true, method, RtspMethods.Parse(method), uri, 0, string.Empty, Rtsp10);
    }

    /// <summary>Creates a response with our version; the reason defaults to the standard phrase.</summary>
    public static RtspMessage CreateResponse(int statusCode, string? reasonPhrase = null)
    {
        if (statusCode is < 100 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "Status codes are 100-699.");
        }

        return new RtspMessage(isRequest: false, string.Empty, RtspMethod.Unknown, string.Empty, statusCode, reasonPhrase ?? RtspStatus.GetReasonPhrase(statusCode), Rtsp10);
    }

    /// <summary>Used by the parser: a message exactly as it was on the wire.</summary>
    internal static RtspMessage FromRequestLine(string method, string uri, string version) =>
        new(isRequest: true, method, RtspMethods.Parse(method), uri, 0, string.Empty, version);

    /// <summary>Used by the parser: a message exactly as it was on the wire.</summary>
    internal static RtspMessage FromStatusLine(string version, int statusCode, string reasonPhrase) =>
        new(isRequest: false, string.Empty, RtspMethod.Unknown, string.Empty, statusCode, reasonPhrase, version);

    /// <summary>Sets the body to UTF-8 text (callers set <c>Content-Type</c> themselves).</summary>
    public void SetBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Body = Encoding.UTF8.GetBytes(text);
    }

    /// <summary>A one-line summary for logs, e.g. <c>SET_PARAMETER rtsp://localhost/wfd1.0 (CSeq 3)</c>.</summary>
    public override string ToString() => IsRequest
        ? string.Create(CultureInfo.InvariantCulture, $"{Method} {Uri} (CSeq {Headers["CSeq"]})")
        : string.Create(CultureInfo.InvariantCulture, $"{StatusCode} {ReasonPhrase} (CSeq {Headers["CSeq"]})");
}
