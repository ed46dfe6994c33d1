using Miraflow.Pipeline.Encoders;

namespace Miraflow.Pipeline.Control;

/// <summary>Lets a <see cref="BitrateController"/> drive an <see cref="EncodeStage"/> (applied at its next picture).</summary>
/// <param name="stage">The stage whose encoder gets the new rates.</param>
public sealed class EncodeStageBitrateTarget(EncodeStage stage) : IBitrateTarget
{
    private readonly EncodeStage _stage = stage ?? throw new ArgumentNullException(nameof(stage));

    /// <inheritdoc/>
    public void SetBitrate(int target, int max) => _stage.SetBitrate(target, max);
}
