namespace Miraflow.Rtsp.Negotiation;

/// <summary>The outcome of <see cref="FormatNegotiator.Negotiate"/>.</summary>
public sealed class NegotiationResult
{
    public NegotiationResult(IReadOnlyList<NegotiatedFormat> candidates, string reason, bool reducedByBandwidth, bool bandwidthInsufficient)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            throw new ArgumentException("At least one candidate is needed.", nameof(candidates));
        }

        Candidates = candidates;
        Reason = reason;
        ReducedByBandwidth = reducedByBandwidth;
        BandwidthInsufficient = bandwidthInsufficient;
    }

    /// <summary>The choice.</summary>
    public NegotiatedFormat Chosen => Candidates[0];

    /// <summary>Every acceptable format, best first: the M4 retries after a 303/403 walk this list.</summary>
    public IReadOnlyList<NegotiatedFormat> Candidates { get; }

    /// <summary>One line for the log: what was chosen and why.</summary>
    public string Reason { get; }

    /// <summary>Some sink modes were dropped because the suggested bitrate cannot carry them.</summary>
    public bool ReducedByBandwidth { get; }

    /// <summary>Not even the smallest common mode fits the suggested bitrate.</summary>
    public bool BandwidthInsufficient { get; }
}
