using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Tests.Encoders;

/// <summary>
/// A deterministic desktop-like moving picture for encoder tests, drawn into I420 or NV12 frames of
/// any stride. Stand-in for <c>TestPictureSource</c> (branch <c>sources</c>); swap it in here once merged.
/// </summary>
/// <remarks>
/// <code>
/// ┌──────────────────────────────────────────────┐
/// │ 88:88 digits (change every frame)             │  static: gradients, two "windows" of
/// │  ┌──────────── window ───────────┐            │  text-like glyph rows, a title bar
/// │  │ text rows …                   │  ┌───────┐ │
/// │  │ ┌── scrolling text (2 px/frame)│  │ noise │ │  changing: digits, a box bouncing
/// │  │ └─────────────────────────────┘│  │(video)│ │  left-right, a scrolling terminal
/// │  └───────────────────────────────┘  └───────┘ │  band, a noise rectangle (a playing
/// │        ■ moving box                            │  video, about 4 % of the area)
/// └──────────────────────────────────────────────┘
/// </code>
/// The noise rectangle is what lets a bitrate target of several Mbit/s be reached: a desktop whose
/// only motion is a box and digits needs far less than 4 Mbit/s at 720p30, so rate control would
/// sit at its QP floor and undershoot (the test would then measure the content, not the encoder).
/// </remarks>
internal sealed class SyntheticDesktop
{
    private const int ScrollSpeed = 2;
    private readonly int _width;
    private readonly int _height;
    private readonly byte[] _luma;
    private readonly byte[] _chromaU;
    private readonly byte[] _chromaV;
    private readonly byte[] _scrollTexture;
    private readonly (int X, int Y, int W, int H) _scroll;
    private readonly (int X, int Y, int W, int H) _noise;
    private readonly int _box;
    private readonly bool _noisy;
    private uint _random;

