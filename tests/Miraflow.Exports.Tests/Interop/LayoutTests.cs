namespace Miraflow.Exports.Tests.Interop;

/// <summary>
/// The managed declarations against every size and offset of the driver contract (section 1.3):
/// as the running runtime lays them out, and as they lay out for 4-byte and 8-byte pointers.
/// </summary>
[Trait("Category", "unit")]
public sealed class LayoutTests
{
    [Fact]
    public void Runtime_layout_matches_the_contract_for_this_platform()
    {
        Dictionary<string, long> actual = ManagedLayout.Layout();
        var mismatches = new List<string>();
        foreach ((string Expression, long X86, long X64) entry in ContractLayout.Entries)
        {
            long expected = ContractLayout.Expected(entry, IntPtr.Size);
            if (actual[entry.Expression] != expected)
            {
                mismatches.Add($"{entry.Expression}: contract {expected}, runtime {actual[entry.Expression]}");
            }
        }

        Assert.True(mismatches.Count == 0, $"Layout mismatches ({IntPtr.Size}-byte pointers):\n" + string.Join('\n', mismatches));
        Assert.Equal(ContractLayout.Entries.Count, actual.Count);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    public void Declared_layout_matches_the_contract_for_each_pointer_size(int pointerSize)
    {
        var mismatches = new List<string>();
        foreach ((string Expression, long X86, long X64) entry in ContractLayout.Entries)
        {
            long expected = ContractLayout.Expected(entry, pointerSize);
            long declared = DeclaredLayout.Evaluate(entry.Expression, pointerSize);
            if (declared != expected)
            {
                mismatches.Add($"{entry.Expression}: contract {expected}, declarations {declared}");
            }
        }

        Assert.True(mismatches.Count == 0, $"Layout mismatches ({pointerSize}-byte pointers):\n" + string.Join('\n', mismatches));
    }

    [Fact]
    public void Declared_layout_model_agrees_with_the_runtime()
    {
        // The model that gives the x86 numbers above, run for this platform, must reproduce what
        // the runtime does here; otherwise it proves nothing about x86.
        Dictionary<string, long> runtime = ManagedLayout.Layout();
        foreach ((string expression, long actual) in runtime)
        {
            Assert.True(DeclaredLayout.Evaluate(expression, IntPtr.Size) == actual, $"{expression}: model {DeclaredLayout.Evaluate(expression, IntPtr.Size)}, runtime {actual}");
        }
    }
}
