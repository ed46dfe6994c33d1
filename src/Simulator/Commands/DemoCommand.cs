using System.CommandLine;
using Miraflow.Rtsp.Parameters;
using Miraflow.Simulator.Cli;
using Miraflow.Simulator.Demo;

namespace Miraflow.Simulator.Commands;

/// <summary>
/// <c>miraflow demo</c>: the emulated OS runs the driver against the built-in sink on loopback,
/// shows the session live, prints a summary, writes the capture and checks it (docs/simulator.md).
/// </summary>
public static class DemoCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        Option<int> seconds = Arguments.Seconds(10, "How long to stream once media reaches the sink");
        Option<string> mode = Arguments.Mode("1920x1080p30", "The mode the sink advertises, its only one, so the negotiated mode (WxHp|iRATE from the CEA, VESA or HH table)");
        Option<string> bitrate = Arguments.Bitrate("8M");
        var input = new Option<string?>("--input")
        {
            Description = "Present this raw 4:2:0 file (I420 .yuv, or NV12 when named .nv12) of the mode's size, looped, instead of the test picture",
        };
        var output = new Option<string>("--out")
        {
            Description = "Where to write the MPEG-TS the sink received",
            DefaultValueFactory = _ => "capture.ts",
        };
        Option<string?> driver = Arguments.Driver();
        var latencyCsv = new Option<string?>("--latency-csv")
        {
            Description = "Also write each frame's capture, send and arrival times (Stopwatch ticks) to this CSV file",
        };

        Option<string?> maxCapture = Arguments.MaxCapture();

        var command = new Command("demo", "Stream the test picture through the driver, under the emulated OS, to the built-in sink on loopback; check and save what it received");
        foreach (Option option in (Option[])[seconds, mode, bitrate, input, output, driver, latencyCsv, maxCapture])
        {
            command.Options.Add(option);
        }

        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            _ = Arguments.TryParseMode(result.GetValue(mode), out VideoMode videoMode);
            var options = new DemoOptions(
                result.GetValue(seconds),
                videoMode,
                Arguments.GetBitrate(result, bitrate),
                result.GetValue(input),
                result.GetValue(output) ?? "capture.ts",
                result.GetValue(driver),
                result.GetValue(latencyCsv),
                Arguments.GetMaxCapture(result, maxCapture));
            TextWriter writer = result.InvocationConfiguration.Output;
            SessionView view = SessionView.For(writer);
            DemoReport report = await new DemoRunner(options, view).RunAsync(cancellationToken).ConfigureAwait(false);
            view.Summary("miraflow demo: summary", report.Rows);
            CliException.ThrowIfChecksFailed(report.Failures);
            return ExitCodes.Success;
        });
        return command;
    }
}
