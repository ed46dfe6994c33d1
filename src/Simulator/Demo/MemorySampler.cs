using System.Globalization;

namespace Miraflow.Simulator.Demo;

/// <summary>Peak and final memory of this process over a run.</summary>
/// <param name="ManagedPeakBytes">The largest managed heap size sampled (<see cref="GC.GetTotalMemory(bool)"/>, without forcing a collection).</param>
/// <param name="ManagedFinalBytes">The managed heap at the end.</param>
/// <param name="GcHeapPeakBytes">The largest heap size the GC reported after a collection (<see cref="GCMemoryInfo.HeapSizeBytes"/>), fragmentation included.</param>
/// <param name="RssPeakBytes">The process's peak resident set (Linux <c>VmHWM</c>; elsewhere the largest <see cref="Environment.WorkingSet"/> sampled).</param>
/// <param name="RssFinalBytes">The resident set at the end (<c>VmRSS</c>, or <see cref="Environment.WorkingSet"/>).</param>
/// <param name="Samples">Samples taken.</param>
internal readonly record struct MemoryFigures(long ManagedPeakBytes, long ManagedFinalBytes, long GcHeapPeakBytes, long RssPeakBytes, long RssFinalBytes, int Samples);

/// <summary>
/// Samples the process's memory every <see cref="Interval"/> (managed heap and resident set) from
/// <see cref="Start"/> until <see cref="StopAsync"/>, for <c>miraflow source --report</c>: the fault
/// tests assert that the source's memory stays bounded while the network misbehaves.
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    /// <summary>Time between samples: 250 ms.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _managedPeak;
    private long _gcHeapPeak;
    private long _rssPeak;
    private int _samples;

    private MemorySampler() => _loop = Task.Run(LoopAsync);

    /// <summary>Starts sampling (the first sample at once).</summary>
    public static MemorySampler Start() => new();

    /// <summary>Stops sampling, takes a last sample and returns the figures.</summary>
    public async Task<MemoryFigures> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Sample();
        long managed = GC.GetTotalMemory(forceFullCollection: false);
        (long rssNow, long rssPeak) = ReadRss();
        return new MemoryFigures(_managedPeak, managed, _gcHeapPeak, Math.Max(_rssPeak, rssPeak), rssNow, _samples);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _loop.ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                Sample();
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Sample()
    {
        _managedPeak = Math.Max(_managedPeak, GC.GetTotalMemory(forceFullCollection: false));
        _gcHeapPeak = Math.Max(_gcHeapPeak, GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes);
        (long rss, long peak) = ReadRss();
        _rssPeak = Math.Max(_rssPeak, Math.Max(rss, peak));
        _samples++;
    }

    /// <summary>The resident set now and its peak: <c>VmRSS</c> and <c>VmHWM</c> of /proc/self/status on Linux, the working set twice elsewhere.</summary>
    private static (long Now, long Peak) ReadRss()
    {
        long now = Environment.WorkingSet;
        long peak = now;
        if (!OperatingSystem.IsLinux())
        {
            return (now, peak);
        }

        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    now = Kilobytes(line) ?? now;
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = Kilobytes(line) ?? peak;
                }
            }
        }
        catch (IOException)
        {
            // Keep the working set.
        }

        return (now, peak);
    }

    /// <summary>The bytes of a <c>Name:   1234 kB</c> line.</summary>
    private static long? Kilobytes(string line)
    {
        string[] parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb) ? kb * 1024 : null;
    }
}
