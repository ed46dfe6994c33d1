namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>
/// The OpenH264 library refused a call (<c>InitializeExt</c>, <c>EncodeFrame</c>,
/// <c>SetOption</c>…) or produced something the WFD rules do not allow.
/// </summary>
public sealed class OpenH264Exception : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public OpenH264Exception()
        : base("The OpenH264 encoder failed.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public OpenH264Exception(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public OpenH264Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a failed library call.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="errorCode">The library's return value (<c>CM_RETURN</c>: 1 = invalid parameters, 3 = out of memory, 4 = not initialised, 5 = unsupported data).</param>
    public OpenH264Exception(string message, int errorCode)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The library's return value, or 0 when the failure is not a library return code.</summary>
    public int ErrorCode { get; }
}
