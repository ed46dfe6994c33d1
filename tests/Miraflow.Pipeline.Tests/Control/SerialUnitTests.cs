namespace Miraflow.Pipeline.Tests.Control;

/// <summary>
/// Runs the control and diagnostics tests on their own, after the parallel ones: they start
/// threads and allocate, which would show up in the process-wide steady-state allocation tests
/// (<c>GC.GetTotalAllocatedBytes(true)</c>) running next to them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public static class SerialUnitTests
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Control and diagnostics (serial)";
}
