using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Miraflow.Exports.Interop;
using Miraflow.Rtsp.Parameters;
using Miraflow.Simulator.Cli;
using Miraflow.Simulator.Demo;
using Miraflow.Simulator.Os;
using Miraflow.Simulator.Sink;

namespace Miraflow.Simulator.Stability;

/// <summary>What <c>miraflow stability</c> was asked to do.</summary>
/// <param name="Duration">How long to stream.</param>
/// <param name="Mode">The sink's only mode, so the negotiated one.</param>
/// <param name="Bitrate">The link rate (bit/s).</param>
/// <param name="Interval">How often to sample the process.</param>
/// <param name="Csv">Where to write the samples, or null.</param>
/// <param name="DriverPath">A native driver library, or null for the in-process driver.</param>
public sealed record StabilityOptions(TimeSpan Duration, VideoMode Mode, ulong Bitrate, TimeSpan Interval, string? Csv, string? DriverPath);

/// <summary>What a stability run measured and whether it passed.</summary>
/// <param name="Rows">The summary, as printed.</param>
/// <param name="Samples">Every sample, in order.</param>
/// <param name="Memory">The memory verdict.</param>
/// <param name="Failures">Every check that failed (empty when the run passed).</param>
public sealed record StabilityReport(IReadOnlyList<(string Name, string Value)> Rows, IReadOnlyList<MemorySample> Samples, MemoryVerdict Memory, IReadOnlyList<string> Failures);

/// <summary>
/// HLK "Verify Stability" under simulation: one session of the driver, under the emulated OS, to
/// our sink on loopback for a long time (the HLK plays video for 120 minutes). Every interval it
/// collects garbage and samples the process; at the end the session must still be up, every
/// interval must have sent pictures, the sink must have lost nothing, and memory must be flat
/// (<see cref="MemoryTrend"/>). The emulator keeps a bounded window of its reports and no capture
/// times, and the sink no capture and no arrival times, so what could grow is the driver's.
/// </summary>
public sealed class StabilityRunner(StabilityOptions options, SessionView view)
{
    private static readonly TimeSpan StreamingTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Runs it; throws <see cref="CliException"/> when the session cannot start.</summary>
    public async Task<StabilityReport> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        DriverLibrary driver = DriverSetup.Load(options.DriverPath);
        using var os = new OsEmulator(driver, new OsEmulatorOptions { MaxRecords = 2_000, RecordedCaptures = 0 });
        os.DataRate = DriverSetup.DataRate(options.Bitrate);
        view.Message(Invariant($"stability: {options.Duration.TotalMinutes:F1} min of {options.Mode} through {driver.Description}, link {Arguments.FormatBitrate(options.Bitrate)}, a sample every {options.Interval.TotalSeconds:F0} s"));
        int created = os.Create();
        if (!Windows.NT_SUCCESS(created))
        {
            throw new CliException(ExitCodes.SessionFailed, $"CreateMiracastContext failed: {DriverSetup.Describe(created)}.");
        }

