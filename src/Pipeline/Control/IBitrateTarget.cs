namespace Miraflow.Pipeline.Control;

/// <summary>Where the <see cref="BitrateController"/> sends its decisions: the encoder's rate control.</summary>
/// <remarks><see cref="EncodeStageBitrateTarget"/> adapts an <see cref="Encoders.EncodeStage"/>.</remarks>
public interface IBitrateTarget
{
    /// <summary>Sets the target and peak bitrate in bit/s (the peak is never below the target).</summary>
    void SetBitrate(int target, int max);
}
