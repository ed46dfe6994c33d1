namespace Miraflow.Pipeline.Tests.Control;

/// <summary>
/// Runs the control and diagnostics tests on their own, after the parallel ones. Once, with them
/// running beside it, a steady-state allocation test counted bytes it did not allocate (these
/// tests start threads and a <c>MeterListener</c>, whose callbacks run on the recording thread);
/// the cause was not pinned down, so they keep clear of the allocation tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public static class SerialUnitTests
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Control and diagnostics (serial)";
}
