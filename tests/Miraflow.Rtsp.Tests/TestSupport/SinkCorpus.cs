namespace Miraflow.Rtsp.Tests.TestSupport;

/// <summary>
/// A plain line extractor over the real-sink corpus for the parameter and negotiation tests:
/// parameter lines with log prefixes before the parameter name stripped. The full message-level
/// reading of the same files is <see cref="Corpus.SinkCorpus"/>, which also locates them.
/// </summary>
internal static class SinkCorpus
{
    public static string Directory => Corpus.SinkCorpus.Directory;

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
}
