namespace Miraflow.Pipeline.Media;

/// <summary>The raw picture layouts the encoder takes (4:2:0, 8 bits per sample).</summary>
public enum PixelFormat
{
    /// <summary>Three planes: Y, then U and V at half width and half height.</summary>
    I420,

    /// <summary>Two planes: Y, then interleaved UV at half height (what GPUs colour-convert to).</summary>
    Nv12,
}
