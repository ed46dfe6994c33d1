using System.Globalization;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Sources;

/// <summary>
/// Draws the test picture: a desktop with a still wallpaper, icons and a taskbar, a window that
/// drifts across it, and a clock and frame counter that change every frame.
/// </summary>
/// <remarks>
/// <code>
/// ┌────────────────────────────────────────────────┐
/// │ ▣ DOC     wallpaper (still)       ┌──────────┐ │
/// │ ▣ NET                             │▒ video  ▒│ │ ◄─ new noise texture every frame
/// │ ▣ LOG      ┌─MIRAFLOW TEST PICTURE┴─────[X]┐  │ │
/// │ ▣ BIN      │ 1920X1080 P60                 │ ─► drifts: 16 s across and back,
/// │            │ FRAME 00000123                │    10 s down and back (over the video)
/// │            │ TIME 00:00:02.050             │    │
/// │            │ THE QUICK BROWN FOX …         │    │
/// │            │ ███ colour bars ███           │    │
/// │            │ ▬▬▬▬▬ progress ──             │    │
/// │            └───────────────────────────────┘    │
/// ├────────────────────────────────────────────────┤
/// │[MIRA]                 FRAME 00000123 00:00:02.050│ taskbar
/// └────────────────────────────────────────────────┘
/// </code>
/// The still part is drawn once into a cached picture; each frame copies it and draws the video
/// panel, the window and the taskbar text on top, so a frame costs about one picture copy plus
/// the panel. The panel (<see cref="VideoArea"/>) is what lets an encoder reach a WFD bitrate. Frame k depends only
/// on k and the time it is given. The window never enters the top-left corner (1/16 of the
/// width, 1/10 of the height), so that corner is the same in every frame.
/// </remarks>
internal sealed class DesktopPicture : IDisposable
{
    private static readonly YuvColor[] s_bars =
    [
        new(180, 128, 128), new(162, 44, 142), new(131, 156, 44), new(112, 72, 58),
        new(84, 184, 198), new(65, 100, 212), new(35, 212, 114), new(16, 128, 128),
    ];

    private static readonly YuvColor[] s_icons =
    [
        new(162, 44, 142), new(35, 212, 114), new(112, 72, 58), new(84, 184, 198),
    ];

    private readonly VideoFrame _background;
    private readonly byte[] _modeText;
    private readonly int _scale;
    private readonly int _cellWidth;
    private readonly int _cellHeight;
    private readonly int _taskbarTop;
    private readonly int _taskbarHeight;
    private readonly int _windowWidth;
    private readonly int _windowHeight;
    private readonly int _left;
    private readonly int _right;
    private readonly int _top;
    private readonly int _bottom;
    private readonly long _periodX;
    private readonly long _periodY;
    private readonly (int X, int Y, int Width, int Height) _video;

    public DesktopPicture(int width, int height, PixelFormat format, double frameRate, bool videoPanel = true)
    {
        _background = VideoFrame.Create(width, height, format);
        _scale = Math.Max(1, height / 240);
        _cellWidth = BitmapFont.CellWidth * _scale;
        _cellHeight = BitmapFont.CellHeight * _scale;
        _taskbarHeight = Math.Min(height, Even(Math.Max(height / 18, _cellHeight + (4 * _scale))));
        _taskbarTop = height - _taskbarHeight;
        _windowWidth = Even(width * 3 / 8);
        _windowHeight = Even(height * 3 / 8);
        _left = Even(width / 16);
        _top = Even(height / 10);
        _right = Math.Max(_left, width - _windowWidth - _left);
        _bottom = Math.Max(_top, _taskbarTop - _windowHeight - Even(height / 20));
        _periodX = Math.Max(2, (long)Math.Round(16 * frameRate));
        _periodY = Math.Max(2, (long)Math.Round(10 * frameRate));
        _video = videoPanel ? (Even(width * 11 / 16), Even(height / 10), Even(width / 4), Even(height / 4)) : default;
        string rate = frameRate.ToString("0.##", CultureInfo.InvariantCulture);
        _modeText = System.Text.Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{width}X{height} P{rate}"));
        DrawBackground();
    }

    public int Width => _background.Width;

    public int Height => _background.Height;

    public PixelFormat Format => _background.Format;

    /// <summary>The window's top-left corner in frame <paramref name="index"/> (even coordinates).</summary>
    public (int X, int Y) WindowPosition(long index)
    {
        return (_left + Travel(index, _periodX, _right - _left), _top + Travel(index, _periodY, _bottom - _top));

        static int Travel(long index, long period, int distance)
        {
            long phase = (index % period) * 2;
            long along = phase <= period ? phase : (2 * period) - phase;
            return Even((int)(distance * along / period));
        }
    }

    /// <summary>
    /// The "video playing" panel: a fixed quarter-size area at the top right with new
    /// noise-textured content every frame, as a video window on a desktop has. A desktop that only
    /// moves a window and some text needs far less than the Mbit/s a WFD mode is negotiated for,
    /// so without it an encoder could not show that it reaches its bitrate target.
    /// </summary>
    public (int X, int Y, int Width, int Height) VideoArea => _video;

