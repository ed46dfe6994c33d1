namespace Miraflow.Exports.Tests.TestSupport;

/// <summary>
/// Compiles and runs a small C program that prints C expressions evaluated over
/// tests/native/netdispumdddi.h, with gcc for x86 (<c>-m32</c>) or x64 (<c>-m64</c>).
/// </summary>
/// <remarks>
/// gcc and the 32-bit C library come from the Debian packages <c>gcc</c> and <c>gcc-multilib</c>
/// (eng/apt-packages.txt, installed by setup.sh); a missing one fails the test saying so.
/// </remarks>
internal static class CProbe
{
    /// <summary>The folder holding the C transcription of the header.</summary>
    public static string NativeDirectory => Path.Combine(RepoPaths.Root, "tests", "native");

    /// <summary>Evaluates every expression with <c>gcc <paramref name="machineFlag"/></c> and returns the values.</summary>
    public static Dictionary<string, long> Evaluate(string machineFlag, IEnumerable<string> expressions) =>
        CExpressionProbe.Evaluate(
            "\"netdispumdddi.h\"",
            expressions,
            [machineFlag, "-I", NativeDirectory],
            "for -m32 the Debian package gcc-multilib is needed; eng/apt-packages.txt lists it and setup.sh installs it");
}
