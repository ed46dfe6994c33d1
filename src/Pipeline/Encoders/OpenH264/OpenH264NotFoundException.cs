namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>
/// No usable OpenH264 library: none of the file names <see cref="OpenH264Encoder"/> looks for
/// could be loaded, one lacked the C API, or its major version is not 2 (the structure layouts
/// this binding declares are those of the 2.x headers).
/// </summary>
/// <remarks>
/// On Debian/Ubuntu: <c>apt-get install libopenh264-7</c>. On Windows: download Cisco's binary
/// <c>openh264-2.3.1-win64.dll</c> (or <c>-win32.dll</c>) from
/// <c>https://github.com/cisco/openh264/releases</c> and put it next to the application (or the
/// driver DLL); Cisco's binary carries its patent licence, a self-built one does not.
/// </remarks>
public sealed class OpenH264NotFoundException : DllNotFoundException
{
    /// <summary>Creates the exception with a default message.</summary>
    public OpenH264NotFoundException()
        : base("The OpenH264 library could not be loaded.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public OpenH264NotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public OpenH264NotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
