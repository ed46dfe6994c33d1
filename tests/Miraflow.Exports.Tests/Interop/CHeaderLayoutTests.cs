using Miraflow.Exports.Tests.TestSupport;

namespace Miraflow.Exports.Tests.Interop;

/// <summary>
/// The C transcription tests/native/netdispumdddi.h, compiled by gcc for x86 (<c>-m32</c>) and
/// x64 (<c>-m64</c>), against the contract's numbers for that architecture, and on x64 against
/// the managed layout too; plus constants, enum values and bit-field positions, which must agree
/// between C and C# on both.
/// </summary>
/// <remarks>
/// gcc on Linux follows the System V ABIs, whose only difference from MSVC for these types is the
/// alignment of 8-byte members on x86; the header pins that to 8 as MSVC does, so the gcc -m32
/// layout is the Windows x86 layout.
/// </remarks>
[Trait("Category", "integration")]
public sealed class CHeaderLayoutTests
{
    [Theory]
    [InlineData("-m32", 4)]
    [InlineData("-m64", 8)]
    public void C_header_matches_the_contract(string machineFlag, int pointerSize)
    {
        Dictionary<string, long> c = CProbe.Evaluate(machineFlag, ContractLayout.Entries.Select(e => e.Expression));
        var mismatches = new List<string>();
        foreach ((string Expression, long X86, long X64) entry in ContractLayout.Entries)
        {
            long expected = ContractLayout.Expected(entry, pointerSize);
            if (c[entry.Expression] != expected)
            {
                mismatches.Add($"{entry.Expression}: contract {expected}, gcc {machineFlag} {c[entry.Expression]}");
            }
        }

        Assert.True(mismatches.Count == 0, "Layout mismatches:\n" + string.Join('\n', mismatches));
    }

    [Fact]
    public void C_header_on_x64_matches_the_managed_layout()
    {
        Assert.Equal(8, IntPtr.Size);
        Dictionary<string, long> managed = ManagedLayout.Layout();
        Dictionary<string, long> c = CProbe.Evaluate("-m64", managed.Keys);
        var mismatches = managed.Where(m => c[m.Key] != m.Value).Select(m => $"{m.Key}: gcc -m64 {c[m.Key]}, C# {m.Value}").ToList();
        Assert.True(mismatches.Count == 0, "Layout mismatches:\n" + string.Join('\n', mismatches));
    }

    [Theory]
    [InlineData("-m32")]
    [InlineData("-m64")]
    public void Constants_enum_values_and_bit_fields_agree_between_C_and_CSharp(string machineFlag)
    {
        Dictionary<string, long> managed = ManagedLayout.Values();
        Dictionary<string, long> c = CProbe.Evaluate(machineFlag, managed.Keys);
        var mismatches = managed.Where(m => c[m.Key] != m.Value).Select(m => $"{m.Key}: gcc {machineFlag} {c[m.Key]}, C# {m.Value}").ToList();
        Assert.True(mismatches.Count == 0, "Value mismatches:\n" + string.Join('\n', mismatches));
        Assert.True(managed.Count > 50, "too few probes");
    }
}
