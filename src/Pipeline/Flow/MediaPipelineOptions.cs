namespace Miraflow.Pipeline.Flow;

/// <summary>The tunables of a <see cref="MediaPipeline"/> (house style §5.3, rule 12).</summary>
public sealed class MediaPipelineOptions
{
    /// <summary>The default <see cref="StopBudget"/>: the session's TEARDOWN budget.</summary>
    public static readonly TimeSpan DefaultStopBudget = TimeSpan.FromSeconds(3);

    /// <summary>Items the encode block holds (input, in flight and output); 2 by default, 1 to 8.</summary>
    public int EncodeCapacity { get; set; } = 2;

    /// <summary>Items the send block holds (video units and audio frames); 6 by default, 1 to 16.</summary>
    public int SendCapacity { get; set; } = 6;

    /// <summary>Whether the encode block runs on a dedicated thread of its own (true by default).</summary>
    public bool DedicatedEncodeThread { get; set; } = true;

    /// <summary>How long <see cref="MediaPipeline.StopAsync(TimeSpan)"/> and dispose wait for the drain before cancelling.</summary>
    public TimeSpan StopBudget { get; set; } = DefaultStopBudget;

    /// <summary>
    /// Send PAT, PMT and a PCR on their own when no unit comes for half the muxer's PSI interval
    /// (a stalled encoder or capture), checked every quarter interval. Default true; tests that
    /// count datagrams exactly turn it off.
    /// </summary>
    public bool PsiHeartbeat { get; set; } = true;

    /// <summary>Throws when a value is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(EncodeCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(EncodeCapacity, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(SendCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SendCapacity, 16);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(StopBudget, TimeSpan.Zero);
    }
}
