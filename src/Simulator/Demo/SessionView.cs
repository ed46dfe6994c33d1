using System.Globalization;
using Spectre.Console;

namespace Miraflow.Simulator.Demo;

/// <summary>
/// Where a session command shows its progress: a Spectre.Console live table on a terminal, one
/// plain line per sample otherwise (pipes, files, tests). Messages and the summary go to the
/// same output.
/// </summary>
public abstract class SessionView
{
    /// <summary>The plain view on <paramref name="output"/>, or the live table when <paramref name="output"/> is a terminal's standard output.</summary>
    public static SessionView For(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        return terminal ? new LiveTableView(output) : new PlainView(output);
    }

    /// <summary>Runs <paramref name="body"/>, which reports samples through the action it is given.</summary>
    public abstract Task RunAsync(Func<Action<SessionSample>, Task> body);

    /// <summary>One line of information.</summary>
    public abstract void Message(string line);

    /// <summary>The closing table: one row per figure.</summary>
    public abstract void Summary(string title, IReadOnlyList<(string Name, string Value)> rows);

    /// <summary>A sample as one line: <c>[  3 s] streaming  30.0 fps  7.95 Mbit/s  drops 0  latency p50 21.4 ms p99 35.0 ms</c>.</summary>
    public static string Format(SessionSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        var line = new System.Text.StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"[{sample.Elapsed.TotalSeconds,5:F1} s] {sample.State}  {sample.FramesSent} frames sent  {sample.FramesPerSecond:F1} fps");
        if (sample.BitsPerSecond is double bits)
        {
            line.Append("  ").Append(Arguments.FormatBitrate(bits));
        }

        if (sample.EncoderKbps > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $"  encoder {sample.EncoderKbps} kbit/s");
        }

        line.Append(CultureInfo.InvariantCulture, $"  drops {sample.Drops}");
        if (sample.LatencyP50 is double p50 && sample.LatencyP99 is double p99)
        {
            line.Append(CultureInfo.InvariantCulture, $"  latency p50 {p50:F2} ms p99 {p99:F2} ms");
        }

        if (sample.SinkProblems is long problems)
        {
            line.Append(CultureInfo.InvariantCulture, $"  sink errors {problems}");
        }

        return line.ToString();
    }

    private sealed class PlainView(TextWriter output) : SessionView
    {
        public override Task RunAsync(Func<Action<SessionSample>, Task> body) => body(s => output.WriteLine(Format(s)));

        public override void Message(string line) => output.WriteLine(line);

        public override void Summary(string title, IReadOnlyList<(string Name, string Value)> rows)
        {
            output.WriteLine(title);
            int width = rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length);
            foreach ((string name, string value) in rows)
            {
                output.WriteLine($"  {(name + ":").PadRight(width + 1)} {value}");
            }
        }
    }

    private sealed class LiveTableView(TextWriter output) : SessionView
    {
        private readonly IAnsiConsole _console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });

        public override async Task RunAsync(Func<Action<SessionSample>, Task> body)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumn("Session").AddColumn("Value");
            await _console.Live(table).StartAsync(async context =>
            {
                await body(sample =>
                {
                    table.Rows.Clear();
                    foreach ((string name, string value) in Rows(sample))
                    {
                        table.AddRow(Markup.Escape(name), Markup.Escape(value));
                    }

                    context.Refresh();
                }).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        public override void Message(string line) => _console.MarkupLine(Markup.Escape(line));

        public override void Summary(string title, IReadOnlyList<(string Name, string Value)> rows)
        {
            var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).AddColumn("Figure").AddColumn("Value");
            foreach ((string name, string value) in rows)
            {
                table.AddRow(Markup.Escape(name), Markup.Escape(value));
            }

            _console.Write(table);
        }

        private static IEnumerable<(string, string)> Rows(SessionSample s)
        {
            yield return ("state", s.State);
            yield return ("elapsed", string.Create(CultureInfo.InvariantCulture, $"{s.Elapsed.TotalSeconds:F0} s"));
            yield return ("frames sent", string.Create(CultureInfo.InvariantCulture, $"{s.FramesSent} ({s.FramesPerSecond:F1} fps)"));
            if (s.BitsPerSecond is double bits)
            {
                yield return ("bitrate at the sink", Arguments.FormatBitrate(bits));
            }

            if (s.EncoderKbps > 0)
            {
                yield return ("encoder target", string.Create(CultureInfo.InvariantCulture, $"{s.EncoderKbps} kbit/s"));
            }

            yield return ("drops", string.Create(CultureInfo.InvariantCulture, $"{s.Drops}"));
            if (s.LatencyP50 is double p50 && s.LatencyP99 is double p99)
            {
                yield return ("latency p50 / p99", string.Create(CultureInfo.InvariantCulture, $"{p50:F2} ms / {p99:F2} ms"));
            }

            if (s.SinkProblems is long problems)
            {
                yield return ("sink errors (gaps + CC)", string.Create(CultureInfo.InvariantCulture, $"{problems}"));
            }
        }
    }
}
