using Miraflow.Rtsp.Negotiation;

namespace Miraflow.Pipeline.Control;

/// <summary>Tuning of the <see cref="BitrateController"/>; the defaults suit one OS sample a second.</summary>
public sealed record BitrateControllerOptions
{
    /// <summary>The lowest target in bit/s. Default: <see cref="BandwidthModel.MinimumBitrate"/> (1 Mbit/s).</summary>
    public int FloorBitrate { get; init; } = (int)BandwidthModel.MinimumBitrate;

    /// <summary>The highest target in bit/s, below the level's own maximum; 0 (default) means only the level's maximum.</summary>
    public int CeilingBitrate { get; init; }

    /// <summary>The share of the available rate the target aims for, in percent. Default 90.</summary>
    public int HeadroomPercent { get; init; } = 90;

    /// <summary>
    /// Changes smaller than this, in percent, are ignored. Default 5: the target goes down once it
    /// is above <see cref="HeadroomPercent"/> + 5 % of the available rate, and up once the aim is
    /// 5 % above it.
    /// </summary>
    public int DeadbandPercent { get; init; } = 5;

    /// <summary>How long the available rate must stay above the target before each increase. Default 2 s.</summary>
    public TimeSpan IncreaseHoldTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The largest single increase, in percent of the current target. Default 20.</summary>
    public int IncreaseStepPercent { get; init; } = 20;

    /// <summary>Consecutive samples below the mode's need that make the bandwidth insufficient. Default 3.</summary>
    public int InsufficientSampleCount { get; init; } = 3;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(FloorBitrate, 0, nameof(FloorBitrate));
        ArgumentOutOfRangeException.ThrowIfNegative(CeilingBitrate, nameof(CeilingBitrate));
        if (CeilingBitrate != 0)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(CeilingBitrate, FloorBitrate, nameof(CeilingBitrate));
        }

        if (HeadroomPercent is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(HeadroomPercent), HeadroomPercent, "1 to 100 percent of the available rate.");
        }

        if (DeadbandPercent is < 0 or > 50)
        {
            throw new ArgumentOutOfRangeException(nameof(DeadbandPercent), DeadbandPercent, "0 to 50 percent.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(IncreaseHoldTime, TimeSpan.Zero, nameof(IncreaseHoldTime));
        if (IncreaseStepPercent is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(IncreaseStepPercent), IncreaseStepPercent, "1 to 1000 percent of the target.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(InsufficientSampleCount, 1, nameof(InsufficientSampleCount));
    }
}
