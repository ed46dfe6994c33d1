using Miraflow.Fuzz;
using Xunit.Abstractions;

namespace Miraflow.Rtsp.Tests.Fuzz;

/// <summary>
/// The CI slice of the fuzzer (fuzz/README.md): a fixed-seed run of <see cref="Inputs"/> inputs
/// over both targets must find no violation, and must actually reach every outcome (so a mutator
/// that only produces garbage, or only valid messages, fails here rather than passing vacuously).
/// </summary>
[Trait("Category", "unit")]
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 20_000;
    private const ulong Seed = 1;

    private static readonly Lazy<SeedCorpus> s_seeds = new(() => SeedCorpus.Load(FuzzRegressionTests.RepositoryRoot));

    [Fact]
    public void FixedSeedRun_FindsNoViolation()
    {
        FuzzReport report = new FuzzRunner(s_seeds.Value, new FuzzOptions { Inputs = Inputs, Seed = Seed }).Run();
        output.WriteLine(report.Format());

        Assert.True(report.CrashInputs == 0, report.Format());
        Assert.Equal(Inputs, report.Inputs);
        foreach (FuzzTarget target in Enum.GetValues<FuzzTarget>())
        {
            Assert.True(report.Counts[(int)target, (int)FuzzOutcome.Parsed] > Inputs / 20, $"{target}: too few inputs parse\n{report.Format()}");
            Assert.True(report.Counts[(int)target, (int)FuzzOutcome.Rejected] > Inputs / 20, $"{target}: too few inputs are rejected\n{report.Format()}");
        }

        Assert.True(report.TypedValues > Inputs / 4, report.Format());
    }

    [Fact]
    public void SameSeed_SameInputs_SameFigures()
    {
        var options = new FuzzOptions { Inputs = 1_000, Seed = 7 };
        FuzzReport first = new FuzzRunner(s_seeds.Value, options).Run();
        FuzzReport second = new FuzzRunner(s_seeds.Value, options).Run();

        Assert.Equal(first.Counts.Cast<long>(), second.Counts.Cast<long>());
        Assert.Equal(first.Reasons, second.Reasons);
        Assert.Equal(first.TypedValues, second.TypedValues);
    }

    [Fact]
    public void SeedCorpus_HoldsBothCorpora()
    {
        SeedCorpus seeds = s_seeds.Value;

        // 20 torture files and 18 sink logs (both are in the repository / shared checkout in CI).
        Assert.True(seeds.FileCount >= 38, $"{seeds.FileCount} corpus files");
        Assert.True(seeds.Messages.Count > 60);
        Assert.Contains(seeds.ParameterLines, line => line.StartsWith("wfd_display_edid: 0002 ", StringComparison.Ordinal));
    }
}
