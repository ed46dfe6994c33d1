namespace Miraflow.Rtsp.Parameters;

/// <summary>Why a <c>text/parameters</c> body or value was rejected.</summary>
public enum WfdParameterError
{
    None = 0,
    /// <summary>A byte that is not printable ASCII, tab, CR or LF.</summary>
    InvalidCharacter,
    /// <summary>A line longer than the limit, or more lines than the limit.</summary>
    TooLarge,
    /// <summary>A line whose name is empty or not a token.</summary>
    InvalidName,
    /// <summary>The value does not follow the parameter's grammar (protocol doc §2).</summary>
    InvalidValue,
    /// <summary>A hex field that is not exactly its fixed width.</summary>
    InvalidFieldWidth,
    /// <summary>A number outside its allowed range.</summary>
    OutOfRange,
}
