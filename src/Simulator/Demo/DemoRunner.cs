using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Sources;
using Miraflow.Rtsp.Parameters;
using Miraflow.Simulator.Analysis;
using Miraflow.Simulator.Cli;
using Miraflow.Simulator.Os;
using Miraflow.Simulator.Sink;

namespace Miraflow.Simulator.Demo;

/// <summary>What <c>miraflow demo</c> was asked to do.</summary>
/// <param name="Seconds">How long to stream after the sink first receives media.</param>
/// <param name="Mode">The mode the sink advertises (its only one), so the negotiated mode.</param>
/// <param name="Bitrate">The link rate given to Start and in the data-rate notifications (bit/s).</param>
/// <param name="Input">A raw YUV file to present instead of the test picture, or null.</param>
/// <param name="Out">Where the capture is written.</param>
/// <param name="DriverPath">A native driver library, or null for the in-process driver.</param>
/// <param name="LatencyCsv">Where to write the per-frame timings, or null.</param>
/// <param name="MaxCaptureBytes">How much of the received MPEG-TS the sink writes to <paramref name="Out"/> (<c>--max-capture</c>; default all of it); a run that outgrows it fails its checks.</param>
public sealed record DemoOptions(int Seconds, VideoMode Mode, ulong Bitrate, string? Input, string Out, string? DriverPath, string? LatencyCsv, long MaxCaptureBytes = long.MaxValue);

/// <summary>What a demo run measured and whether it passed.</summary>
/// <param name="Rows">The summary, figure by figure, as printed.</param>
/// <param name="Latency">Capture-to-sink latency and its matching.</param>
/// <param name="Failures">Every check that failed (empty when the run passed).</param>
public sealed record DemoReport(IReadOnlyList<(string Name, string Value)> Rows, LatencyReport Latency, IReadOnlyList<string> Failures);

