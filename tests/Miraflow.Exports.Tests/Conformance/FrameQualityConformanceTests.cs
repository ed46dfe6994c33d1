using Miraflow.Exports.Interop;
using Miraflow.Exports.Tests.Driver;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Simulator.Os;
using Xunit.Abstractions;

namespace Miraflow.Exports.Tests.Conformance;

/// <summary>
/// HLK "Verify Frame Quality" under simulation (contract §4.3): what the sink receives matches the
/// desktop the OS presented, picture by picture, while it moves.
/// </summary>
[Collection(DriverTestGroup.Name)]
[Trait("Category", "integration")]
public sealed class FrameQualityConformanceTests(ITestOutputHelper output) : IDisposable
{
    private const int Width = 1280;
    private const int Height = 720;

    /// <summary>Distinct desktop pictures, presented in a loop: a second of the moving test picture.</summary>
    private const int DesktopPictures = 30;

    /// <summary>
    /// The worst luma PSNR allowed between a received picture and the desktop picture it shows.
    /// Measured: 41–50 dB (the first IDR lowest, at the QP rate control starts from).
    /// </summary>
    private const double MinPsnr = 34;

    private readonly string _directory = Directory.CreateTempSubdirectory("miraflow-quality-").FullName;

    [Fact]
    public async Task Every_picture_the_sink_receives_matches_the_desktop_picture_it_shows_in_order()
    {
        byte[][] desktop = await WriteDesktopAsync(Path.Combine(_directory, "desktop.yuv"));
        await using var input = new RawYuvFileSource(new MediaClock(), Path.Combine(_directory, "desktop.yuv"), Width, Height, 30,
            PixelFormat.I420, loop: true, FramePacing.Unpaced);
        await using DriverRig rig = await DriverRig.StartAsync(output, os: new OsEmulatorOptions { FrameSource = input });
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
        await rig.WaitUntilStreamingAsync();
        await DriverRig.WaitUntilAsync(() => rig.Sink.VideoPesCount >= 75, TimeSpan.FromSeconds(20), "75 pictures");
        rig.Stop();
        Assert.Empty(rig.Os.Violations);

        byte[][] received = Decode(await rig.SettledVideoCaptureAsync());
        Assert.True(received.Length >= 70, $"{received.Length} pictures decoded");
        var matches = received.Select(BestMatch).ToArray();
        double[] psnr = [.. matches.Select(m => m.Psnr).Order()];
        output.WriteLine($"{received.Length} pictures: luma PSNR min {psnr[0]:F1} dB, median {psnr[psnr.Length / 2]:F1} dB, max {psnr[^1]:F1} dB");
        Assert.True(psnr[0] >= MinPsnr, $"a received picture is {psnr[0]:F1} dB from every desktop picture");

        // In order: each picture shows a later desktop picture than the previous one (never the same
        // twice), and every desktop picture skipped between two received ones was reported dropped
        // (FRAME_DROPPED from the driver, or a slot the KMD lacked).
        long skipped = 0;
        for (int i = 1; i < matches.Length; i++)
        {
            int step = (matches[i].Index - matches[i - 1].Index + DesktopPictures) % DesktopPictures;
            Assert.True(step >= 1, $"picture {i} shows desktop picture {matches[i].Index} again");
            skipped += step - 1;
        }

        long dropped = rig.Os.FramesDropped + rig.ChunkReports().Count(r => r.Chunk == MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED);
        output.WriteLine($"{skipped} desktop pictures skipped between received ones, {dropped} reported dropped");
        Assert.InRange(skipped, 0, dropped);

        (int Index, double Psnr) BestMatch(byte[] picture)
        {
            // The candidate is found on every 16th pixel (fast); its PSNR is measured on all of them.
            int best = -1;
            double bestSampled = -1;
            for (int k = 0; k < desktop.Length; k++)
            {
                double p = LumaPsnr(picture, desktop[k], stride: 16);
                if (p > bestSampled)
                {
                    (best, bestSampled) = (k, p);
                }
            }

            return (best, LumaPsnr(picture, desktop[best], stride: 1));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Renders the desktop pictures into an I420 file; returns their luma planes.</summary>
    private static async Task<byte[][]> WriteDesktopAsync(string path)
    {
        await using var picture = new TestPictureSource(new MediaClock(), Width, Height, 30, PixelFormat.I420, FramePacing.Unpaced);
        using VideoFrame frame = VideoFrame.Create(Width, Height, PixelFormat.I420);
        await using FileStream file = File.Create(path);
        var lumas = new byte[DesktopPictures][];
        for (int i = 0; i < DesktopPictures; i++)
        {
            picture.Render(frame, i, MediaTime.FromMicroseconds(i * 1_000_000L / 30));
            file.Write(frame.Data);
            lumas[i] = frame.Y.ToArray();
        }

        return lumas;
    }

    /// <summary>ffmpeg decodes the capture; returns each picture's luma plane.</summary>
    private byte[][] Decode(byte[] capture)
    {
        string ts = Path.Combine(_directory, "capture.ts");
        string yuv = Path.Combine(_directory, "decoded.yuv");
        File.WriteAllBytes(ts, capture);
        (int exit, _, string stderr) = ExternalTool.Run("ffmpeg", "-nostdin", "-y", "-v", "error", "-i", ts, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "yuv420p", yuv);
        Assert.True(exit == 0, stderr);
        byte[] all = File.ReadAllBytes(yuv);
        int size = Width * Height * 3 / 2;
        Assert.Equal(0, all.Length % size);
        return [.. Enumerable.Range(0, all.Length / size).Select(i => all.AsSpan(i * size, Width * Height).ToArray())];
    }

    private static double LumaPsnr(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int stride)
    {
        long sum = 0;
        int count = 0;
        for (int i = 0; i < a.Length; i += stride, count++)
        {
            int d = a[i] - b[i];
            sum += d * d;
        }

        return sum == 0 ? 99 : 10 * Math.Log10(255.0 * 255.0 * count / sum);
    }
}
