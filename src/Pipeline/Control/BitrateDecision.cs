namespace Miraflow.Pipeline.Control;

/// <summary>The outcome of one <see cref="BitrateController.OnDataRate"/> call.</summary>
/// <param name="Target">The encoder target in force after the sample, in bit/s.</param>
/// <param name="Max">The peak in force after the sample, in bit/s.</param>
/// <param name="Change">What the sample did to the target.</param>
/// <param name="InsufficientBandwidth">
/// True for exactly one sample per controller: the one that completed the run of low samples. The
/// session controller then ends the session with <c>MIRACAST_STATUS_INSUFFICIENT_BANDWIDTH</c>.
/// </param>
public readonly record struct BitrateDecision(int Target, int Max, BitrateChange Change, bool InsufficientBandwidth);
