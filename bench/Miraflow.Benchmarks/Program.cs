using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace Miraflow.Benchmarks;

/// <summary>
/// BenchmarkDotNet host: <c>dotnet run -c Release --project bench/Miraflow.Benchmarks -- --filter '*'</c>.
/// Every benchmark reports allocations (<see cref="MemoryDiagnoser"/>). A first argument that
/// names a command (<c>make-input</c>, <c>mux-send</c>, <c>alloc-check</c>, see
/// <see cref="Commands"/>; <c>encode</c>, <c>encode-raw</c>, see <see cref="EncodeCommand"/>; <c>pipeline</c>, see <see cref="PipelineCommand"/>)
/// runs that instead.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if ((Commands.TryRun(args) ?? EncodeCommand.TryRun(args) ?? PipelineCommand.TryRun(args)) is int exitCode)
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
