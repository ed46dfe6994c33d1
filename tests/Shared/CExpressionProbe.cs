using System.Globalization;
using System.Text;
using Xunit.Sdk;

namespace Miraflow.Testing;

/// <summary>
/// Evaluates C expressions (sizeof, offsetof, enum values) the way a C compiler sees a header: it
/// writes a program that prints each one, builds it with gcc and runs it. The layout tests of the
/// Miracast contract and of the OpenH264 binding judge our declarations with it.
/// </summary>
internal static class CExpressionProbe
{
    /// <summary>
    /// Evaluates <paramref name="expressions"/> in a program that includes <paramref name="header"/>
    /// (as written after <c>#include</c>), built with <c>gcc -std=c11 -Wall -Wextra -Werror</c> and
    /// <paramref name="gccArguments"/>. A compile failure fails the test with <paramref name="compileHint"/>.
    /// </summary>
    public static Dictionary<string, long> Evaluate(string header, IEnumerable<string> expressions, IReadOnlyList<string> gccArguments, string compileHint)
    {
        string directory = Directory.CreateTempSubdirectory("miraflow-cprobe-").FullName;
        try
        {
            var source = new StringBuilder();
            source.AppendLine("#include <stdio.h>");
            source.AppendLine("#include <stddef.h>");
            source.Append(CultureInfo.InvariantCulture, $"#include {header}\n");
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

            (int compiled, _, string errors) = ExternalTool.Run("gcc", ["-std=c11", "-Wall", "-Wextra", "-Werror", .. gccArguments, "-o", exe, c]);
            if (compiled != 0)
            {
                throw new XunitException($"gcc {string.Join(' ', gccArguments)} could not compile the probe ({compileHint}):\n{errors}");
            }

            (int ran, string output, string runErrors) = ExternalTool.Run(exe);
            Assert.True(ran == 0, $"The probe exited with {ran}: {runErrors}");

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
