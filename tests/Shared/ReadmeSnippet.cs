namespace Miraflow.Testing;

/// <summary>
/// README code is compiled from test sources between <c>// begin-snippet: NAME</c> and
/// <c>// end-snippet</c> markers; tests check the README still shows it word for word.
/// </summary>
public static class ReadmeSnippet
{
    /// <summary>The README's text, line ends normalised.</summary>
    public static string Readme => File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>The lines of snippet <paramref name="name"/> in <paramref name="sourceFile"/> (relative to the repository), de-indented to the marker's column.</summary>
    public static string Region(string sourceFile, string name)
    {
        string source = File.ReadAllText(Path.Combine(RepoPaths.Root, sourceFile));
        string[] lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int begin = Array.FindIndex(lines, l => l.Contains($"begin-snippet: {name}", StringComparison.Ordinal));
        int end = Array.FindIndex(lines, begin + 1, l => l.Contains("end-snippet", StringComparison.Ordinal));
        if (begin < 0 || end < 0)
        {
            throw new InvalidOperationException($"Snippet '{name}' not found in {sourceFile}.");
        }

        int indent = lines[begin].IndexOf("//", StringComparison.Ordinal);
        return string.Join('\n', lines[(begin + 1)..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }
}
