using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Miraflow.Fuzz;

/// <summary>What a run does.</summary>
internal sealed record FuzzOptions
{
    public long Inputs { get; init; } = 100_000;

    public ulong Seed { get; init; } = 1;

    /// <summary>One target, or null for both (alternating).</summary>
    public FuzzTarget? Target { get; init; }

    /// <summary>Where crash cases are written (null: not written).</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Shrink a crash case before saving it (bounded number of oracle calls).</summary>
    public bool Minimize { get; init; } = true;

    /// <summary>An input allocating more than this is a violation (unbounded allocation).</summary>
    public long MaxAllocatedBytesPerInput { get; init; } = 64L * 1024 * 1024;

    /// <summary>An input taking longer than this is a violation (the watchdog of the command ends a real hang).</summary>
    public TimeSpan MaxTimePerInput { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Called about every second with the inputs done so far.</summary>
    public Action<long, TimeSpan>? Progress { get; init; }
}

/// <summary>One crash case: the (minimized) input and what broke.</summary>
internal sealed record FuzzCrash(FuzzTarget Target, long Index, byte[] Input, string Detail, string? SavedAs);

/// <summary>The figures of a run.</summary>
internal sealed class FuzzReport
{
    public long Inputs { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>[target, outcome] counts.</summary>
    public long[,] Counts { get; } = new long[2, 4];

    public long TypedValues { get; set; }

    /// <summary>Rejections by target and typed error.</summary>
    public SortedDictionary<string, long> Reasons { get; } = new(StringComparer.Ordinal);

    public long MaxAllocatedBytes { get; set; }

    public TimeSpan SlowestInput { get; set; }

    public List<FuzzCrash> Crashes { get; } = [];

    public long CrashInputs { get; set; }

    public double InputsPerSecond => Elapsed.TotalSeconds > 0 ? Inputs / Elapsed.TotalSeconds : 0;

    public string Format()
    {
        var text = new StringBuilder();
        CultureInfo ci = CultureInfo.InvariantCulture;
        text.AppendLine(ci, $"inputs: {Inputs:N0} in {Elapsed.TotalSeconds:F1} s ({InputsPerSecond:N0} inputs/s)");
        foreach (FuzzTarget target in Enum.GetValues<FuzzTarget>())
        {
            int t = (int)target;
            long total = Counts[t, 0] + Counts[t, 1] + Counts[t, 2] + Counts[t, 3];
            if (total == 0)
            {
                continue;
            }

            text.AppendLine(ci, $"  {target,-6} {total,10:N0}: parsed {Counts[t, (int)FuzzOutcome.Parsed]:N0}, rejected {Counts[t, (int)FuzzOutcome.Rejected]:N0}, incomplete {Counts[t, (int)FuzzOutcome.Incomplete]:N0}, violations {Counts[t, (int)FuzzOutcome.Violation]:N0}");
            text.Append("         rejected by:");
            foreach (KeyValuePair<string, long> reason in Reasons)
            {
                if (reason.Key.StartsWith(target + ".", StringComparison.Ordinal))
                {
                    text.Append(ci, $" {reason.Key[(target.ToString().Length + 1)..]} {reason.Value:N0},");
                }
            }

            text.Length--;
            text.AppendLine();
        }

        text.AppendLine(ci, $"typed wfd_* values checked: {TypedValues:N0}; most allocated by one input: {MaxAllocatedBytes:N0} B; slowest input: {SlowestInput.TotalMilliseconds:F1} ms");
        text.AppendLine(ci, $"crashes: {CrashInputs:N0} input(s), {Crashes.Count} distinct");
        foreach (FuzzCrash crash in Crashes)
        {
            text.AppendLine(ci, $"  #{crash.Index} {crash.Target}: {FirstLine(crash.Detail)}{(crash.SavedAs is null ? string.Empty : " -> " + crash.SavedAs)}");
        }

        return text.ToString();
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOf('\n', StringComparison.Ordinal);
        string line = end < 0 ? text : text[..end];
        return line.Length <= 300 ? line : string.Concat(line.AsSpan(0, 300), "...");
    }
}

/// <summary>
/// Runs N inputs, deterministic from a seed (input i is generated from its own derived seed, so
/// any one can be regenerated), through the oracles; keeps each distinct crash, minimized.
/// </summary>
internal sealed class FuzzRunner(SeedCorpus seeds, FuzzOptions options)
{
    /// <summary>Crash cases kept (distinct signatures) before the run stops saving new ones.</summary>
    public const int MaxSavedCrashes = 50;

    private readonly ParamMutator _params = new(seeds);
    private readonly FuzzOptions _options = options;
    private RtspMutator? _rtsp;

    /// <summary>The input running now (for the command's hang watchdog).</summary>
    public (FuzzTarget Target, byte[] Input, long StartedAt)? Current { get; private set; }

