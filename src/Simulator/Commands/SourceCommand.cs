using System.CommandLine;
using System.Net;
using Miraflow.Simulator.Cli;
using Miraflow.Simulator.Demo;

namespace Miraflow.Simulator.Commands;

/// <summary>
/// <c>miraflow source --listen HOST:PORT</c>: the emulated OS waits for a WFD sink and serves it
/// with the driver (docs/simulator.md).
/// </summary>
public static class SourceCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var listen = new Option<string>("--listen")
        {
            Description = "Where to accept the sink's RTSP connection, HOST:PORT (WFD's port is 7236); loopback unless --allow-remote",
            Required = true,
        };
        listen.Validators.Add(r =>
        {
            string? value = r.GetValueOrDefault<string>();
            if (!Arguments.TryParseEndPoint(value, out _))
            {
                r.AddError($"--listen '{value}' is not an address and port (127.0.0.1:7236).");
            }
        });
        var allowRemote = new Option<bool>("--allow-remote") { Description = "Accept a listen address that is not loopback (the session is then reachable from the network)" };
        Option<int> seconds = Arguments.Seconds(0, "How long to stream; 0 = until the session ends (the sink leaves)");
        Option<string> bitrate = Arguments.Bitrate("8M");
        Option<string?> driver = Arguments.Driver();
        Option<string?> report = Arguments.Report();

        var command = new Command("source", "Wait for a WFD sink on TCP and serve it: the emulated OS starts the driver's session with the accepted socket");
        foreach (Option option in (Option[])[listen, allowRemote, seconds, bitrate, driver, report])
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            _ = Arguments.TryParseEndPoint(result.GetValue(listen), out IPEndPoint endPoint);
            var options = new SourceOptions(endPoint, result.GetValue(seconds), Arguments.GetBitrate(result, bitrate), result.GetValue(driver), result.GetValue(allowRemote), result.GetValue(report));
            TextWriter output = result.InvocationConfiguration.Output;
            (int exitCode, string message) = await new SourceRunner(options, SessionView.For(output)).RunAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"miraflow source: {message}").ConfigureAwait(false);
            return exitCode;
        });
        return command;
    }
}
