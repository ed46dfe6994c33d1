namespace Miraflow.Rtsp.Tests.TestSupport;

/// <summary>
/// Finds <c>shared/corpus/sinks</c> (the repository is checked out at <c>&lt;X&gt;/main</c> or a
/// worktree beside <c>&lt;X&gt;/shared</c>) by walking up from the test assembly, and extracts
/// parameter lines from the files (log prefixes before the parameter name are stripped).
/// </summary>
internal static class SinkCorpus
{
    private static readonly Lazy<string> s_directory = new(FindDirectory);

    public static string Directory => s_directory.Value;

    public static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    public static IEnumerable<string> Files() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.txt").Order(StringComparer.Ordinal);

    /// <summary>
    /// The lines of <paramref name="path"/> that contain <c>name:</c>, cut to start at the name
    /// (so <c>[FluxCast WFD RTSP]   wfd_video_formats: ...</c> becomes <c>wfd_video_formats: ...</c>).
    /// Comment lines (<c>#</c>) are skipped.
    /// </summary>
    public static List<string> ExtractLines(string path, string name)
    {
        string marker = name + ":";
        var lines = new List<string>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            int at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && (at == 0 || !IsNameChar(line[at - 1])))
            {
                lines.Add(line[at..].TrimEnd());
            }
        }

        return lines;
    }

    /// <summary>The value after <c>name:</c> of an extracted line.</summary>
    public static string ValueOf(string line) => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static string FindDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "corpus", "sinks");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "shared/corpus/sinks not found above " + AppContext.BaseDirectory + " (the repository's parent directory must contain shared/).");
    }
}
