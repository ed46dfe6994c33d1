using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;
using Miraflow.Simulator.Cli;
using Miraflow.Simulator.Os;

namespace Miraflow.Simulator.Demo;

/// <summary>What <c>miraflow source</c> was asked to do.</summary>
/// <param name="Listen">Where to accept the sink's RTSP connection.</param>
/// <param name="Seconds">How long to stream; 0 = until the session ends.</param>
/// <param name="Bitrate">The link rate given to Start and in the data-rate notifications (bit/s).</param>
/// <param name="DriverPath">A native driver library, or null for the in-process driver.</param>
/// <param name="AllowRemote">Whether a non-loopback listen address is allowed.</param>
/// <param name="ReportPath">Where to write the JSON summary (<see cref="RunReport"/>) once the session has run, or null.</param>
public sealed record SourceOptions(IPEndPoint Listen, int Seconds, ulong Bitrate, string? DriverPath, bool AllowRemote, string? ReportPath = null);

/// <summary>
/// The real Miracast direction: the emulated OS listens, a WFD sink connects, and the OS creates
/// and starts the driver's session with the accepted socket; it stops and destroys it after the
/// streaming time, or when the driver reports that the session ended (the sink left, missed a
/// keep-alive, …).
/// </summary>
public sealed class SourceRunner(SourceOptions options, SessionView view)
{
    /// <summary>Runs it; returns the exit code and the closing line, or throws <see cref="CliException"/>.</summary>
    public async Task<(int ExitCode, string Message)> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IPAddress.IsLoopback(options.Listen.Address) && !options.AllowRemote)
        {
            throw new CliException(ExitCodes.Usage, $"--listen {options.Listen} is not a loopback address; add --allow-remote to accept sinks from other machines.");
        }

        DriverLibrary driver = DriverSetup.Load(options.DriverPath);
        await using MemorySampler memory = MemorySampler.Start();
        // A source may serve a sink for hours: the emulator keeps its latest records only, and every
        // figure here comes from its counters.
        using var os = new OsEmulator(driver, new OsEmulatorOptions { MaxRecords = 2_000, RecordedCaptures = 0 });
        os.DataRate = DriverSetup.DataRate(options.Bitrate);
        using var listener = new Socket(options.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(options.Listen);
            listener.Listen(1);
        }
        catch (SocketException e)
        {
            throw new CliException(ExitCodes.SessionFailed, $"cannot listen on {options.Listen}: {e.Message}.", e);
        }

        view.Message($"listening on {listener.LocalEndPoint} for a WFD sink (driver: {driver.Description}, link {Arguments.FormatBitrate(options.Bitrate)})");
        using Socket accepted = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
        listener.Close(); // one sink per run
        view.Message($"sink connected from {accepted.RemoteEndPoint}");
        int created = os.Create();
        if (!Windows.NT_SUCCESS(created))
        {
            throw new CliException(ExitCodes.SessionFailed, $"CreateMiracastContext failed: {DriverSetup.Describe(created)}.");
        }

        MIRACAST_WFD_CONNECTION_STATS stats = DriverSetup.ConnectionStats(options.Bitrate);
        (int started, MIRACAST_SESSION_INFO info) = await Task.Run(() => (os.Start(accepted, stats, out MIRACAST_SESSION_INFO i), i), CancellationToken.None).ConfigureAwait(false);
        if (!Windows.NT_SUCCESS(started))
        {
            os.Destroy();
            throw new CliException(ExitCodes.SessionFailed, $"StartMiracastSession failed: {DriverSetup.Describe(started)}.");
        }

        view.Message(string.Create(CultureInfo.InvariantCulture, $"session started in {os.StartDuration.TotalMilliseconds:F0} ms (monitor connected: {info.MonitorConnected})"));
        (MIRACAST_STATUS Status, int NtStatus)? ended = null;
        var sampler = new SessionSampler(os, sink: null);
        bool announced = false;
        await view.RunAsync(async report =>
        {
            long begun = Stopwatch.GetTimestamp();
            for (int second = 1; options.Seconds == 0 || second <= options.Seconds; second++)
            {
                TimeSpan wait = TimeSpan.FromSeconds(second) - Stopwatch.GetElapsedTime(begun);
                Task tick = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken);
                Task first = await Task.WhenAny(tick, os.SessionStatusReported).ConfigureAwait(false);
                if (first != tick)
                {
                    ended = await os.SessionStatusReported.ConfigureAwait(false);
                    report(sampler.Sample($"ended: {DriverSetup.Describe(ended.Value.Status, ended.Value.NtStatus)}"));
                    return;
                }

                if (tick.IsCanceled)
                {
                    return;
                }

                if (!announced && os.Monitor is MonitorArrivalMessage monitor)
                {
                    announced = true;
                    view.Message(string.Create(CultureInfo.InvariantCulture, $"monitor arrived: {monitor.Width}x{monitor.Height} at {monitor.FramesPerSecond} fps"));
                }

                report(sampler.Sample(os.Monitor is null ? "negotiating" : "streaming"));
            }
        }).ConfigureAwait(false);

        double streamed = Stopwatch.GetElapsedTime(sampler.Started).TotalSeconds;
        await Task.Run(os.Stop, CancellationToken.None).ConfigureAwait(false);
        await Task.Run(os.Destroy, CancellationToken.None).ConfigureAwait(false);
        string closed = string.Create(CultureInfo.InvariantCulture, $"Stop {os.StopDuration.TotalMilliseconds:F0} ms, Destroy {os.DestroyDuration.TotalMilliseconds:F0} ms, {sampler.Frames} frames sent");
        if (options.ReportPath is string reportPath)
        {
            MemoryFigures figures = await memory.StopAsync().ConfigureAwait(false);
            string how = ended is not null ? "driver" : cancellationToken.IsCancellationRequested ? "interrupted" : "time";
            await RunReport.WriteAsync(reportPath, w => WriteReport(w, os, how, ended, streamed, figures)).ConfigureAwait(false);
        }

        if (os.Violations.Count > 0)
        {
            throw new CliException(ExitCodes.CheckFailed, $"the driver broke the contract: {string.Join("; ", os.Violations)}");
        }

        if (ended is (MIRACAST_STATUS status, int ntStatus))
        {
            string message = string.Create(CultureInfo.InvariantCulture, $"the session ended after {streamed:F1} s: {DriverSetup.Describe(status, ntStatus)}; {closed}");
            return status == MIRACAST_STATUS.MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST && options.Seconds == 0
                ? (ExitCodes.Success, message)
                : throw new CliException(ExitCodes.SessionFailed, message);
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return (ExitCodes.SessionFailed, $"interrupted after {streamed:F1} s; {closed}");
        }

        return (ExitCodes.Success, string.Create(CultureInfo.InvariantCulture, $"streamed {options.Seconds} s, stopped: {closed}"));
    }

    /// <summary>The JSON summary of <c>--report</c> (docs/simulator.md, "Reports").</summary>
    private static void WriteReport(System.Text.Json.Utf8JsonWriter w, OsEmulator os, string how, (MIRACAST_STATUS Status, int NtStatus)? ended, double streamed, MemoryFigures memory)
    {
        w.WriteString("ended", how);
        w.WriteString("status", ended?.Status.ToString());
        if (ended is (_, int ntStatus))
        {
            w.WriteString("ntStatus", string.Create(CultureInfo.InvariantCulture, $"0x{ntStatus:X8}"));
        }
        else
        {
            w.WriteNull("ntStatus");
        }

        w.WriteNumber("seconds", Math.Round(streamed, 2));
        w.WriteNumber("framesSent", os.FramesReportedSent);
        w.WriteNumber("chunksSent", os.StatisticCount(MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT));
        w.WriteNumber("framesDropped", os.FramesDropped + os.StatisticCount(MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE, MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED));
        w.WriteNumber("idrRequestEvents", os.ProtocolEventCount(MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_IFRAME_RQ));
        w.WriteNumber("kernelIdrRequests", os.IdrRequests);
        w.WriteNumber("violations", os.Violations.Count);
        w.WriteNumber("managedPeakBytes", memory.ManagedPeakBytes);
        w.WriteNumber("managedFinalBytes", memory.ManagedFinalBytes);
        w.WriteNumber("gcHeapPeakBytes", memory.GcHeapPeakBytes);
        w.WriteNumber("rssPeakBytes", memory.RssPeakBytes);
        w.WriteNumber("rssFinalBytes", memory.RssFinalBytes);
        w.WriteNumber("memorySamples", memory.Samples);
    }
}
