using System.CommandLine;
using Miraflow.Rtsp.Parameters;
using Miraflow.Simulator.Cli;
using Miraflow.Simulator.Demo;
using Miraflow.Simulator.Stability;

namespace Miraflow.Simulator.Commands;

/// <summary>
/// <c>miraflow stability</c>: one long session (HLK "Verify Stability": 120 minutes by hand, 2 in
/// CI) with the process sampled as it runs; fails when the session ends, stalls or loses data, or
/// when memory is not flat (docs/simulator.md).
/// </summary>
public static class StabilityCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var minutes = new Option<double>("--minutes")
        {
            Description = "How long to stream (the HLK test runs 120)",
            DefaultValueFactory = _ => 120,
        };
        minutes.Validators.Add(r =>
        {
            double value = r.GetValueOrDefault<double>();
            if (!(value is > 0 and <= 7 * 24 * 60))
            {
                r.AddError($"--minutes {value} is not in (0, 10080].");
            }
        });
        var interval = new Option<int>("--interval")
        {
            Description = "Seconds between samples of the process (a full garbage collection each)",
            DefaultValueFactory = _ => 30,
        };
        interval.Validators.Add(r =>
        {
            int value = r.GetValueOrDefault<int>();
            if (value is < 1 or > 3600)
            {
                r.AddError($"--interval {value} is not 1–3600 seconds.");
            }
        });
        Option<string> mode = Arguments.Mode("1280x720p30", "The sink's only mode, so the negotiated one");
        Option<string> bitrate = Arguments.Bitrate("8M");
        var csv = new Option<string?>("--csv") { Description = "Also write every sample to this CSV file" };
        Option<string?> driver = Arguments.Driver();

        var command = new Command("stability", "Stream one session for a long time (HLK Verify Stability) and check that it stays up, keeps sending, loses nothing and keeps memory flat");
        foreach (Option option in (Option[])[minutes, interval, mode, bitrate, csv, driver])
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            _ = Arguments.TryParseMode(result.GetValue(mode), out VideoMode videoMode);
            var options = new StabilityOptions(
                TimeSpan.FromMinutes(result.GetValue(minutes)),
                videoMode,
                Arguments.GetBitrate(result, bitrate),
                TimeSpan.FromSeconds(result.GetValue(interval)),
                result.GetValue(csv),
                result.GetValue(driver));
            TextWriter writer = result.InvocationConfiguration.Output;
            SessionView view = SessionView.For(writer);
            StabilityReport report = await new StabilityRunner(options, view).RunAsync(cancellationToken).ConfigureAwait(false);
            view.Summary("miraflow stability: summary", report.Rows);
            CliException.ThrowIfChecksFailed(report.Failures);
            return ExitCodes.Success;
        });
        return command;
    }
}
