using Miraflow.Fuzz;

namespace Miraflow.Rtsp.Tests.Fuzz;

/// <summary>
/// Replays every crash case the fuzzer kept (<c>Fuzz/Regressions/rtsp-*.bin</c> and
/// <c>params-*.bin</c>, each with a <c>.txt</c> saying what broke) through the same oracle: each
/// must now pass. A case is added by copying it from the fuzzer's <c>--out</c> directory.
/// </summary>
[Trait("Category", "unit")]
public sealed class FuzzRegressionTests
{
    private static readonly string s_directory = Path.Combine(AppContext.BaseDirectory, "Fuzz", "Regressions");

    internal static string RepositoryRoot =>
        SeedCorpus.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(s_directory, "*.bin").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void KeptCase_PassesTheOracle(string fileName)
    {
        string path = Path.Combine(s_directory, fileName);
        FuzzTarget target = FuzzRunner.TargetOf(path) ?? throw new InvalidOperationException(fileName + ": the name must start with rtsp- or params-");

        FuzzVerdict verdict = FuzzRunner.Execute(target, File.ReadAllBytes(path), new FuzzOptions(), out _, out _);

        Assert.True(verdict.Outcome != FuzzOutcome.Violation, $"{fileName}: {verdict.Detail}");
    }

    [Fact]
    public void EveryKeptCase_HasItsNote()
    {
        foreach (string path in Directory.GetFiles(s_directory, "*.bin"))
        {
            Assert.True(FuzzRunner.TargetOf(path) is not null, path);
            Assert.True(File.Exists(Path.ChangeExtension(path, ".txt")), path + " has no .txt note");
        }
    }
}