    /// <summary>The window's size.</summary>
    public (int Width, int Height) WindowSize => (_windowWidth, _windowHeight);

    /// <summary>Where the taskbar's clock text starts and its height.</summary>
    public (int X, int Y, int Width, int Height) ClockArea =>
        (Math.Max(0, Width - (13 * _cellWidth)), _taskbarTop, 12 * _cellWidth, _taskbarHeight);

    /// <summary>Draws frame <paramref name="index"/>, stamped <paramref name="time"/>, into <paramref name="destination"/>.</summary>
    public void Render(VideoFrame destination, long index, MediaTime time)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Width != Width || destination.Height != Height || destination.Format != Format)
        {
            throw new ArgumentException($"The picture must be {Width}×{Height} {Format}.", nameof(destination));
        }

        VideoFrame background = _background;
        PictureConverter.CopyPlane(background.Y, background.LumaStride, destination.Y, destination.LumaStride, Width, Height);
        int chromaWidth = Format == PixelFormat.I420 ? Width / 2 : Width;
        PictureConverter.CopyPlane(background.U, background.ChromaStride, destination.U, destination.ChromaStride, chromaWidth, Height / 2);
        if (Format == PixelFormat.I420)
        {
            PictureConverter.CopyPlane(background.V, background.ChromaStride, destination.V, destination.ChromaStride, chromaWidth, Height / 2);
        }

        Span<byte> counter = stackalloc byte[14];
        "FRAME "u8.CopyTo(counter);
        PictureDrawing.WriteDigits(counter[6..], index);
        Span<byte> clock = stackalloc byte[12];
        PictureDrawing.FormatClock(clock, time);

        DrawVideo(destination, index);
        DrawWindow(destination, index, counter, clock);

        int textY = _taskbarTop + ((_taskbarHeight - (BitmapFont.GlyphHeight * _scale)) / 2);
        (int clockX, _, _, _) = ClockArea;
        PictureDrawing.DrawText(destination, clockX, textY, clock, _scale, 235);
        PictureDrawing.DrawText(destination, clockX - (15 * _cellWidth), textY, counter, _scale, 235);
    }

    public void Dispose() => _background.Dispose();

    private static int Even(int value) => value & ~1;

    /// <summary>
    /// Fills the video panel: luma noise from an xorshift generator seeded by the frame index
    /// (frame k is always the same picture) over a slowly moving colour wash.
    /// </summary>
    private void DrawVideo(VideoFrame picture, long index)
    {
        (int x0, int y0, int w, int h) = _video;
        if (w <= 0 || h <= 0)
        {
            return;
        }

        uint state = unchecked((uint)(index * 2_654_435_761L)) | 1;
        Span<byte> y = picture.Y;
        for (int row = 0; row < h; row++)
        {
            Span<byte> line = y.Slice(((y0 + row) * picture.LumaStride) + x0, w);
            int wash = 60 + (int)((index + row) % 120);
            for (int x = 0; x < line.Length; x++)
            {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                line[x] = (byte)(wash + (int)(state & 63));
            }
        }

        byte u = (byte)(96 + (index % 64));
        byte v = (byte)(160 - (index % 64));
        for (int row = y0 / 2; row < (y0 + h) / 2; row++)
        {
            Span<byte> chroma = picture.U.Slice(row * picture.ChromaStride);
            if (picture.Format == PixelFormat.I420)
            {
                chroma.Slice(x0 / 2, w / 2).Fill(u);
                picture.V.Slice((row * picture.ChromaStride) + (x0 / 2), w / 2).Fill(v);
            }
            else
            {
                Span<byte> uv = chroma.Slice(x0, w);
                for (int x = 0; x < uv.Length; x += 2)
                {
                    uv[x] = u;
                    uv[x + 1] = v;
                }
            }
        }
    }

    private void DrawWindow(VideoFrame picture, long index, ReadOnlySpan<byte> counter, ReadOnlySpan<byte> clock)
    {
        if (_windowWidth <= 0 || _windowHeight <= 0)
        {
            return;
        }

        (int x, int y) = WindowPosition(index);
        int s = _scale, border = Math.Max(2, Even(s));
        int titleHeight = Even(_cellHeight + (2 * s));
        int innerX = x + border, innerWidth = _windowWidth - (2 * border), innerRight = innerX + innerWidth;

        PictureDrawing.FillRect(picture, x, y, _windowWidth, _windowHeight, YuvColor.Grey(60));
        PictureDrawing.FillRect(picture, innerX, y + border, innerWidth, titleHeight, new YuvColor(70, 180, 100));
        PictureDrawing.FillRect(picture, innerRight - titleHeight, y + border, titleHeight, titleHeight, new YuvColor(76, 90, 240));
        PictureDrawing.DrawText(picture, innerRight - titleHeight + ((titleHeight - (5 * s)) / 2), y + border + s, "X"u8, s, 235);
        PictureDrawing.DrawText(picture, innerX + (2 * s), y + border + s, "MIRAFLOW TEST PICTURE"u8, s, 235, innerRight - titleHeight);

        int bodyY = y + border + titleHeight;
        int bodyHeight = _windowHeight - (2 * border) - titleHeight;
        PictureDrawing.FillRect(picture, innerX, bodyY, innerWidth, bodyHeight, YuvColor.Grey(235));

        int textX = innerX + (3 * s), line = _cellHeight + (2 * s), textY = bodyY + (2 * s);
        int bottom = bodyY + bodyHeight;
        ReadOnlySpan<byte> time = "TIME  "u8;
        for (int i = 0; i < 5 && textY + _cellHeight <= bottom; i++, textY += line)
        {
            ReadOnlySpan<byte> text = i switch
            {
                0 => _modeText,
                1 => counter,
                2 => time,
                3 => "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG"u8,
                _ => "0123456789 +-=/:.,!?#%&*()[]<>@"u8,
            };
            PictureDrawing.DrawText(picture, textX, textY, text, s, 16, innerRight);
            if (i == 2)
            {
                PictureDrawing.DrawText(picture, textX + (time.Length * _cellWidth), textY, clock, s, 16, innerRight);
            }
        }

        int barWidth = Even((innerWidth - (6 * s)) / s_bars.Length);
        int barHeight = Even(Math.Min(2 * _cellHeight, bottom - textY - (2 * s)));
        for (int i = 0; i < s_bars.Length && barWidth > 0 && barHeight > 0; i++)
        {
            PictureDrawing.FillRect(picture, Even(textX) + (i * barWidth), Even(textY), barWidth, barHeight, s_bars[i]);
        }

        // A progress bar that fills once per horizontal drift period.
        int trackY = Even(textY + barHeight + (2 * s)), trackWidth = barWidth * s_bars.Length, trackHeight = Even(Math.Max(2, 2 * s));
        if (barHeight > 0 && trackY + trackHeight <= bottom)
        {
            PictureDrawing.FillRect(picture, Even(textX), trackY, trackWidth, trackHeight, YuvColor.Grey(200));
            PictureDrawing.FillRect(picture, Even(textX), trackY, Even((int)(trackWidth * (index % _periodX) / _periodX)), trackHeight, new YuvColor(70, 180, 100));
        }
    }

    private void DrawBackground()
    {
        VideoFrame picture = _background;
        int width = Width, height = Height, s = _scale;
        Span<byte> luma = picture.Y;
        int stripe = 24 * s;
        for (int y = 0; y < height; y++)
        {
            Span<byte> row = luma.Slice(y * picture.LumaStride, width);
            for (int x = 0; x < width; x++)
            {
                int ramp = 90 * (x + (2 * y)) / (width + (2 * height));
                row[x] = (byte)(70 + ramp + ((x + y) / stripe % 2 * 6));
            }
        }

        int chromaWidth = width / 2, chromaHeight = height / 2, stride = picture.ChromaStride;
        bool planar = picture.Format == PixelFormat.I420;
        Span<byte> uPlane = picture.U, vPlane = planar ? picture.V : picture.U;
        for (int y = 0; y < chromaHeight; y++)
        {
            byte u = (byte)(160 - (40 * y / chromaHeight));
            for (int x = 0; x < chromaWidth; x++)
            {
                byte v = (byte)(96 + (50 * x / chromaWidth));
                if (planar)
                {
                    uPlane[(y * stride) + x] = u;
                    vPlane[(y * stride) + x] = v;
                }
                else
                {
                    uPlane[(y * stride) + (2 * x)] = u;
                    uPlane[(y * stride) + (2 * x) + 1] = v;
                }
            }
        }

        // Desktop icons with their labels, below and right of the corner that never changes.
        int iconSize = Even(14 * s), iconX = Math.Max(4, Even(width / 32)), iconY = Math.Max(4, Even(height / 12));
        ReadOnlySpan<byte> labels = "DOCNETLOGBIN"u8;
        for (int i = 0; i < s_icons.Length; i++)
        {
            int top = iconY + (i * (iconSize + (2 * _cellHeight)));
            if (top + iconSize > _taskbarTop)
            {
                break;
            }

            PictureDrawing.FillRect(picture, iconX, top, iconSize, iconSize, s_icons[i]);
            PictureDrawing.DrawText(picture, iconX, top + iconSize + s, labels.Slice(3 * i, 3), s, 235);
        }

        // Taskbar: a lighter top edge and a start button.
        PictureDrawing.FillRect(picture, 0, _taskbarTop, width, _taskbarHeight, YuvColor.Grey(48));
        PictureDrawing.FillRect(picture, 0, _taskbarTop, width, 2, YuvColor.Grey(96));
        int buttonWidth = Even((4 * _cellWidth) + (4 * s));
        PictureDrawing.FillRect(picture, Even(2 * s), _taskbarTop + 2 + Even(s), buttonWidth, _taskbarHeight - 2 - (2 * Even(s)), new YuvColor(70, 180, 100));
        PictureDrawing.DrawText(picture, Even(2 * s) + (2 * s), _taskbarTop + ((_taskbarHeight - (BitmapFont.GlyphHeight * s)) / 2), "MIRA"u8, s, 235);
    }
}
