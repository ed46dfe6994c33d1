namespace Miraflow.Rtsp.Parameters;

/// <summary>The one exception the parameter parsers throw for bad input.</summary>
public sealed class WfdParameterException : Exception
{
    public WfdParameterException(WfdParameterError error, string? parameterName, string message)
        : base(message)
    {
        Error = error;
        ParameterName = parameterName;
    }

    public WfdParameterException()
        : this(WfdParameterError.None, null, "Invalid WFD parameter.") { }

    public WfdParameterException(string message)
        : this(WfdParameterError.None, null, message) { }

    public WfdParameterException(string message, Exception innerException)
        : base(message, innerException) { }

    public WfdParameterError Error { get; }

    /// <summary>The parameter being parsed, when known.</summary>
    public string? ParameterName { get; }
}
