using System.Diagnostics;
using System.Globalization;
using Miraflow.Fuzz;

// Miraflow.Fuzz: structure-aware fuzzing of the RTSP codec and the wfd_* parameter parser.
// See fuzz/README.md. Exit code: 0 no crash, 1 crashes found, 2 bad arguments, 3 an input hung.

const string Usage = """
    usage: dotnet run -c Release --project fuzz/Miraflow.Fuzz -- [options]
      --inputs N         inputs to run (default 100000)
      --seed S           run seed (default 1); the same seed gives the same inputs
      --target T         rtsp | params | all (default all: alternating)
      --out DIR          where crash cases go (default artifacts/fuzz/crashes under the repository)
      --replay PATH      replay a kept case file, or every rtsp-*.bin / params-*.bin in a directory
      --no-minimize      keep crash inputs as found
      --hang-seconds N   end the run when one input takes longer (default 30)
    """;

var options = new FuzzOptions();
string? replay = null;
int hangSeconds = 30;
string? repositoryRoot = SeedCorpus.FindRepositoryRoot(Environment.CurrentDirectory) ?? SeedCorpus.FindRepositoryRoot(AppContext.BaseDirectory);
string? output = repositoryRoot is null ? null : Path.Combine(repositoryRoot, "artifacts", "fuzz", "crashes");
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--inputs":
                options = options with { Inputs = long.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) };
                break;
            case "--seed":
                options = options with { Seed = ulong.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) };
                break;
            case "--target":
                options = options with
                {
                    Target = Value() switch
                    {
                        "rtsp" => FuzzTarget.Rtsp,
                        "params" => FuzzTarget.Params,
                        "all" => null,
                        string other => throw new ArgumentException($"unknown target {other}"),
                    },
                };
                break;
            case "--out":
                output = Path.GetFullPath(Value());
                break;
            case "--replay":
                replay = Value();
                break;
            case "--no-minimize":
                options = options with { Minimize = false };
                break;
            case "--hang-seconds":
                hangSeconds = int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
                break;
            case "-h" or "--help":
                Console.WriteLine(Usage);
                return 0;
            default:
                throw new ArgumentException($"unknown option {args[i]}");
        }
    }
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

if (replay is not null)
{
    return Replay(replay, options);
}

options = options with
{
    OutputDirectory = output,
    Progress = (done, elapsed) => Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{done:N0} inputs, {elapsed.TotalSeconds:F0} s, {done / Math.Max(elapsed.TotalSeconds, 1e-3):N0}/s   ")),
};

SeedCorpus seeds = SeedCorpus.Load(repositoryRoot);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Miraflow.Fuzz: {options.Inputs:N0} inputs, seed {options.Seed}, target {options.Target?.ToString().ToLowerInvariant() ?? "all"}; seeds: {seeds.Messages.Count} streams, {seeds.Bodies.Count} bodies, {seeds.ParameterLines.Count} parameter lines from {seeds.FileCount} corpus files"));

var runner = new FuzzRunner(seeds, options);
using var watchdog = new Timer(_ => CheckHang(runner, TimeSpan.FromSeconds(hangSeconds), output), null, 1000, 1000);
FuzzReport report = runner.Run();
Console.Error.WriteLine();
Console.Write(report.Format());
return report.CrashInputs == 0 ? 0 : 1;

static void CheckHang(FuzzRunner runner, TimeSpan limit, string? output)
{
    if (runner.Current is not { } current || Stopwatch.GetElapsedTime(current.StartedAt) < limit)
    {
        return;
    }

    string name = string.Create(CultureInfo.InvariantCulture, $"{(current.Target == FuzzTarget.Rtsp ? "rtsp" : "params")}-hang-{current.Input.Length}.bin");
    if (output is not null)
    {
        Directory.CreateDirectory(output);
        File.WriteAllBytes(Path.Combine(output, name), current.Input);
    }

    Console.Error.WriteLine();
    Console.Error.WriteLine($"HANG: one {current.Target} input ran over {limit.TotalSeconds} s; kept as {name}");
    Environment.Exit(3);
}

static int Replay(string path, FuzzOptions options)
{
    string[] files = Directory.Exists(path)
        ? [.. Directory.GetFiles(path, "*.bin").Where(f => FuzzRunner.TargetOf(f) is not null).Order(StringComparer.Ordinal)]
        : [path];
    int failed = 0;
    foreach (string file in files)
    {
        FuzzTarget target = FuzzRunner.TargetOf(file) ?? FuzzTarget.Rtsp;
        FuzzVerdict verdict = FuzzRunner.Execute(target, File.ReadAllBytes(file), options, out _, out _);
        Console.WriteLine($"{Path.GetFileName(file)}: {verdict.Outcome}{(verdict.Detail is null ? string.Empty : " " + verdict.Detail)}");
        failed += verdict.Outcome == FuzzOutcome.Violation ? 1 : 0;
    }

    Console.WriteLine($"{files.Length} case(s), {failed} violation(s)");
    return failed == 0 ? 0 : 1;
}
