using System.Text;
using System.Text.RegularExpressions;

namespace Miraflow.Rtsp.Tests.Corpus;

/// <summary>What a segment of a corpus file holds.</summary>
internal enum SinkSegmentKind
{
    /// <summary>One or more RTSP messages (each begins with a start line).</summary>
    Messages,

    /// <summary>A whole <c>text/parameters</c> body printed without its message (its label says "body").</summary>
    ParameterBody,

    /// <summary>Single parameter lines or fragments quoted from a message (<c>name: value</c> or a name alone).</summary>
    ParameterLines,

    /// <summary>Raw values without a parameter name (a <c>wfd_video_formats</c> value, a WFD IE in hex).</summary>
    BareValue,
}

/// <summary>
/// One RTSP message of the corpus, turned back into the bytes the sink sent: LF becomes CRLF, the
/// empty line after the headers is rebuilt where the log format does not print it, and the body is
/// kept exactly as logged (so a logged body shorter than its <c>Content-Length</c> stays short).
/// </summary>
internal sealed class SinkMessage
{
    public SinkMessage(int lineNumber, string startLine, IReadOnlyList<string> headerLines, IReadOnlyList<string> bodyLines, bool endsAtCut, bool endsMidLine, byte[] bytes, int bodyOffset)
    {
        LineNumber = lineNumber;
        StartLine = startLine;
        HeaderLines = headerLines;
        BodyLines = bodyLines;
        EndsAtCut = endsAtCut;
        EndsMidLine = endsMidLine;
        Bytes = bytes;
        BodyOffset = bodyOffset;
    }

    /// <summary>1-based line of the start line in the corpus file.</summary>
    public int LineNumber { get; }

    public string StartLine { get; }

    /// <summary>The header lines as logged (without line ends).</summary>
    public IReadOnlyList<string> HeaderLines { get; }

    /// <summary>The body lines as logged (without line ends).</summary>
    public IReadOnlyList<string> BodyLines { get; }

    /// <summary>The published text stops inside this message (the file's notes or the segment's label say so).</summary>
    public bool EndsAtCut { get; }

    /// <summary>The published text stops in the middle of this message's last line, so that line has no line end.</summary>
    public bool EndsMidLine { get; }

    /// <summary>The message as the sink sent it, as far as the published text goes.</summary>
    public byte[] Bytes { get; }

    /// <summary>Where the body starts in <see cref="Bytes"/> (<see cref="Bytes"/>.Length when the header block is not finished).</summary>
    public int BodyOffset { get; }

    /// <summary>The body bytes as logged.</summary>
    public ReadOnlyMemory<byte> LoggedBody => Bytes.AsMemory(BodyOffset);

    /// <summary>The value of header <paramref name="name"/> as logged (first occurrence, trimmed), or null.</summary>
    public string? GetLoggedHeader(string name)
    {
        foreach (string line in HeaderLines)
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && string.Equals(line[..colon].Trim(), name, StringComparison.OrdinalIgnoreCase))
            {
                return line[(colon + 1)..].Trim();
            }
        }

        return null;
    }

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {LineNumber}: {StartLine}");
}

/// <summary>A run of message text between two separators (<c>#</c> lines, log markers on their own line).</summary>
internal sealed class SinkSegment
{
    public SinkSegment(SinkSegmentKind kind, string label, int excerpt, int lineNumber, IReadOnlyList<string> lines, IReadOnlyList<SinkMessage> messages)
    {
        Kind = kind;
        Label = label;
        Excerpt = excerpt;
        LineNumber = lineNumber;
        Lines = lines;
        Messages = messages;
    }

    public SinkSegmentKind Kind { get; }

    /// <summary>The <c># --- </c> label in front of the segment (consecutive label lines joined), or empty.</summary>
    public string Label { get; }

    /// <summary>0-based index of the excerpt (each <c># origin:</c> line starts one).</summary>
    public int Excerpt { get; }

    /// <summary>1-based line of the segment's first line in the corpus file.</summary>
    public int LineNumber { get; }

    /// <summary>The segment's text lines with log prefixes removed, without line ends.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The messages (only for <see cref="SinkSegmentKind.Messages"/>).</summary>
    public IReadOnlyList<SinkMessage> Messages { get; }