    public FuzzReport Run()
    {
        _rtsp ??= new RtspMutator(seeds, _params);
        var report = new FuzzReport();
        var signatures = new HashSet<string>(StringComparer.Ordinal);
        var total = Stopwatch.StartNew();
        long lastProgress = 0;
        for (long i = 0; i < _options.Inputs; i++)
        {
            var random = new FuzzRandom(FuzzRandom.Derive(_options.Seed, i));
            FuzzTarget target = _options.Target ?? (FuzzTarget)(i & 1);
            byte[] input = target == FuzzTarget.Rtsp ? _rtsp.Next(random) : _params.Next(random);

            long started = Stopwatch.GetTimestamp();
            Current = (target, input, started);
            FuzzVerdict verdict = Execute(target, input, _options, out long allocated, out TimeSpan elapsed);
            Current = null;

            report.Inputs++;
            report.Counts[(int)target, (int)verdict.Outcome]++;
            report.TypedValues += verdict.Typed;
            if (verdict.Reason is not null)
            {
                string key = target + "." + verdict.Reason;
                report.Reasons[key] = report.Reasons.GetValueOrDefault(key) + 1;
            }
            report.MaxAllocatedBytes = Math.Max(report.MaxAllocatedBytes, allocated);
            if (elapsed > report.SlowestInput)
            {
                report.SlowestInput = elapsed;
            }

            if (verdict.Outcome == FuzzOutcome.Violation)
            {
                report.CrashInputs++;
                string signature = target + ":" + Signature(verdict.Detail!);
                if (signatures.Add(signature) && report.Crashes.Count < MaxSavedCrashes)
                {
                    byte[] kept = _options.Minimize ? Minimize(target, input, signature) : input;
                    FuzzVerdict again = Execute(target, kept, _options, out _, out _);
                    string? saved = Save(target, kept, again.Detail ?? verdict.Detail!);
                    report.Crashes.Add(new FuzzCrash(target, i, kept, again.Detail ?? verdict.Detail!, saved));
                }
            }

            if (_options.Progress is not null && total.ElapsedMilliseconds - lastProgress >= 1000)
            {
                lastProgress = total.ElapsedMilliseconds;
                _options.Progress(i + 1, total.Elapsed);
            }
        }

        report.Elapsed = total.Elapsed;
        return report;
    }

    /// <summary>Runs one input through its oracle; any exception the oracle did not expect is a violation.</summary>
    public static FuzzVerdict Execute(FuzzTarget target, byte[] input, FuzzOptions options, out long allocated, out TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(options);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long started = Stopwatch.GetTimestamp();
        FuzzVerdict verdict;
        try
        {
            verdict = target == FuzzTarget.Rtsp ? RtspOracle.Check(input) : ParamOracle.Check(input);
        }
        catch (OracleException ex)
        {
            verdict = FuzzVerdict.Fail(ex.Message + (ex.InnerException is null ? string.Empty : "\n" + ex.InnerException));
        }
#pragma warning disable CA1031 // Any other exception is exactly what the fuzzer looks for.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            verdict = FuzzVerdict.Fail($"unexpected {ex.GetType().Name}: {ex.Message}\n{ex}");
        }

        elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (verdict.Outcome != FuzzOutcome.Violation)
        {
            if (allocated > options.MaxAllocatedBytesPerInput)
            {
                verdict = FuzzVerdict.Fail($"allocation: {allocated:N0} B for a {input.Length} B input");
            }
            else if (elapsed > options.MaxTimePerInput)
            {
                verdict = FuzzVerdict.Fail($"time: {elapsed.TotalMilliseconds:F0} ms for a {input.Length} B input");
            }
        }

        return verdict;
    }

    /// <summary>Which bug a violation is: its text up to the first number or quote, so one bug found many times is kept once.</summary>
    internal static string Signature(string detail)
    {
        int end = detail.IndexOfAny(['\n', '"', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
        return end < 0 ? detail : detail[..end];
    }

    /// <summary>Greedy chunk removal, then byte simplification, while the same kind of violation remains (at most a few thousand oracle calls).</summary>
    internal byte[] Minimize(FuzzTarget target, byte[] input, string signature)
    {
        int budget = 4000;
        bool StillFails(byte[] candidate)
        {
            budget--;
            FuzzVerdict v = Execute(target, candidate, _options, out _, out _);
            return v.Outcome == FuzzOutcome.Violation && target + ":" + Signature(v.Detail!) == signature;
        }

        byte[] best = input;
        for (int chunk = Math.Max(1, best.Length / 2); chunk >= 1 && budget > 0; chunk /= 2)
        {
            for (int at = 0; at + chunk <= best.Length && budget > 0;)
            {
                byte[] candidate = [.. best.AsSpan(0, at), .. best.AsSpan(at + chunk)];
                if (StillFails(candidate))
                {
                    best = candidate;
                }
                else
                {
                    at += chunk;
                }
            }
        }

        return best;
    }

    private string? Save(FuzzTarget target, byte[] input, string detail)
    {
        if (_options.OutputDirectory is null)
        {
            return null;
        }

        Directory.CreateDirectory(_options.OutputDirectory);
        string name = string.Create(CultureInfo.InvariantCulture, $"{(target == FuzzTarget.Rtsp ? "rtsp" : "params")}-{RtspOracle.Hash(input):x16}");
        string path = Path.Combine(_options.OutputDirectory, name + ".bin");
        File.WriteAllBytes(path, input);
        File.WriteAllText(Path.Combine(_options.OutputDirectory, name + ".txt"), detail + "\n");
        return path;
    }

    /// <summary>The target a kept case file belongs to, from its name (<c>rtsp-*.bin</c>, <c>params-*.bin</c>).</summary>
    public static FuzzTarget? TargetOf(string path)
    {
        string name = Path.GetFileName(path);
        return name.StartsWith("rtsp-", StringComparison.Ordinal) ? FuzzTarget.Rtsp
            : name.StartsWith("params-", StringComparison.Ordinal) ? FuzzTarget.Params
            : null;
    }
}
