using System.CommandLine;
using System.Net;
using Miraflow.Simulator.Cli;
using Miraflow.Simulator.Demo;

namespace Miraflow.Simulator.Commands;

/// <summary><c>miraflow sink --connect HOST:PORT</c>: our WFD sink emulator against any source (docs/simulator.md).</summary>
public static class SinkCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var connect = new Option<string>("--connect")
        {
            Description = "The WFD source's RTSP endpoint, HOST:PORT (127.0.0.1:7236)",
            Required = true,
        };
        connect.Validators.Add(r =>
        {
            string? value = r.GetValueOrDefault<string>();
            if (!Arguments.TryParseEndPoint(value, out _))
            {
                r.AddError($"--connect '{value}' is not an address and port (127.0.0.1:7236).");
            }
        });
        var caps = new Option<string?>("--caps") { Description = "Answer M3 with the wfd_* lines of this file (other lines are ignored); default: a 1080p60 TV" };
        var output = new Option<string>("--out") { Description = "Where to write the MPEG-TS received", DefaultValueFactory = _ => "capture.ts" };
        Option<int> seconds = Arguments.Seconds(0, "How long to stay, then send TEARDOWN; 0 = until the source ends the session");
        var requestIdr = new Option<bool>("--request-idr")
        {
            Description = "Ask the source for an IDR picture (M13) when RTP packets or TS packets are lost, at most one request per 500 ms (--request-idr false: only watch)",
            DefaultValueFactory = _ => true,
        };
        Option<string?> report = Arguments.Report();
        Option<string?> maxCapture = Arguments.MaxCapture();

        var command = new Command("sink", "Connect our WFD sink emulator to a source: negotiate, receive, check the RTP/TS stream and save it");
        foreach (Option option in (Option[])[connect, caps, output, seconds, requestIdr, report, maxCapture])
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            _ = Arguments.TryParseEndPoint(result.GetValue(connect), out IPEndPoint endPoint);
            var options = new SinkOptions(endPoint, result.GetValue(caps), result.GetValue(output) ?? "capture.ts", result.GetValue(seconds), result.GetValue(requestIdr), result.GetValue(report), Arguments.GetMaxCapture(result, maxCapture));
            TextWriter writer = result.InvocationConfiguration.Output;
            (int exitCode, string message) = await new SinkRunner(options, SessionView.For(writer)).RunAsync(cancellationToken).ConfigureAwait(false);
            await writer.WriteLineAsync($"miraflow sink: {message}").ConfigureAwait(false);
            return exitCode;
        });
        return command;
    }
}
