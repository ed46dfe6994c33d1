namespace Miraflow.Pipeline.Control;

/// <summary>What one data-rate sample did to the encoder target.</summary>
public enum BitrateChange
{
    /// <summary>The target stayed (inside the dead band, waiting out the increase hold, or at a clamp).</summary>
    None,

    /// <summary>The target went down to the available rate less the headroom.</summary>
    Decreased,

    /// <summary>The target went up by at most one step.</summary>
    Increased,

    /// <summary>This sample said QoS data is no longer available; adapting stops and the target stays.</summary>
    Unavailable,

    /// <summary>QoS data was already unavailable; the sample was ignored.</summary>
    Ignored,
}
