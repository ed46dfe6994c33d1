using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Miraflow.Rtsp.Sessions;
using Miraflow.Simulator.Cli;
using Miraflow.Simulator.Sink;

namespace Miraflow.Simulator.Demo;

/// <summary>What <c>miraflow sink</c> was asked to do.</summary>
/// <param name="Connect">The WFD source's RTSP endpoint.</param>
/// <param name="Caps">A file of M3 answer lines (<c>wfd_video_formats: …</c>), or null for the default 1080p60 TV.</param>
/// <param name="Out">Where the capture is written.</param>
/// <param name="Seconds">How long to stay; 0 = until the source ends the session. Then the sink sends TEARDOWN.</param>
/// <param name="RequestIdr">Whether the sink asks for an IDR (M13) when it sees losses.</param>
/// <param name="ReportPath">Where to write the JSON summary (<see cref="RunReport"/>), or null.</param>
/// <param name="MaxCaptureBytes">How much of the received MPEG-TS to keep (<c>--max-capture</c>); the rest is counted and checked, not kept. Default: all of it.</param>
public sealed record SinkOptions(IPEndPoint Connect, string? Caps, string Out, int Seconds, bool RequestIdr = true, string? ReportPath = null, long MaxCaptureBytes = long.MaxValue);

/// <summary>Our sink emulator against any WFD source: it connects, negotiates, receives and checks, and saves the capture.</summary>
public sealed class SinkRunner(SinkOptions options, SessionView view)
{
    private static readonly TimeSpan FormatTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs it; returns the exit code and the closing line, or throws <see cref="CliException"/>.</summary>
    public async Task<(int ExitCode, string Message)> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        SinkEmulatorOptions caps = LoadCaps(options.Caps);
        var sinkOptions = new SinkEmulatorOptions { Capabilities = caps.Capabilities, RequestIdrOnLoss = options.RequestIdr, MaxCaptureBytes = options.MaxCaptureBytes, CaptureFile = options.Out };
        SinkEmulator sink;
        try
        {
            sink = await SinkEmulator.ConnectAsync(options.Connect, sinkOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new CliException(ExitCodes.SessionFailed, $"cannot connect to {options.Connect}: {e.Message}.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.CannotWriteOut(options.Out, e); // the capture file is created once connected
        }

        await using (sink.ConfigureAwait(false))
        {
            view.Message($"connected to {options.Connect}; receiving RTP on {sink.RtpEndPoint}");
            long begun = Stopwatch.GetTimestamp();
            while (sink.Format is null && !sink.Ended.IsCompleted && Stopwatch.GetElapsedTime(begun) < FormatTimeout)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }

            if (sink.Format is SinkFormat format)
            {
                view.Message($"negotiated: video {format.Mode?.ToString() ?? "none"} ({WireText(format.Video)}), audio {WireText(format.Audio)}");
            }

            bool tornDown = await StreamAsync(sink, cancellationToken).ConfigureAwait(false);
            SinkEnded? ended = tornDown ? await sink.TeardownAsync().ConfigureAwait(false) : await sink.Ended.ConfigureAwait(false);
            // One instant for every figure: the source may still be sending (GNOME Network Displays
            // does for a moment after answering TEARDOWN), and the summary, the report and the
            // capture must describe the same datagrams.
            SinkRecording recording = sink.Recording();
            SinkStatistics stats = recording.Statistics;
            IdrRecoveryStatistics idr = recording.IdrRecovery;
            long captured = stats.CapturedBytes; // the file holds exactly these: the recording ended it
            if (options.ReportPath is string reportPath)
            {
                await RunReport.WriteAsync(reportPath, w => WriteReport(w, sink.Format, recording, tornDown, ended)).ConfigureAwait(false);
            }

            view.Summary("miraflow sink: summary", [
                ("format", sink.Format?.Mode?.ToString() ?? "none"),
                ("datagrams", Invariant($"{stats.Datagrams} ({stats.Bytes} bytes)")),
                ("video PES", Invariant($"{recording.VideoPesCount}")),
                ("sequence gaps", Invariant($"{stats.SequenceGaps} ({stats.LostPackets} packets lost)")),
                ("out of order", Invariant($"{stats.OutOfOrder}")),
                ("CC errors", Invariant($"{stats.ContinuityErrors}")),
                ("IDR requests", options.RequestIdr ? Invariant($"{idr.Requests} ({idr.Recoveries} answered by an IDR{(idr.Pending ? ", 1 waiting" : "")})") : "off"),
                ("IDR wait", idr.LongestWait is TimeSpan longest ? Invariant($"{longest.TotalMilliseconds:F0} ms longest, {idr.TotalWait.TotalMilliseconds / idr.Recoveries:F0} ms mean") : "none"),
                ("IDR pictures", Invariant($"{idr.IdrPictures}")),
                ("sync errors", Invariant($"{stats.SyncErrors}")),
                ("ended", ended is null ? "no answer to TEARDOWN" : $"{ended.Reason}: {ended.Detail}"),
                ("capture", Arguments.DescribeCapture(options.Out, captured, stats.CaptureTruncated, recording.CaptureError)),
            ]);
            string how = tornDown ? $"sent TEARDOWN after {options.Seconds} s" : $"the session ended: {ended?.Reason}: {ended?.Detail}";
            if (ended is not null && ended.Reason is not (SessionEndReason.Stopped or SessionEndReason.SinkDisconnectRequest))
            {
                throw new CliException(ExitCodes.SessionFailed, $"{how}; capture in {options.Out}");
            }

            if (stats.Datagrams == 0)
            {
                throw new CliException(ExitCodes.SessionFailed, $"{how} before any media arrived");
            }

            if (recording.CaptureError is string error)
            {
                throw new CliException(ExitCodes.CheckFailed, Invariant($"{how}; writing the capture failed after {captured} bytes: {error}"));
            }

            if (!stats.IsLossless)
            {
                throw new CliException(ExitCodes.CheckFailed, Invariant($"{how}; the stream had errors: {stats.SequenceGaps} sequence gaps, {stats.ContinuityErrors} CC errors, {stats.OutOfOrder} out of order, {stats.SyncErrors} sync errors, {stats.NonRtp} non-RTP datagrams"));
            }

            return (ExitCodes.Success, $"{how}; {stats.Datagrams} datagrams without a loss; capture in {options.Out}{(stats.CaptureTruncated ? Invariant($" (its first {captured} bytes: --max-capture)") : "")}");
        }
    }

