using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Sdk;

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
    public static Dictionary<string, long> Evaluate(string machineFlag, IEnumerable<string> expressions)
    {
        string directory = Directory.CreateTempSubdirectory("miraflow-netdispumdddi-").FullName;
        try
        {
            var source = new StringBuilder();
            source.AppendLine("#include <stdio.h>");
            source.AppendLine("#include <stddef.h>");
            source.AppendLine("#include \"netdispumdddi.h\"");
            source.AppendLine("int main(void) {");
            foreach (string expression in expressions)
            {
                source.Append(CultureInfo.InvariantCulture, $"  printf(\"%s=%lld\\n\", \"{expression}\", (long long)({expression}));\n");
            }

            source.AppendLine("  return 0;");
            source.AppendLine("}");
            string c = Path.Combine(directory, "probe.c");
            string exe = Path.Combine(directory, "probe");
            File.WriteAllText(c, source.ToString());

            (int compiled, _, string errors) = ExternalTool.Run(
                "gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", machineFlag, "-I", NativeDirectory, "-o", exe, c);
            if (compiled != 0)
            {
                throw new XunitException(
                    $"gcc {machineFlag} could not compile the probe (for -m32 the Debian package gcc-multilib is needed; " +
                    $"eng/apt-packages.txt lists it and setup.sh installs it):\n{errors}");
            }

            (int ran, string output, string runErrors) = ExternalTool.Run(exe);
            Assert.True(ran == 0, $"The {machineFlag} probe exited with {ran}: {runErrors}");

            var values = new Dictionary<string, long>();
            foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = line.LastIndexOf('=');
                values.Add(line[..equals], long.Parse(line[(equals + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            }

            return values;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
