using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace Miraflow.Benchmarks;

/// <summary>
/// BenchmarkDotNet host: <c>dotnet run -c Release --project bench/Miraflow.Benchmarks -- --filter '*'</c>.
/// Every benchmark reports allocations (<see cref="MemoryDiagnoser"/>). <c>encode</c> and
/// <c>encode-raw</c> as the first argument run <see cref="EncodeCommand"/> instead.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (EncodeCommand.TryRun(args) is int exitCode)
        {
            return exitCode;
        }

        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
