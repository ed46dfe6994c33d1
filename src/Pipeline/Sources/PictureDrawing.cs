using System.Runtime.InteropServices;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Sources;

/// <summary>A colour as BT.601 limited-range Y, Cb (U) and Cr (V).</summary>
internal readonly record struct YuvColor(byte Y, byte U, byte V)
{
    /// <summary>A grey of luma <paramref name="y"/> (neutral chroma).</summary>
    public static YuvColor Grey(byte y) => new(y, 128, 128);
}

/// <summary>
/// Clipped rectangle fills and 5×7 text on I420 and NV12 pictures of any stride. Rectangles on
/// even coordinates cover whole chroma samples; text is drawn in luma only, so it keeps the
/// colour of what it is drawn on.
/// </summary>
internal static class PictureDrawing
{
    /// <summary>Fills a rectangle, clipped to the picture.</summary>
    public static void FillRect(VideoFrame picture, int x, int y, int width, int height, YuvColor color)
    {
        int x0 = Math.Max(x, 0), y0 = Math.Max(y, 0);
        int x1 = Math.Min(x + width, picture.Width), y1 = Math.Min(y + height, picture.Height);
        if (x1 <= x0 || y1 <= y0)
        {
            return;
        }

        Span<byte> luma = picture.Y;
        int lumaStride = picture.LumaStride;
        for (int row = y0; row < y1; row++)
        {
            luma.Slice((row * lumaStride) + x0, x1 - x0).Fill(color.Y);
        }

        int cx0 = x0 / 2, cx1 = (x1 + 1) / 2, cy0 = y0 / 2, cy1 = (y1 + 1) / 2;
        int stride = picture.ChromaStride;
        if (picture.Format == PixelFormat.I420)
        {
            Span<byte> u = picture.U, v = picture.V;
            for (int row = cy0; row < cy1; row++)
            {
                u.Slice((row * stride) + cx0, cx1 - cx0).Fill(color.U);
                v.Slice((row * stride) + cx0, cx1 - cx0).Fill(color.V);
            }
        }
        else
        {
            ReadOnlySpan<byte> pairBytes = [color.U, color.V];
            ushort pair = MemoryMarshal.Read<ushort>(pairBytes);
            Span<byte> uv = picture.U;
            for (int row = cy0; row < cy1; row++)
            {
                MemoryMarshal.Cast<byte, ushort>(uv.Slice((row * stride) + (2 * cx0), 2 * (cx1 - cx0))).Fill(pair);
            }
        }
    }

    /// <summary>
    /// Draws <paramref name="text"/> (ASCII) with its top-left corner at (x, y), each font pixel
    /// <paramref name="scale"/>×<paramref name="scale"/>, clipped to the picture and to
    /// <paramref name="right"/>.
    /// </summary>
    public static void DrawText(VideoFrame picture, int x, int y, ReadOnlySpan<byte> text, int scale, byte luma, int right = int.MaxValue)
    {
        right = Math.Min(right, picture.Width);
        int cell = BitmapFont.CellWidth * scale;
        Span<byte> plane = picture.Y;
        int stride = picture.LumaStride;
        for (int py = 0; py < BitmapFont.GlyphHeight * scale; py++)
        {
            int row = y + py;
            if (unchecked((uint)row) >= (uint)picture.Height)
            {
                continue;
            }

            Span<byte> line = plane.Slice(row * stride, picture.Width);
            int glyphRow = py / scale;
            for (int i = 0; i < text.Length; i++)
            {
                int cx = x + (i * cell);
                if (cx >= right)
                {
                    break;
                }

                int bits = BitmapFont.Glyph(text[i])[glyphRow];
                for (int col = 0; bits != 0 && col < BitmapFont.GlyphWidth; col++)
                {
                    if ((bits & (0x10 >> col)) == 0)
                    {
                        continue;
                    }

                    int from = Math.Max(cx + (col * scale), 0);
                    int to = Math.Min(cx + ((col + 1) * scale), right);
                    if (to > from)
                    {
                        line[from..to].Fill(luma);
                    }
                }
            }
        }
    }

    /// <summary>Writes <paramref name="value"/> as <paramref name="destination"/>.Length decimal digits, zero-padded (the lowest digits when it is longer).</summary>
    public static void WriteDigits(Span<byte> destination, long value)
    {
        value = Math.Abs(value);
        for (int i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (int)(value % 10));
            value /= 10;
        }
    }

    /// <summary>Writes <paramref name="time"/> as <c>HH:MM:SS.mmm</c> (12 bytes; hours wrap at 100).</summary>
    public static ReadOnlySpan<byte> FormatClock(Span<byte> destination, MediaTime time)
    {
        long ms = Math.Max(time.Ticks, 0) / (MediaTime.TicksPerSecond / 1000);
        WriteDigits(destination[..2], ms / 3_600_000);
        destination[2] = (byte)':';
        WriteDigits(destination.Slice(3, 2), ms / 60_000 % 60);
        destination[5] = (byte)':';
        WriteDigits(destination.Slice(6, 2), ms / 1000 % 60);
        destination[8] = (byte)'.';
        WriteDigits(destination.Slice(9, 3), ms % 1000);
        return destination[..12];
    }
}
