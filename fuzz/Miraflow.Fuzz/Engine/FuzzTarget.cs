namespace Miraflow.Fuzz;

/// <summary>What an input is fed to.</summary>
internal enum FuzzTarget
{
    /// <summary>A byte stream fed to the RTSP codec (<c>RtspMessageDecoder</c>, <c>RtspParser</c>, <c>RtspWriter</c>).</summary>
    Rtsp,

    /// <summary>A <c>text/parameters</c> body fed to <c>WfdParameterSet</c>, every typed <c>wfd_*</c> parameter and the negotiator.</summary>
    Params,
}

/// <summary>How one input ended. Anything but <see cref="Violation"/> is allowed.</summary>
internal enum FuzzOutcome
{
    /// <summary>Parsed (at least one message or a parameter set), and every round trip held.</summary>
    Parsed,

    /// <summary>Rejected with the documented typed error (<c>RtspParseException</c>, <c>WfdParameterException</c>).</summary>
    Rejected,

    /// <summary>Nothing complete (an RTSP stream that only needs more bytes, or only a gap).</summary>
    Incomplete,

    /// <summary>The oracle failed: an undocumented exception, a round trip that changed the value, a bad negotiation, or too much allocation.</summary>
    Violation,
}

/// <summary>The oracle's verdict on one input.</summary>
/// <param name="Detail">For a violation, what broke (one line, then the exception if any).</param>
/// <param name="Typed">Parameters: how many typed <c>wfd_*</c> values parsed (0 for RTSP).</param>
/// <param name="Reason">For <see cref="FuzzOutcome.Rejected"/>, the typed error (<c>RtspParseError</c>, <c>WfdParameterError</c>) by name.</param>
internal readonly record struct FuzzVerdict(FuzzOutcome Outcome, string? Detail = null, int Typed = 0, string? Reason = null)
{
    public static FuzzVerdict Fail(string detail) => new(FuzzOutcome.Violation, detail);
}

/// <summary>Thrown inside an oracle when an invariant does not hold; turned into a <see cref="FuzzVerdict"/>.</summary>
internal sealed class OracleException : Exception
{
    public OracleException()
    {
    }

    public OracleException(string message)
        : base(message)
    {
    }

    public OracleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