    /// <summary>Prints a line a second until the session ends (false) or the time is up (true).</summary>
    private async Task<bool> StreamAsync(SinkEmulator sink, CancellationToken cancellationToken)
    {
        bool timeUp = false;
        await LoopAsync().ConfigureAwait(false);
        return timeUp || cancellationToken.IsCancellationRequested;

        async Task LoopAsync()
        {
            long begun = Stopwatch.GetTimestamp();
            long lastBytes = 0;
            for (int second = 1; options.Seconds == 0 || second <= options.Seconds; second++)
            {
                TimeSpan wait = TimeSpan.FromSeconds(second) - Stopwatch.GetElapsedTime(begun);
                Task tick = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken);
                if (await Task.WhenAny(tick, sink.Ended).ConfigureAwait(false) != tick || tick.IsCanceled)
                {
                    return;
                }

                SinkStatistics s = sink.Statistics;
                string state = s.Datagrams > 0 ? "streaming" : "waiting for media";
                view.Message(Invariant($"[{second,5} s] {state}  {sink.VideoPesCount} pictures  {Arguments.FormatBitrate((s.Bytes - lastBytes) * 8.0)}  gaps {s.SequenceGaps}  CC errors {s.ContinuityErrors}"));
                lastBytes = s.Bytes;
            }

            timeUp = true;
        }
    }

    /// <summary>The JSON summary of <c>--report</c> (docs/simulator.md, "Reports").</summary>
    private static void WriteReport(System.Text.Json.Utf8JsonWriter w, SinkFormat? format, SinkRecording recording, bool tornDown, SinkEnded? ended)
    {
        SinkStatistics stats = recording.Statistics;
        IdrRecoveryStatistics idr = recording.IdrRecovery;
        w.WriteString("format", format?.Mode?.ToString());
        w.WriteString("ended", tornDown ? "teardown" : "session-ended");
        w.WriteString("endReason", ended?.Reason.ToString());
        w.WriteString("endDetail", ended?.Detail);
        w.WriteNumber("datagrams", stats.Datagrams);
        w.WriteNumber("bytes", stats.Bytes);
        w.WriteNumber("pictures", recording.VideoPesCount);
        w.WriteNumber("sequenceGaps", stats.SequenceGaps);
        w.WriteNumber("lostPackets", stats.LostPackets);
        w.WriteNumber("outOfOrder", stats.OutOfOrder);
        w.WriteNumber("continuityErrors", stats.ContinuityErrors);
        w.WriteNumber("syncErrors", stats.SyncErrors);
        w.WriteNumber("nonRtp", stats.NonRtp);
        w.WriteNumber("idrRequests", idr.Requests);
        w.WriteNumber("idrRecoveries", idr.Recoveries);
        w.WriteBoolean("idrPending", idr.Pending);
        w.WriteNumber("idrPictures", idr.IdrPictures);
        RunReport.WriteMilliseconds(w, "idrLongestWaitMs", idr.LongestWait);
        RunReport.WriteMilliseconds(w, "idrMeanWaitMs", idr.Recoveries == 0 ? null : idr.TotalWait / idr.Recoveries);
        w.WriteNumber("captureBytes", stats.CapturedBytes);
        w.WriteBoolean("captureTruncated", stats.CaptureTruncated);
        RunReport.WriteMilliseconds(w, "longestPictureGapMs", LongestGap(recording.VideoPesArrivals));
    }

    /// <summary>The longest time between two consecutive pictures' arrivals (a frozen picture), or null with fewer than two.</summary>
    private static TimeSpan? LongestGap(long[] arrivals)
    {
        long longest = -1;
        for (int i = 1; i < arrivals.Length; i++)
        {
            longest = Math.Max(longest, arrivals[i] - arrivals[i - 1]);
        }

        return longest < 0 ? null : Stopwatch.GetElapsedTime(0, longest);
    }

    /// <summary>A parameter's value as it travels in M4 (<c>00 00 01 01 00000020 …</c>).</summary>
    private static string WireText(Miraflow.Rtsp.Parameters.IWfdParameterValue? value)
    {
        if (value is null)
        {
            return "none";
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        value.WriteValue(buffer);
        return System.Text.Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    private static SinkEmulatorOptions LoadCaps(string? path)
    {
        if (path is null)
        {
            return new SinkEmulatorOptions();
        }

        try
        {
            return SinkEmulatorOptions.FromFile(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CliException(ExitCodes.BadInput, $"--caps {path}: no such file.", e);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.BadInput, $"--caps {path}: {e.Message}", e);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