    /// <summary>
    /// For a <see cref="SinkSegmentKind.BareValue"/> whose label names the parameter it is the value of
    /// (e.g. "raw wfd_video_formats value"), that name; otherwise null.
    /// </summary>
    public string? ValueOf => Kind == SinkSegmentKind.BareValue && SinkCorpus.ParameterNameInLabel().Match(Label) is { Success: true } match
        ? match.Value
        : null;

    /// <summary>
    /// The segment as a <c>text/parameters</c> body (each line plus CRLF): parameter segments as they
    /// are, a named bare value as <c>name: value</c>; null for messages and unnamed bare values.
    /// </summary>
    public byte[]? GetParameterBody()
    {
        IEnumerable<string>? lines = Kind switch
        {
            SinkSegmentKind.ParameterBody or SinkSegmentKind.ParameterLines => Lines,
            SinkSegmentKind.BareValue when ValueOf is { } name => Lines.Select(value => name + ": " + value),
            _ => null,
        };
        return lines is null ? null : Encoding.UTF8.GetBytes(string.Concat(lines.Select(line => line + "\r\n")));
    }
}

/// <summary>One corpus file, cut into segments.</summary>
internal sealed class SinkFile
{
    public SinkFile(string name, IReadOnlyList<string> notes, bool saysCut, int excerptCount, IReadOnlyList<SinkSegment> segments)
    {
        Name = name;
        Notes = notes;
        SaysCut = saysCut;
        ExcerptCount = excerptCount;
        Segments = segments;
    }

    /// <summary>The file name, e.g. <c>01-samsung-tv-sec-wdh-me29.txt</c>.</summary>
    public string Name { get; }

    /// <summary>The text of every <c># note:</c> and <c># format:</c> line.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>
    /// A note or format line says the published text is incomplete (cut, stops, ends inside/before,
    /// prints only, elision, fragments, start of). A keyword reading, not a verdict on any message:
    /// "the excerpt stops at the source's M3 request" leaves every sink message whole.
    /// </summary>
    public bool SaysCut { get; }

    /// <summary>How many <c># origin:</c> excerpts the file holds.</summary>
    public int ExcerptCount { get; }

    public IReadOnlyList<SinkSegment> Segments { get; }

    /// <summary>Every message of every segment, in file order.</summary>
    public IEnumerable<SinkMessage> Messages => Segments.SelectMany(segment => segment.Messages);
}

/// <summary>
/// Reads <c>shared/corpus/sinks</c>: 18 files of messages that real sinks sent, each in the log format
/// it was published in. Strips the log prefixes (FluxCast, Android logcat, miraclecast, lazycast),
/// splits the text at <c>#</c> lines into segments, classifies them, and rebuilds the wire bytes of
/// every message.
/// </summary>
/// <remarks>
/// Where the published text stops inside a message is read from the file itself: a segment label
/// that says "cut" (the header block is left unfinished), or an excerpt note that says the text
/// stops "inside" something or quotes the excerpt's last line (that line then has no line end).
/// Every other message gets the empty line after its headers, logged or not.
/// </remarks>
internal static partial class SinkCorpus
{
    /// <summary>The corpus folder relative to the directory that holds the repository checkout.</summary>
    public const string RelativePath = "shared/corpus/sinks";

    private const string FluxCastPrefix = "[FluxCast WFD RTSP] ";
    private const string FluxCastResponse = "<- response: ";
    private const string FluxCastRequest = "<- request: ";
    private const string FluxCastContinuation = "  ";
    private const string MiraclecastOutgoing = "DEBUG: OUTGOING: ";
    private const string MiraclecastDebug = "DEBUG: ";
    private const string LogcatMessageEnd = "]";

    private static readonly Lazy<string> s_directory = new(FindDirectory);

    /// <summary>The corpus folder; throws with a clear message when it is not beside the checkout.</summary>
    public static string Directory => s_directory.Value;

    /// <summary>The corpus files (<c>*.txt</c>; README.md is not one), in name order.</summary>
    public static IReadOnlyList<string> FileNames =>
        System.IO.Directory.GetFiles(Directory, "*.txt")
            .Select(path => Path.GetFileName(path))
            .Order(StringComparer.Ordinal)
            .ToArray();

    /// <summary>Reads and cuts one corpus file.</summary>
    public static SinkFile Load(string fileName) =>
        Parse(fileName, File.ReadAllText(Path.Combine(Directory, fileName), Encoding.UTF8));