/// <summary>
/// The whole chain on loopback: the OS emulator loads the driver, creates a context, accepts a
/// TCP connection from our sink emulator (which advertises exactly the requested mode) and starts
/// the session with that socket; the simulated GPU presents; after the streaming time the OS
/// stops and destroys the session. Then it checks what the sink received and writes the capture.
/// </summary>
public sealed class DemoRunner(DemoOptions options, SessionView view)
{
    private static readonly TimeSpan StreamingTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Runs the demo; throws <see cref="CliException"/> when it cannot run (bad input, a session that does not start).</summary>
    public async Task<DemoReport> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        string caps = Arguments.SinkCapabilitiesFor(options.Mode);
        IFrameSource? input = DriverSetup.OpenInput(options.Input, options.Mode);
        try
        {
            DriverLibrary driver = DriverSetup.Load(options.DriverPath);
            using var os = new OsEmulator(driver, new OsEmulatorOptions { FrameSource = input });
            os.DataRate = DriverSetup.DataRate(options.Bitrate);
            view.Message($"driver: {driver.Description}; sink: {options.Mode} H.264 CBP {H264LevelLimits.ToDisplayString(H264LevelLimits.LowestCarrying(options.Mode))}, LPCM 48 kHz; link {Arguments.FormatBitrate(options.Bitrate)}; picture: {options.Input ?? "the test picture"}");
            int created = os.Create();
            if (!Windows.NT_SUCCESS(created))
            {
                throw new CliException(ExitCodes.SessionFailed, $"CreateMiracastContext failed: {DriverSetup.Describe(created)}.");
            }

            (Socket osSocket, Socket sinkSocket) = await ConnectPairAsync(cancellationToken).ConfigureAwait(false);
            using (osSocket)
            using (sinkSocket)
            {
                var sinkOptions = new SinkEmulatorOptions
                {
                    Capabilities = SinkEmulatorOptions.FromText(caps).Capabilities,
                    CaptureFile = options.Out, // written as it arrives: a long demo stays flat in memory
                    MaxCaptureBytes = options.MaxCaptureBytes,
                };
                SinkEmulator sink;
                try
                {
                    sink = SinkEmulator.Start(sinkSocket, sinkOptions);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw CliException.CannotWriteOut(options.Out, e); // disposing the OS emulator destroys the context
                }

                await using (sink.ConfigureAwait(false))
                {
                    return await RunSessionAsync(os, osSocket, sink, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (input is not null)
            {
                await input.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<DemoReport> RunSessionAsync(OsEmulator os, Socket osSocket, SinkEmulator sink, CancellationToken cancellationToken)
    {
        MIRACAST_WFD_CONNECTION_STATS stats = DriverSetup.ConnectionStats(options.Bitrate);
        (int started, MIRACAST_SESSION_INFO info) = await Task.Run(() => (os.Start(osSocket, stats, out MIRACAST_SESSION_INFO i), i), CancellationToken.None).ConfigureAwait(false);
        if (!Windows.NT_SUCCESS(started))
        {
            os.Destroy();
            throw new CliException(ExitCodes.SessionFailed, $"StartMiracastSession failed: {DriverSetup.Describe(started)}.");
        }

        view.Message(string.Create(CultureInfo.InvariantCulture, $"session started in {os.StartDuration.TotalMilliseconds:F0} ms (monitor connected: {info.MonitorConnected}); negotiated {sink.Format?.Mode?.ToString() ?? "?"}"));
        Task streaming = sink.Streaming;
        Task first = await Task.WhenAny(streaming, os.SessionStatusReported, Task.Delay(StreamingTimeout, cancellationToken)).ConfigureAwait(false);
        if (first != streaming || !streaming.IsCompletedSuccessfully)
        {
            os.Stop();
            os.Destroy();
            string why = $"no media reached the sink within {StreamingTimeout.TotalSeconds:F0} s";
            if (os.SessionStatusReported.IsCompletedSuccessfully)
            {
                (MIRACAST_STATUS status, int ntStatus) = await os.SessionStatusReported.ConfigureAwait(false);
                why = DriverSetup.Describe(status, ntStatus);
            }

            throw new CliException(ExitCodes.SessionFailed, $"the session did not stream: {why}.");
        }

        var sampler = new SessionSampler(os, sink);
        string? ended = null;
        await view.RunAsync(async report =>
        {
            long begun = Stopwatch.GetTimestamp();
            for (int second = 1; second <= options.Seconds && !cancellationToken.IsCancellationRequested; second++)
            {
                TimeSpan wait = TimeSpan.FromSeconds(second) - Stopwatch.GetElapsedTime(begun);
                Task tick = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, CancellationToken.None);
                if (await Task.WhenAny(tick, os.SessionStatusReported).ConfigureAwait(false) != tick)
                {
                    (MIRACAST_STATUS status, int ntStatus) = await os.SessionStatusReported.ConfigureAwait(false);
                    ended = DriverSetup.Describe(status, ntStatus);
                    report(sampler.Sample($"ended: {ended}"));
                    return;
                }

                report(sampler.Sample("streaming"));
            }
        }).ConfigureAwait(false);

        view.Message("stopping");
        await Task.Run(os.Stop, CancellationToken.None).ConfigureAwait(false);
        await WaitUntilQuietAsync(sink).ConfigureAwait(false);
        await Task.Run(os.Destroy, CancellationToken.None).ConfigureAwait(false);
        SinkEnded? sinkEnded = null;
        try
        {
            sinkEnded = await sink.Ended.WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Reported as "-": the driver's TEARDOWN did not end the sink's session in time.
        }

        return await FinishAsync(os, sink, ended, sinkEnded).ConfigureAwait(false);
    }

    private async Task<DemoReport> FinishAsync(OsEmulator os, SinkEmulator sink, string? ended, SinkEnded? sinkEnded)
    {
        IReadOnlyList<StatisticRecord> statistics = os.Statistics;
        IReadOnlyList<(ulong Frame, long Sent)> sent = Latency.SentFrames(statistics);
        // The source has stopped: the recording ends the capture file, holding exactly what it counts.
        SinkRecording recording = sink.Recording();
        long[] arrivals = recording.VideoPesArrivals;
        LatencyReport latency = Latency.Match(sent, f => os.TryGetCaptureTimestamp(f, out long c) ? c : null, arrivals, final: true);
        SinkStatistics received = recording.Statistics;
        if (options.LatencyCsv is not null)
        {
            await WriteCsvAsync(options.LatencyCsv, latency).ConfigureAwait(false);
        }

        long droppedReports = Latency.DroppedReports(statistics);
        double seconds = sent.Count > 1 ? Latency.Milliseconds(sent[^1].Sent - sent[0].Sent) / 1000 : 0;
        var failures = new List<string>();
        if (ended is not null)
        {
            failures.Add($"the session ended early: {ended}");
        }

        if (sent.Count == 0)
        {
            failures.Add("no frame was sent");
        }

        if (!received.IsLossless)
        {
            failures.Add($"the sink saw losses or damage ({received.SequenceGaps} sequence gaps, {received.ContinuityErrors} CC errors, {received.OutOfOrder} out of order, {received.SyncErrors} sync errors, {received.NonRtp} non-RTP)");
        }

        if (recording.CaptureError is string writeError)
        {
            failures.Add(Invariant($"writing the capture failed after {received.CapturedBytes} bytes: {writeError}"));
        }
        else if (received.CaptureTruncated)
        {
            // The checks below judge the capture against everything that arrived: a cut capture fails them all.
            failures.Add(Invariant($"the stream outgrew the capture (--max-capture {options.MaxCaptureBytes} bytes), so the demo cannot check all of it: raise --max-capture or shorten --seconds ({received.Bytes} bytes arrived)"));
        }

        // Our analyzer judges the capture as a file: PSI, continuity, timestamps, frames.
        TsAnalysisReport analysis;
        await using (var file = new FileStream(options.Out, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan))
        {
            analysis = await TsAnalyzer.AnalyzeAsync(file, CancellationToken.None).ConfigureAwait(false);
        }

        failures.AddRange(analysis.Findings.Where(f => f.Severity == TsFindingSeverity.Error).Select(f => $"analyzer: {f.Message}"));
        if (analysis.Video is { } video && video.Frames != arrivals.Length)
        {
            failures.Add(Invariant($"analyzer: {video.Frames} video frames in the capture, the sink completed {arrivals.Length} PES"));
        }

        failures.AddRange(latency.Problems.Select(p => $"latency: {p}"));
        failures.AddRange(os.Violations.Select(v => $"contract violation: {v}"));
        failures.AddRange(os.Errors.Select(e => $"emulator error: {e}"));

        var rows = new List<(string, string)>
        {
            ("mode", sink.Format?.Mode?.ToString() ?? "?"),
            ("frames produced", Invariant($"{os.FramesProduced}")),
            ("frames sent", Invariant($"{sent.Count}")),
            ("frames dropped", Invariant($"{os.FramesDropped + droppedReports} (KMD {os.FramesDropped}, driver {droppedReports})")),
            ("video PES at the sink", Invariant($"{arrivals.Length}")),
            ("bytes received", Invariant($"{received.Bytes} in {received.Datagrams} datagrams")),
            ("bitrate", seconds > 0 ? Arguments.FormatBitrate(received.Bytes * 8 / seconds) : "-"),
            ("latency p50", Invariant($"{latency.SinkP50:F2} ms")),
            ("latency p99", Invariant($"{latency.SinkP99:F2} ms")),
            ("capture->send p50/p99", Invariant($"{latency.SendP50:F2} ms / {latency.SendP99:F2} ms")),
            ("sequence gaps", Invariant($"{received.SequenceGaps}")),
            ("CC errors", Invariant($"{received.ContinuityErrors}")),
            ("Stop", Invariant($"{os.StopDuration.TotalMilliseconds:F0} ms")),
            ("Destroy", Invariant($"{os.DestroyDuration.TotalMilliseconds:F0} ms")),
            ("data-rate notifications", Invariant($"{os.DataRateNotifications}")),
            ("contract violations", Invariant($"{os.Violations.Count}")),
            ("sink ended", sinkEnded is null ? "-" : $"{sinkEnded.Reason}: {sinkEnded.Detail}"),
            ("capture", Arguments.DescribeCapture(options.Out, received.CapturedBytes, received.CaptureTruncated, recording.CaptureError)),
            ("analyzer", analysis.IsClean
                ? Invariant($"clean: {analysis.Video?.Frames ?? 0} frames, {analysis.Video?.IdrFrames ?? 0} IDR, PAT/PMT max gap {analysis.Pat.Milliseconds.Max:F1}/{analysis.Pmt.Milliseconds.Max:F1} ms, PCR max gap {analysis.Pcr.Milliseconds.Max:F1} ms")
                : Invariant($"{analysis.Findings.Count(f => f.Severity == TsFindingSeverity.Error)} errors")),
            ("result", failures.Count == 0 ? "PASS" : $"FAIL: {failures[0]}"),
        };
        return new DemoReport(rows, latency, failures);
    }

    private static async Task WriteCsvAsync(string path, LatencyReport latency)
    {
        var csv = new System.Text.StringBuilder();
        csv.Append(CultureInfo.InvariantCulture, $"# stopwatch_frequency={Stopwatch.Frequency}\n");
        csv.Append("frame,captured,sent,arrived\n");
        foreach (FrameTiming f in latency.Frames)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{f.Frame},{f.Captured},{f.Sent},{f.Arrived}\n");
        }

        await File.WriteAllTextAsync(path, csv.ToString(), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>After Stop the last datagrams are in the sink's socket buffer; waits until the sink has read them (no new datagram for 200 ms, at most 2 s).</summary>
    private static async Task WaitUntilQuietAsync(SinkEmulator sink)
    {
        long deadline = Stopwatch.GetTimestamp() + (2 * Stopwatch.Frequency);
        long last = -1;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            long now = sink.Statistics.Datagrams;
            if (now == last)
            {
                return;
            }

            last = now;
            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>A TCP connection on 127.0.0.1: the sink dials, the OS accepts (as in WFD, the sink connects to port 7236 of the source).</summary>
    internal static async Task<(Socket Os, Socket Sink)> ConnectPairAsync(CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var sink = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            Task connect = sink.ConnectAsync(listener.LocalEndPoint!, cancellationToken).AsTask();
            Socket accepted = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            await connect.ConfigureAwait(false);
            return (accepted, sink);
        }
        catch
        {
            sink.Dispose();
            throw;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
