using System.Globalization;
using Miraflow.Simulator.Stability;
using Miraflow.Simulator.Tests.Demo;
using Xunit.Abstractions;

namespace Miraflow.Simulator.Tests.Cli;

/// <summary>
/// <c>miraflow stability</c> as a process, for the 2 minutes CI affords (HLK "Verify Stability"
/// runs 120: <c>./miraflow stability --minutes 120</c> by hand, see docs/simulator.md).
/// </summary>
[Collection(SessionProcesses.Name)]
[Trait("Category", "stability")]
public sealed class StabilityCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("miraflow-stability-").FullName;

    [Fact]
    public async Task Two_minutes_of_720p30_keep_the_session_up_lose_nothing_and_keep_memory_flat()
    {
        string csv = Path.Combine(_directory, "samples.csv");
        ToolResult result = await MiraflowProcess.RunAsync(["stability", "--minutes", "2", "--interval", "5", "--csv", csv], TimeSpan.FromMinutes(4));
        output.WriteLine(result.Describe());

        Assert.True(result.ExitCode == 0, result.Describe());
        string stdout = result.StandardOutput;
        Assert.Equal("PASS", SessionProcesses.SummaryValue(stdout, "result"));
        Assert.Equal("0 / 0", SessionProcesses.SummaryValue(stdout, "sequence gaps / CC errors"));
        Assert.Equal("0", SessionProcesses.SummaryValue(stdout, "contract violations"));
        Assert.Empty(result.StandardError);

        // The samples: 24 of them, pictures flowing in each interval, the live heap within its bound after the warm-up.
        string[] rows = [.. File.ReadAllLines(csv).Skip(1)];
        Assert.InRange(rows.Length, 23, 24);
        long[][] values = [.. rows.Select(r => r.Split(',').Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray())];
        for (int i = 1; i < values.Length; i++)
        {
            Assert.True(values[i][4] > values[i - 1][4] + 50, $"sample {i}: {values[i][4] - values[i - 1][4]} frames sent in 5 s");
        }

        long[] heapAfterWarmUp = [.. values.Skip(5).Select(v => v[0])];
        Assert.InRange(heapAfterWarmUp.Max() - heapAfterWarmUp.Min(), 0, MemoryTrend.MaxHeapGrowthBytes);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
