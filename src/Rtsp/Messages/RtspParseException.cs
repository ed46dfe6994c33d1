namespace Miraflow.Rtsp.Messages;

/// <summary>
/// The one exception the RTSP codec throws for bad input: it carries the rule that was broken
/// (<see cref="Error"/>). Anything else escaping the parser is a bug.
/// </summary>
public sealed class RtspParseException : Exception
{
    public RtspParseException(RtspParseError error, string message)
        : base(message) => Error = error;

    public RtspParseException()
        : this(RtspParseError.None, "RTSP parse error.") { }

    public RtspParseException(string message)
        : this(RtspParseError.None, message) { }

    public RtspParseException(string message, Exception innerException)
        : base(message, innerException) { }

    /// <summary>The rule the input broke.</summary>
    public RtspParseError Error { get; }
}