        (Socket osSocket, Socket sinkSocket) = await DemoRunner.ConnectPairAsync(cancellationToken).ConfigureAwait(false);
        using (osSocket)
        using (sinkSocket)
        {
            SinkEmulatorOptions caps = SinkEmulatorOptions.FromText(Arguments.SinkCapabilitiesFor(options.Mode));
            SinkEmulator sink = SinkEmulator.Start(sinkSocket, new SinkEmulatorOptions { Capabilities = caps.Capabilities, MaxCaptureBytes = 0, RecordedArrivals = 0 });
            await using (sink.ConfigureAwait(false))
            {
                return await RunSessionAsync(os, osSocket, sink, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<StabilityReport> RunSessionAsync(OsEmulator os, Socket osSocket, SinkEmulator sink, CancellationToken cancellationToken)
    {
        (int started, _) = await Task.Run(() => (os.Start(osSocket, DriverSetup.ConnectionStats(options.Bitrate), out MIRACAST_SESSION_INFO i), i), CancellationToken.None).ConfigureAwait(false);
        if (!Windows.NT_SUCCESS(started))
        {
            os.Destroy();
            throw new CliException(ExitCodes.SessionFailed, $"StartMiracastSession failed: {DriverSetup.Describe(started)}.");
        }

        Task streaming = sink.Streaming;
        if (await Task.WhenAny(streaming, os.SessionStatusReported, Task.Delay(StreamingTimeout, cancellationToken)).ConfigureAwait(false) != streaming || !streaming.IsCompletedSuccessfully)
        {
            os.Stop();
            os.Destroy();
            throw new CliException(ExitCodes.SessionFailed, $"the session did not stream within {StreamingTimeout.TotalSeconds:F0} s.");
        }

        var samples = new List<MemorySample>();
        var failures = new List<string>();
        string? ended = null;
        long begun = Stopwatch.GetTimestamp();
        long intervals = Math.Max(1, (long)Math.Ceiling(options.Duration / options.Interval));
        for (long i = 1; i <= intervals && !cancellationToken.IsCancellationRequested; i++)
        {
            TimeSpan wait = (options.Interval * i) - Stopwatch.GetElapsedTime(begun);
            Task tick = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, CancellationToken.None);
            if (await Task.WhenAny(tick, os.SessionStatusReported).ConfigureAwait(false) != tick)
            {
                (MIRACAST_STATUS status, int ntStatus) = await os.SessionStatusReported.ConfigureAwait(false);
                ended = DriverSetup.Describe(status, ntStatus);
                break;
            }

            MemorySample sample = Sample(os, sink, Stopwatch.GetElapsedTime(begun));
            long previous = samples.Count == 0 ? 0 : samples[^1].FramesSent;
            if (sample.FramesSent == previous)
            {
                failures.Add(Invariant($"no picture was sent between {(sample.Elapsed - options.Interval).TotalSeconds:F0} s and {sample.Elapsed.TotalSeconds:F0} s"));
            }

            samples.Add(sample);
            view.Message(Invariant($"[{sample.Elapsed.TotalSeconds,6:F0} s] {sample.FramesSent} frames sent, {sample.SinkPictures} received, heap {sample.LiveHeapBytes / 1048576.0:F1} MiB, RSS {sample.ResidentBytes / 1048576.0:F1} MiB, {sample.Threads} threads, {sample.Descriptors} fds"));
        }

        view.Message("stopping");
        await Task.Run(os.Stop, CancellationToken.None).ConfigureAwait(false);
        await Task.Run(os.Destroy, CancellationToken.None).ConfigureAwait(false);
        if (options.Csv is not null)
        {
            await WriteCsvAsync(options.Csv, samples).ConfigureAwait(false);
        }

        return Finish(os, sink, samples, failures, ended, Stopwatch.GetElapsedTime(begun));
    }

    private StabilityReport Finish(OsEmulator os, SinkEmulator sink, List<MemorySample> samples, List<string> failures, string? ended, TimeSpan ran)
    {
        if (ended is not null)
        {
            failures.Insert(0, $"the session ended after {ran.TotalMinutes:F1} min: {ended}");
        }

        SinkStatistics received = sink.Statistics;
        if (!received.IsLossless)
        {
            failures.Add($"the sink saw losses or damage ({received.SequenceGaps} sequence gaps, {received.ContinuityErrors} CC errors, {received.OutOfOrder} out of order)");
        }

        MemoryVerdict memory = MemoryTrend.Judge(samples, options.Duration);
        failures.AddRange(memory.Problems.Select(p => $"memory: {p}"));
        failures.AddRange(os.Violations.Select(v => $"contract violation: {v}"));
        failures.AddRange(os.Errors.Select(e => $"emulator error: {e}"));

        long sent = os.FramesReportedSent;
        long dropped = os.StatisticCount(MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE, MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED);
        MemorySample first = samples.Count > 0 ? samples[0] : default;
        MemorySample last = samples.Count > 0 ? samples[^1] : default;
        var rows = new List<(string, string)>
        {
            ("ran", Invariant($"{ran.TotalMinutes:F1} min of {options.Duration.TotalMinutes:F1} ({samples.Count} samples)")),
            ("mode", sink.Format?.Mode?.ToString() ?? "?"),
            ("frames produced / sent / dropped", Invariant($"{os.FramesProduced} / {sent} / {os.FramesDropped + dropped}")),
            ("pictures at the sink", Invariant($"{sink.VideoPesCount} ({received.Bytes / 1048576.0:F0} MiB)")),
            ("sequence gaps / CC errors", Invariant($"{received.SequenceGaps} / {received.ContinuityErrors}")),
            ("live heap first → last", Invariant($"{first.LiveHeapBytes / 1048576.0:F1} → {last.LiveHeapBytes / 1048576.0:F1} MiB")),
            ("heap growth (after warm-up)", Invariant($"{memory.HeapGrowthBytes / 1048576.0:F2} MiB, slope {memory.HeapSlopeBytesPerMinute / 1024:F1} KiB/min (bound {MemoryTrend.MaxHeapGrowthBytes / 1048576} MiB)")),
            ("RSS first → last", Invariant($"{first.ResidentBytes / 1048576.0:F1} → {last.ResidentBytes / 1048576.0:F1} MiB (growth {memory.ResidentGrowthBytes / 1048576.0:F1} MiB, bound {MemoryTrend.MaxResidentGrowthBytes / 1048576} MiB)")),
            ("threads / fds first → last", Invariant($"{first.Threads} → {last.Threads} / {first.Descriptors} → {last.Descriptors}")),
            ("Stop / Destroy", Invariant($"{os.StopDuration.TotalMilliseconds:F0} / {os.DestroyDuration.TotalMilliseconds:F0} ms")),
            ("contract violations", Invariant($"{os.Violations.Count}")),
            ("result", failures.Count == 0 ? "PASS" : $"FAIL: {failures[0]}"),
        };
        return new StabilityReport(rows, samples, memory, failures);
    }

    private static MemorySample Sample(OsEmulator os, SinkEmulator sink, TimeSpan elapsed)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        int descriptors = OperatingSystem.IsLinux() ? Directory.GetFiles("/proc/self/fd").Length : -1;
        return new MemorySample(
            elapsed,
            heap,
            Environment.WorkingSet,
            process.Threads.Count,
            descriptors,
            os.FramesReportedSent, // a frame of N slices makes N CHUNK_SENT reports and one picture at the sink
            sink.VideoPesCount);
    }

    private static async Task WriteCsvAsync(string path, IReadOnlyList<MemorySample> samples)
    {
        var csv = new StringBuilder("seconds,live_heap_bytes,rss_bytes,threads,fds,frames_sent,sink_pictures\n");
        foreach (MemorySample s in samples)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{s.Elapsed.TotalSeconds:F1},{s.LiveHeapBytes},{s.ResidentBytes},{s.Threads},{s.Descriptors},{s.FramesSent},{s.SinkPictures}\n");
        }

        await File.WriteAllTextAsync(path, csv.ToString(), CancellationToken.None).ConfigureAwait(false);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
