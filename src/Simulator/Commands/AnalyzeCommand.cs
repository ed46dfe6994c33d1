using System.CommandLine;
using System.Text;
using System.Text.Json;
using Miraflow.Pipeline.Ts;
using Miraflow.Simulator.Analysis;
using Miraflow.Simulator.Cli;

namespace Miraflow.Simulator.Commands;

/// <summary>
/// <c>miraflow analyze FILE.ts [--json]</c>: streams a transport stream through
/// <see cref="TsAnalyzer"/> and prints the report; exit 0 when clean, 1 with errors, 3 when the
/// file is missing or is not a transport stream (docs/simulator.md).
/// </summary>
public static class AnalyzeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The MPEG-TS file (188-byte packets)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table" };
        var command = new Command("analyze", "Check an MPEG-TS file: sync, PSI, continuity, PCR, PTS/DTS, H.264 frames");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            string path = parsed.GetRequiredValue(file);
            TsAnalysisReport report;
            try
            {
                var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
                await using (stream.ConfigureAwait(false))
                {
                    report = await TsAnalyzer.AnalyzeAsync(stream, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException(ExitCodes.BadInput, $"cannot read '{path}': {e.Message}", e);
            }

            if (report.Packets == 0)
            {
                throw new CliException(ExitCodes.BadInput, report.Bytes < TsPacket.Size
                    ? $"'{path}' is not an MPEG-TS file: {report.Bytes} bytes, less than one 188-byte packet"
                    : $"'{path}' is not an MPEG-TS file: no 0x47 sync byte repeats every 188 bytes");
            }

            TextWriter output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(json))
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    TsReportWriter.WriteJson(writer, report, path);
                }

                await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
            }
            else
            {
                await output.WriteAsync(TsReportWriter.ToText(report, path)).ConfigureAwait(false);
            }

            return report.IsClean ? ExitCodes.Success : ExitCodes.CheckFailed;
        });
        return command;
    }
}
