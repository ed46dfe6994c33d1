namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// One resolution/refresh entry of a WFD table: bit <see cref="Bit"/> of table <see cref="Table"/>.
/// <see cref="FrameRate"/> is the field or frame rate in the table's name (60 for 1080i60).
/// </summary>
public readonly record struct VideoMode(ResolutionTable Table, int Bit, int Width, int Height, int FrameRate, bool Progressive)
{
    /// <summary>The bitmap mask of this mode in its table.</summary>
    public uint Mask => 1u << Bit;

    /// <summary>Pictures per second: frames for progressive, frames (= fields / 2) for interlaced.</summary>
    public int FramesPerSecond => Progressive ? FrameRate : FrameRate / 2;

    /// <summary>Protocol doc §2.8 score: width × height × rate × (2 if progressive).</summary>
    public long Score => (long)Width * Height * FrameRate * (Progressive ? 2 : 1);

    /// <summary>e.g. <c>1920x1080p30</c>, <c>1920x1080i60</c>.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Width}x{Height}{(Progressive ? 'p' : 'i')}{FrameRate}");
}
