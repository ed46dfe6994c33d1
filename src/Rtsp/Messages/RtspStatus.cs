namespace Miraflow.Rtsp.Messages;

/// <summary>The status codes WFD peers use (protocol doc §1.9) and their reason phrases.</summary>
public static class RtspStatus
{
    public const int Ok = 200;
    public const int SeeOther = 303;
    public const int BadRequest = 400;
    public const int Forbidden = 403;
    public const int NotFound = 404;
    public const int MethodNotAllowed = 405;
    public const int NotAcceptable = 406;
    public const int RequestTimeout = 408;
    public const int SessionNotFound = 454;
    public const int MethodNotValidInThisState = 455;
    public const int OnlyAggregateOperationAllowed = 460;
    public const int UnsupportedTransport = 461;
    public const int InternalServerError = 500;
    public const int NotImplemented = 501;
    public const int VersionNotSupported = 505;
    public const int OptionNotSupported = 551;

    /// <summary>The RFC 2326 reason phrase of <paramref name="statusCode"/>, or "Status".</summary>
    public static string GetReasonPhrase(int statusCode) => statusCode switch
    {
        Ok => "OK",
        SeeOther => "See Other",
        BadRequest => "Bad Request",
        Forbidden => "Forbidden",
        NotFound => "Not Found",
        MethodNotAllowed => "Method Not Allowed",
        NotAcceptable => "Not Acceptable",
        RequestTimeout => "Request Timeout",
        SessionNotFound => "Session Not Found",
        MethodNotValidInThisState => "Method Not Valid in This State",
        OnlyAggregateOperationAllowed => "Only Aggregate Operation Allowed",
        UnsupportedTransport => "Unsupported Transport",
        InternalServerError => "Internal Server Error",
        NotImplemented => "Not Implemented",
        VersionNotSupported => "RTSP Version not supported",
        OptionNotSupported => "Option not supported",
        _ => "Status",
    };
}