    /// <param name="width">Picture width.</param>
    /// <param name="height">Picture height.</param>
    /// <param name="noise">Whether the "video" rectangle shows noise (off: it stays black, for PSNR checks).</param>
    /// <param name="seed">Noise seed.</param>
    public SyntheticDesktop(int width, int height, bool noise = true, uint seed = 0x9E3779B9)
    {
        _noisy = noise;
        _width = width;
        _height = height;
        _random = seed | 1;
        _luma = new byte[width * height];
        _chromaU = new byte[width / 2 * (height / 2)];
        _chromaV = new byte[_chromaU.Length];
        _box = Even(height / 8);

        // Static desktop: diagonal gradient, chroma gradients, two windows with glyph rows.
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                _luma[(y * width) + x] = (byte)(40 + (((x * 3) + (y * 2)) * 120 / ((width * 3) + (height * 2))));
            }
        }

        for (int y = 0; y < height / 2; y++)
        {
            for (int x = 0; x < width / 2; x++)
            {
                _chromaU[(y * (width / 2)) + x] = (byte)(96 + (x * 64 / (width / 2)));
                _chromaV[(y * (width / 2)) + x] = (byte)(160 - (y * 64 / (height / 2)));
            }
        }

        var window = (X: Even(width / 12), Y: Even(height / 6), W: Even(width / 2), H: Even(height * 2 / 3));
        FillLuma(window.X, window.Y, window.W, window.H, 235);
        FillLuma(window.X, window.Y, window.W, Even(height / 30), 70);
        FillChroma(window.X, window.Y, window.W, window.H, 128, 128);
        Glyphs(_luma, width, window.X + 8, window.Y + Even(height / 30) + 8, window.W - 16, window.H / 2, seed: 7);
        var second = (X: Even(width * 5 / 8), Y: Even(height / 8), W: Even(width / 3), H: Even(height / 3));
        FillLuma(second.X, second.Y, second.W, second.H, 200);
        FillChroma(second.X, second.Y, second.W, second.H, 150, 110);
        Glyphs(_luma, width, second.X + 8, second.Y + 8, second.W - 16, second.H - 16, seed: 11);

        _scroll = (window.X + 8, Even(window.Y + (window.H * 2 / 3)), window.W - 16, Even(window.H / 3) - 8);
        _scrollTexture = new byte[_scroll.W * (_scroll.H * 4)];
        _scrollTexture.AsSpan().Fill(20);
        Glyphs(_scrollTexture, _scroll.W, 0, 0, _scroll.W, _scroll.H * 4, seed: 13, ink: 220);

        _noise = (Even(width * 5 / 8), Even(height * 5 / 8), Even(width / 5), Even(height / 5));
    }

    /// <summary>Draws picture <paramref name="index"/> into <paramref name="frame"/> (same size; I420 or NV12, any stride).</summary>
    public void Draw(VideoFrame frame, int index)
    {
        if (frame.Width != _width || frame.Height != _height)
        {
            throw new ArgumentException("Size mismatch.", nameof(frame));
        }

        Span<byte> y = frame.Y;
        for (int row = 0; row < _height; row++)
        {
            _luma.AsSpan(row * _width, _width).CopyTo(y.Slice(row * frame.LumaStride, _width));
        }

        int cw = _width / 2;
        for (int row = 0; row < _height / 2; row++)
        {
            ReadOnlySpan<byte> u = _chromaU.AsSpan(row * cw, cw);
            ReadOnlySpan<byte> v = _chromaV.AsSpan(row * cw, cw);
            if (frame.Format == PixelFormat.I420)
            {
                u.CopyTo(frame.U.Slice(row * frame.ChromaStride, cw));
                v.CopyTo(frame.V.Slice(row * frame.ChromaStride, cw));
            }
            else
            {
                Span<byte> uv = frame.U.Slice(row * frame.ChromaStride, 2 * cw);
                for (int x = 0; x < cw; x++)
                {
                    uv[2 * x] = u[x];
                    uv[(2 * x) + 1] = v[x];
                }
            }
        }

        // Scrolling terminal band.
        int textureRows = _scroll.H * 4;
        for (int row = 0; row < _scroll.H; row++)
        {
            int source = ((index * ScrollSpeed) + row) % textureRows;
            _scrollTexture.AsSpan(source * _scroll.W, _scroll.W).CopyTo(y.Slice(((_scroll.Y + row) * frame.LumaStride) + _scroll.X, _scroll.W));
        }

        // A playing video: fresh noise every picture.
        for (int row = 0; row < _noise.H; row++)
        {
            Span<byte> line = y.Slice(((_noise.Y + row) * frame.LumaStride) + _noise.X, _noise.W);
            for (int x = 0; x < line.Length; x++)
            {
                line[x] = _noisy ? (byte)(16 + (Next() % 220)) : (byte)16;
            }
        }

        // A box bouncing left and right, with a checker inside.
        int travel = _width - _box;
        int phase = (index * 8) % (2 * travel);
        int boxX = Even(phase < travel ? phase : (2 * travel) - phase);
        int boxY = Even(_height - _box - (_height / 20));
        for (int row = 0; row < _box; row++)
        {
            Span<byte> line = y.Slice(((boxY + row) * frame.LumaStride) + boxX, _box);
            for (int x = 0; x < _box; x++)
            {
                line[x] = (byte)((((x / 8) + (row / 8) + index) & 1) == 0 ? 230 : 30);
            }
        }

        // Frame counter as 7-segment digits.
        int digitHeight = Even(_height / 12);
        int value = index;
        for (int d = 5; d >= 0; d--)
        {
            SevenSegment(y, frame.LumaStride, Even(_width / 40) + (d * digitHeight * 2 / 3), Even(_height / 40), digitHeight, value % 10);
            value /= 10;
        }
    }

    /// <summary>Fills <paramref name="frame"/> and stamps it as picture <paramref name="index"/> at <paramref name="frameRate"/>.</summary>
    public void DrawAndStamp(VideoFrame frame, int index, double frameRate)
    {
        Draw(frame, index);
        frame.FrameNumber = (ulong)index;
        frame.CaptureTime = MediaTime.FromMicroseconds((long)(index * 1_000_000 / frameRate));
        frame.PartNumber = 0;
    }

    private static int Even(int value) => value & ~1;

    private static void Glyphs(byte[] plane, int stride, int x0, int y0, int width, int height, uint seed, byte ink = 30)
    {
        uint r = seed * 2654435761u;
        for (int line = 0; line + 14 <= height; line += 18)
        {
            int x = 0;
            while (x + 8 < width)
            {
                r ^= r << 13;
                r ^= r >> 17;
                r ^= r << 5;
                int glyph = (int)(r % 64);
                if (glyph < 6)
                {
                    x += 8; // a space
                    continue;
                }

                for (int gy = 0; gy < 12; gy++)
                {
                    for (int gx = 0; gx < 6; gx++)
                    {
                        if (((glyph >> ((gx + gy) % 6)) & 1) != 0 && (gy % 4 != 3 || gx % 3 == 0))
                        {
                            plane[((y0 + line + gy) * stride) + x0 + x + gx] = ink;
                        }
                    }
                }

                x += 8;
            }
        }
    }

    private static void SevenSegment(Span<byte> y, int stride, int x0, int y0, int height, int digit)
    {
        // Segments a..g as bits of a mask per digit.
        ReadOnlySpan<byte> masks = [0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F];
        int width = height / 2;
        int t = Math.Max(2, height / 10);
        int mask = masks[digit];
        Rect(y, stride, x0, y0, width, height, 0);
        ReadOnlySpan<int> segments =
        [
            t, 0, width - (2 * t), t,                         // a
            width - t, t, t, (height / 2) - t,                // b
            width - t, height / 2, t, (height / 2) - t,       // c
            t, height - t, width - (2 * t), t,                // d
            0, height / 2, t, (height / 2) - t,               // e
            0, t, t, (height / 2) - t,                        // f
            t, (height / 2) - (t / 2), width - (2 * t), t,    // g
        ];
        for (int bit = 0; bit < 7; bit++)
        {
            if ((mask & (1 << bit)) != 0)
            {
                ReadOnlySpan<int> s = segments.Slice(bit * 4, 4);
                Rect(y, stride, x0 + s[0], y0 + s[1], s[2], s[3], 255);
            }
        }
    }

    private static void Rect(Span<byte> plane, int stride, int x, int y, int w, int h, byte value)
    {
        for (int row = 0; row < h; row++)
        {
            plane.Slice(((y + row) * stride) + x, w).Fill(value);
        }
    }

    private void FillLuma(int x, int y, int w, int h, byte value) => Rect(_luma, _width, x, y, w, h, value);

    private void FillChroma(int x, int y, int w, int h, byte u, byte v)
    {
        Rect(_chromaU, _width / 2, x / 2, y / 2, w / 2, h / 2, u);
        Rect(_chromaV, _width / 2, x / 2, y / 2, w / 2, h / 2, v);
    }

    private uint Next()
    {
        uint r = _random;
        r ^= r << 13;
        r ^= r >> 17;
        r ^= r << 5;
        _random = r;
        return r;
    }
}