    /// <summary>Cuts the text of a corpus file into segments and messages.</summary>
    public static SinkFile Parse(string name, string text)
    {
        if (text.Contains('\r', StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{name}: corpus files store LF line ends, found CR.");
        }

        string[] rawLines = text.Split('\n');
        int lineCount = rawLines.Length > 0 && rawLines[^1].Length == 0 ? rawLines.Length - 1 : rawLines.Length;
        var builder = new FileBuilder(name);
        int logcatIndent = -1;
        for (int index = 0; index < lineCount; index++)
        {
            string raw = rawLines[index];
            int number = index + 1;

            // Android logcat prints one message as "prefix [-1][<text>]" and indents the following
            // lines by the prefix width; the closing ']' ends the message text.
            if (logcatIndent >= 0)
            {
                if (raw.Length >= logcatIndent && raw.AsSpan(0, logcatIndent).IsWhiteSpace())
                {
                    string continuation = raw[logcatIndent..];
                    if (continuation == LogcatMessageEnd)
                    {
                        logcatIndent = -1;
                        builder.EndSegment();
                    }
                    else
                    {
                        builder.AddLine(number, continuation);
                    }

                    continue;
                }

                logcatIndent = -1;
            }

            if (raw.StartsWith('#'))
            {
                builder.AddComment(raw);
                continue;
            }

            if (raw.StartsWith(FluxCastPrefix, StringComparison.Ordinal))
            {
                string rest = raw[FluxCastPrefix.Length..];
                if (rest.StartsWith(FluxCastResponse, StringComparison.Ordinal))
                {
                    builder.AddLine(number, rest[FluxCastResponse.Length..]);
                }
                else if (rest.StartsWith(FluxCastRequest, StringComparison.Ordinal))
                {
                    builder.AddLine(number, rest[FluxCastRequest.Length..]);
                }
                else if (rest.StartsWith(FluxCastContinuation, StringComparison.Ordinal))
                {
                    builder.AddLine(number, rest[FluxCastContinuation.Length..]);
                }
                else
                {
                    // Log chatter ("TV connected from ...", "<- response for M3_GET_PARAMETER: 200 OK").
                    builder.EndSegment();
                }

                continue;
            }

            if (LogcatPrefix().Match(raw) is { Success: true } logcat)
            {
                string rest = raw[logcat.Length..];
                if (LogcatMessageStart().Match(rest) is { Success: true } start)
                {
                    builder.EndSegment();
                    builder.AddLine(number, rest[start.Length..]);
                    logcatIndent = logcat.Length;
                }
                else
                {
                    // Chatter such as "--> --> --> sendRequest() session[1] ...".
                    builder.EndSegment();
                }

                continue;
            }

            if (raw.StartsWith(MiraclecastOutgoing, StringComparison.Ordinal))
            {
                builder.AddLine(number, raw[MiraclecastOutgoing.Length..]);
                continue;
            }

            if (raw.StartsWith(MiraclecastDebug, StringComparison.Ordinal))
            {
                builder.EndSegment();
                continue;
            }

            if (LazycastMarker().IsMatch(raw))
            {
                // "<--------", "<---M2---": lazycast prints these on their own line before what it received.
                builder.EndSegment();
                continue;
            }

            builder.AddLine(number, raw);
        }

        return builder.Build();
    }

    /// <summary><c>RTSP/1.0 200 OK</c> or <c>METHOD uri RTSP/1.0</c>.</summary>
    public static bool IsStartLine(string line) => StartLine().IsMatch(line);

    /// <summary>A body line of a WFD parameter (never a header): <c>wfd_…</c>, <c>wfd2_…</c>, <c>intel_…</c>, <c>microsoft_…</c>.</summary>
    public static bool IsWfdParameterLine(string line) => WfdParameterLine().IsMatch(line);

    private static string FindDirectory()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, RelativePath);
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"The sink corpus ({RelativePath}) was not found in any parent of {AppContext.BaseDirectory}. "
            + "The repository must be checked out as <X>/main (or a worktree beside it) with <X>/shared next to it, as in CI.");
    }

    [GeneratedRegex(@"^RTSP/\d\.\d \d{3}(?: .*)?$|^[A-Z][A-Z_]* \S+ RTSP/\d\.\d$", RegexOptions.CultureInvariant)]
    private static partial Regex StartLine();

    [GeneratedRegex(@"^(?:wfd|wfd2|wfdx|intel|microsoft)_[A-Za-z0-9_]*(?::.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex WfdParameterLine();

    /// <summary><c>name: value</c> or a name alone; the name is an RTSP-style token.</summary>
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_.\-]*(?::.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterLine();

    [GeneratedRegex(@"^\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} +\d+-\d+/\S+ [VDIWEF]/[^:]+: ", RegexOptions.CultureInvariant)]
    private static partial Regex LogcatPrefix();

    [GeneratedRegex(@"^\[-?\d+\]\[", RegexOptions.CultureInvariant)]
    private static partial Regex LogcatMessageStart();

    [GeneratedRegex(@"^<-{2,}(?:[A-Za-z0-9]+-+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex LazycastMarker();

    [GeneratedRegex(@"\b(?:cut|stops|ends (?:inside|before)|prints only|elision|fragments|start of)\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex CutWords();

    [GeneratedRegex(@"\bcut\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LabelCut();

    [GeneratedRegex(@"\binside\b", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex NoteInside();

    [GeneratedRegex("\"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\bwfd2?_[a-z0-9_]+\b", RegexOptions.CultureInvariant)]
    internal static partial Regex ParameterNameInLabel();

    /// <summary>Collects lines into segments and excerpts while the file is read.</summary>
    private sealed class FileBuilder
    {
        private readonly string _name;
        private readonly List<string> _notes = [];
        private readonly List<Excerpt> _excerpts = [];
        private readonly StringBuilder _label = new();
        private readonly List<(int Number, string Text)> _lines = [];
        private string _segmentLabel = string.Empty;

        public FileBuilder(string name) => _name = name;

        private Excerpt CurrentExcerpt
        {
            get
            {
                if (_excerpts.Count == 0)
                {
                    _excerpts.Add(new Excerpt());
                }

                return _excerpts[^1];
            }
        }

        public void AddComment(string line)
        {
            EndSegment();
            if (line.StartsWith("# origin:", StringComparison.Ordinal))
            {
                _excerpts.Add(new Excerpt());
            }
            else if (line.StartsWith("# ---", StringComparison.Ordinal))
            {
                if (_label.Length > 0)
                {
                    _label.Append(' ');
                }

                _label.Append(line.AsSpan(5).Trim());
            }
            else if (line.StartsWith("# note:", StringComparison.Ordinal) || line.StartsWith("# format:", StringComparison.Ordinal))
            {
                string note = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                _notes.Add(note);
                CurrentExcerpt.Notes.Add(note);
            }
        }

        public void AddLine(int number, string text)
        {
            if (_lines.Count == 0)
            {
                if (text.Length == 0)
                {
                    return;
                }

                _segmentLabel = _label.ToString();
                _label.Clear();
            }

            _lines.Add((number, text));
        }

        public void EndSegment()
        {
            while (_lines.Count > 0 && _lines[^1].Text.Length == 0)
            {
                _lines.RemoveAt(_lines.Count - 1);
            }

            if (_lines.Count > 0)
            {
                CurrentExcerpt.Segments.Add(new PendingSegment(_segmentLabel, [.. _lines]));
            }

            _lines.Clear();
            _segmentLabel = string.Empty;
        }

        public SinkFile Build()
        {
            EndSegment();
            var segments = new List<SinkSegment>();
            for (int excerptIndex = 0; excerptIndex < _excerpts.Count; excerptIndex++)
            {
                Excerpt excerpt = _excerpts[excerptIndex];
                for (int index = 0; index < excerpt.Segments.Count; index++)
                {
                    PendingSegment pending = excerpt.Segments[index];
                    bool lastOfExcerpt = index == excerpt.Segments.Count - 1;
                    bool midLine = lastOfExcerpt && EndsMidLine(excerpt, pending.Lines[^1].Text);
                    bool cut = midLine || LabelCut().IsMatch(pending.Label);
                    segments.Add(BuildSegment(pending, excerptIndex, cut, midLine));
                }
            }

            bool saysCut = _notes.Exists(note => CutWords().IsMatch(note));
            return new SinkFile(_name, _notes, saysCut, _excerpts.Count, segments);
        }

        /// <summary>An excerpt note says the text stops inside something, or quotes the excerpt's last line.</summary>
        private static bool EndsMidLine(Excerpt excerpt, string lastLine) =>
            excerpt.Notes.Exists(note => NoteInside().IsMatch(note)
                || Quoted().Matches(note).Any(quote => quote.Groups[1].Value == lastLine));

        private SinkSegment BuildSegment(PendingSegment pending, int excerpt, bool cut, bool midLine)
        {
            List<string> texts = pending.Lines.Select(line => line.Text).ToList();
            int lineNumber = pending.Lines[0].Number;
            if (IsStartLine(texts[0]))
            {
                IReadOnlyList<SinkMessage> messages = SplitMessages(pending.Lines, cut, midLine);
                return new SinkSegment(SinkSegmentKind.Messages, pending.Label, excerpt, lineNumber, texts, messages);
            }

            if (texts.Exists(IsStartLine))
            {
                throw new InvalidDataException($"{_name}:{lineNumber}: text before the first start line of a segment.");
            }

            SinkSegmentKind kind = texts.TrueForAll(text => ParameterLine().IsMatch(text))
                ? (pending.Label.Contains("body", StringComparison.OrdinalIgnoreCase) ? SinkSegmentKind.ParameterBody : SinkSegmentKind.ParameterLines)
                : SinkSegmentKind.BareValue;
            return new SinkSegment(kind, pending.Label, excerpt, lineNumber, texts, []);
        }

        /// <summary>
        /// Splits at start lines. Headers run to the empty line or, where the log drops it (FluxCast),
        /// to the first <c>wfd_…</c> line; the body runs to the next start line, trailing empty lines
        /// removed. Only the segment's last message can end at a cut.
        /// </summary>
        private List<SinkMessage> SplitMessages(IReadOnlyList<(int Number, string Text)> lines, bool cut, bool midLine)
        {
            var messages = new List<SinkMessage>();
            int index = 0;
            while (index < lines.Count)
            {
                if (lines[index].Text.Length == 0)
                {
                    index++;
                    continue;
                }

                (int number, string startLine) = lines[index];
                if (!IsStartLine(startLine))
                {
                    throw new InvalidDataException($"{_name}:{number}: expected a start line, found \"{startLine}\".");
                }

                index++;
                var headers = new List<string>();
                while (index < lines.Count && lines[index].Text.Length > 0 && !IsStartLine(lines[index].Text) && !IsWfdParameterLine(lines[index].Text))
                {
                    headers.Add(lines[index].Text);
                    index++;
                }

                bool emptyLineLogged = index < lines.Count && lines[index].Text.Length == 0;
                if (emptyLineLogged)
                {
                    index++;
                }

                var body = new List<string>();
                while (index < lines.Count && !IsStartLine(lines[index].Text))
                {
                    body.Add(lines[index].Text);
                    index++;
                }

                while (body.Count > 0 && body[^1].Length == 0)
                {
                    body.RemoveAt(body.Count - 1);
                }

                bool last = index == lines.Count;
                messages.Add(BuildMessage(number, startLine, headers, body, last && cut, last && midLine, emptyLineLogged));
            }

            return messages;
        }

        private static SinkMessage BuildMessage(int number, string startLine, List<string> headers, List<string> body, bool cut, bool midLine, bool emptyLineLogged)
        {
            var text = new StringBuilder();
            text.Append(startLine).Append("\r\n");
            foreach (string header in headers)
            {
                text.Append(header).Append("\r\n");
            }

            // A whole message always has its empty line; a cut one only if the log shows that the body began.
            bool headerBlockEnded = !cut || emptyLineLogged || body.Count > 0;
            if (headerBlockEnded)
            {
                text.Append("\r\n");
            }

            int bodyOffset = Encoding.UTF8.GetByteCount(text.ToString());
            foreach (string line in body)
            {
                text.Append(line).Append("\r\n");
            }

            if (midLine)
            {
                text.Length -= 2;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
            return new SinkMessage(number, startLine, headers, body, cut, midLine, bytes, Math.Min(bodyOffset, bytes.Length));
        }

        private sealed class Excerpt
        {
            public List<string> Notes { get; } = [];

            public List<PendingSegment> Segments { get; } = [];
        }

        private sealed record PendingSegment(string Label, IReadOnlyList<(int Number, string Text)> Lines);
    }
}
