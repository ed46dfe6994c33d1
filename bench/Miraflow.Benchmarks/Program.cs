using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace Miraflow.Benchmarks;

/// <summary>
/// BenchmarkDotNet host: <c>dotnet run -c Release --project bench/Miraflow.Benchmarks -- --filter '*'</c>.
/// Every benchmark reports allocations (<see cref="MemoryDiagnoser"/>).
/// </summary>
internal static class Program
{
    public static void Main(string[] args)
    {
        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
