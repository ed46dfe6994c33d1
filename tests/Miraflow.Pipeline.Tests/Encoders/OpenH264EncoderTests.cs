using System.Globalization;
using Microsoft.Extensions.Logging;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Encoders.OpenH264;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Tests.TestSupport;
using Miraflow.Rtsp.Parameters;
using Xunit.Abstractions;
using static Miraflow.Pipeline.Tests.Encoders.AnnexBNals;

namespace Miraflow.Pipeline.Tests.Encoders;

/// <summary>
/// OpenH264 through our binding, judged by the bytes (SPS fields, NAL types) and by ffmpeg's
/// decoder. Needs libopenh264-7 and ffmpeg (eng/apt-packages.txt). Encodes as fast as it can;
/// times are media times (frame index / frame rate), not wall time.
/// </summary>
[Trait("Category", "integration")]
public sealed class OpenH264EncoderTests(ITestOutputHelper output)
{
    public static TheoryData<int, int, int, H264Profiles, H264Levels, int> Modes => new()
    {
        { 1280, 720, 30, H264Profiles.ConstrainedBaseline, H264Levels.Level31, 4_000_000 },
        { 1920, 1080, 30, H264Profiles.ConstrainedBaseline, H264Levels.Level40, 8_000_000 },
        { 1920, 1080, 60, H264Profiles.ConstrainedBaseline, H264Levels.Level42, 12_000_000 },
        { 1280, 720, 30, H264Profiles.ConstrainedHigh, H264Levels.Level31, 4_000_000 },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void Stream_decodes_cleanly_and_carries_the_requested_profile_and_level(int width, int height, int fps, H264Profiles profile, H264Levels level, int bitrate)
    {
        const int Frames = 45;
        using var encoder = new OpenH264Encoder(Settings(width, height, fps, bitrate, profile, level));
        List<EncodedUnit> units = EncodeRun.Encode(encoder, Frames);

        Assert.Equal(Frames, units.Count);
        Assert.True(units[0].IsIdr);
        Assert.Equal([Sps, Pps, IdrSlice], Types(units[0].Bytes));
        Assert.All(units.Skip(1), u => Assert.False(u.IsIdr));
        Assert.All(units.Skip(1), u => Assert.Equal([Slice], Types(u.Bytes)));

        (int profileIdc, int constraints, int levelIdc) = SpsProfileLevel(units[0].Bytes);
        Assert.Equal(H264LevelLimits.LevelIdc(level), levelIdc);
        if (profile == H264Profiles.ConstrainedBaseline)
        {
            Assert.Equal(66, profileIdc);
            Assert.Equal(0xC0, constraints & 0xC0); // constraint_set0 and constraint_set1
            Assert.False(PpsUsesCabac(units[0].Bytes));
        }
        else
        {
            Assert.Equal(100, profileIdc);
            Assert.Equal(0x0C, constraints & 0x0C); // constraint_set4 and constraint_set5
            Assert.True(PpsUsesCabac(units[0].Bytes));
        }

        string path = EncodeRun.WriteStream(units, $"{width}x{height}p{fps}-{profile}");
        try
        {
            (int exit, string stdout, string stderr) = ExternalTool.Run("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-");
            Assert.Equal(0, exit);
            Assert.Equal(string.Empty, stdout + stderr);
            Assert.Equal(Frames, CountFrames(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Padded_strides_and_nv12_input_decode_to_the_source_picture()
    {
        const int Width = 640;
        const int Height = 360;
        const int Frames = 8;
        foreach ((PixelFormat format, int lumaStride, int chromaStride) in new[] { (PixelFormat.I420, 704, 384), (PixelFormat.Nv12, 672, 672) })
        {
            using var encoder = new OpenH264Encoder(Settings(Width, Height, 30, 8_000_000));
            List<EncodedUnit> units = EncodeRun.Encode(encoder, Frames, null, format, lumaStride, chromaStride, noise: false);
            string path = EncodeRun.WriteStream(units, $"stride-{format}");
            string yuv = Path.ChangeExtension(path, ".yuv");
            try
            {
                (int exit, _, string stderr) = ExternalTool.Run("ffmpeg", "-v", "error", "-y", "-i", path, "-f", "rawvideo", "-pix_fmt", "yuv420p", yuv);
                Assert.True(exit == 0, stderr);
                byte[] decoded = File.ReadAllBytes(yuv);
                int size = Width * Height * 3 / 2;
                Assert.Equal(Frames * size, decoded.Length);

                using VideoFrame source = VideoFrame.Create(Width, Height, PixelFormat.I420);
                using (var desktop = new TestPicture(Width, Height, noise: false))
                {
                    desktop.Draw(source, Frames - 1);
                }
                ReadOnlySpan<byte> last = decoded.AsSpan((Frames - 1) * size, size);
                int lumaSize = Width * Height;
                int chromaSize = lumaSize / 4;
                double y = Psnr(source.Y, last[..lumaSize]);
                double u = Psnr(source.U, last.Slice(lumaSize, chromaSize));
                double v = Psnr(source.V, last.Slice(lumaSize + chromaSize, chromaSize));
                output.WriteLine($"{format} strides {lumaStride}/{chromaStride}: PSNR Y {y:0.0} dB, U {u:0.0} dB, V {v:0.0} dB");
                Assert.True(y > 35 && u > 35 && v > 35, $"PSNR Y {y:0.0} U {u:0.0} V {v:0.0} dB: the planes were not passed as they are");
            }
            finally
            {
                File.Delete(path);
                File.Delete(yuv);
            }
        }
    }

    public static TheoryData<int, int, int, H264Levels, int, string> BitrateCases => new()
    {
        { 1280, 720, 30, H264Levels.Level31, 4_000_000, "RC_BITRATE_MODE" },
        { 1920, 1080, 30, H264Levels.Level40, 8_000_000, "RC_BITRATE_MODE" },
        { 1920, 1080, 60, H264Levels.Level42, 12_000_000, "RC_BITRATE_MODE" },
        { 1280, 720, 30, H264Levels.Level31, 4_000_000, "RC_TIMESTAMP_MODE" },
    };

    [Theory]
    [MemberData(nameof(BitrateCases))]
    public void Ten_seconds_of_desktop_stay_within_15_percent_of_the_target(int width, int height, int fps, H264Levels level, int target, string mode)
    {
        int frames = 10 * fps;
        var tuning = OpenH264Tuning.Default with { RateControl = Enum.Parse<RC_MODES>(mode) };
        using var encoder = new OpenH264Encoder(Settings(width, height, fps, target, level: level), null, null, tuning);
        List<EncodedUnit> units = EncodeRun.Encode(encoder, frames);

        double bitrate = EncodeRun.Bitrate(units, frames, fps);
        double ratio = bitrate / target;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{width}x{height}p{fps} {mode}: {bitrate / 1e6:0.000} Mbit/s for a {target / 1e6:0.0} Mbit/s target ({(ratio - 1) * 100:+0.0;-0.0} %), {frames - units.Count} skipped"));
        Assert.InRange(ratio, 0.85, 1.15);
    }

    [Fact]
    public void RequestIdr_between_frames_makes_the_next_frame_an_idr_with_parameter_sets()
    {
        const int K = 20;
        using var encoder = new OpenH264Encoder(Settings(640, 360, 30, 2_000_000));
        List<EncodedUnit> units = EncodeRun.Encode(encoder, 40, i =>
        {
            if (i == K + 1)
            {
                // From another thread, as a sink's M13 would arrive.
                Task.Run(encoder.RequestIdr).GetAwaiter().GetResult();
            }
        });

        Assert.Equal(40, units.Count);
        Assert.Equal([0, K + 1], units.Where(u => u.IsIdr).Select(u => u.Index));
        Assert.Equal([Sps, Pps, IdrSlice], Types(units[K + 1].Bytes));
        Assert.Equal([Slice], Types(units[K].Bytes));
        Assert.Equal([Slice], Types(units[K + 2].Bytes));
        Assert.Equal(0, encoder.ParameterSetsPrepended);
    }

    [Fact]
    public void Periodic_idrs_follow_the_interval_and_carry_parameter_sets()
    {
        using var encoder = new OpenH264Encoder(Settings(640, 360, 30, 2_000_000) with { IdrInterval = TimeSpan.FromSeconds(1) });
        List<EncodedUnit> units = EncodeRun.Encode(encoder, 61);

        Assert.Equal([0, 30, 60], units.Where(u => u.IsIdr).Select(u => u.Index));
        Assert.All(units.Where(u => u.IsIdr), u => Assert.Equal([Sps, Pps, IdrSlice], Types(u.Bytes)));
        Assert.Equal(0, encoder.ParameterSetsPrepended);
    }

    [Fact]
    public void Infinite_idr_interval_gives_a_single_idr()
    {
        using var encoder = new OpenH264Encoder(Settings(640, 360, 30, 2_000_000) with { IdrInterval = Timeout.InfiniteTimeSpan });
        List<EncodedUnit> units = EncodeRun.Encode(encoder, 40);
        Assert.Equal([0], units.Where(u => u.IsIdr).Select(u => u.Index));
    }

    [Fact]
    public void SetBitrate_while_running_changes_the_rate_within_a_second()
    {
        const int Fps = 30;
        using var encoder = new OpenH264Encoder(Settings(1280, 720, Fps, 6_000_000));
        List<EncodedUnit> units = EncodeRun.Encode(encoder, 5 * Fps, i =>
        {
            if (i == 2 * Fps)
            {
                encoder.SetBitrate(2_000_000);
            }
            else if (i == 3 * Fps)
            {
                encoder.SetBitrate(4_000_000, 6_000_000);
            }
        });

        double Second(int s) => EncodeRun.Bitrate(units.Where(u => u.Index / Fps == s), Fps, Fps);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per second: {Second(0) / 1e6:0.00}, {Second(1) / 1e6:0.00} | 2 Mbit/s: {Second(2) / 1e6:0.00} | 4 Mbit/s: {Second(3) / 1e6:0.00}, {Second(4) / 1e6:0.00} Mbit/s"));
        Assert.InRange(Second(1), 6e6 * 0.85, 6e6 * 1.15);
        Assert.InRange(Second(2), 2e6 * 0.75, 2e6 * 1.25);
        Assert.InRange(Second(3), 4e6 * 0.75, 4e6 * 1.25);
        Assert.Equal(4_000_000, encoder.Settings.TargetBitrate);
        Assert.Equal(6_000_000, encoder.Settings.MaxBitrate);
    }

    [Fact]
    public void SetFrameRate_while_running_keeps_the_stream_going_without_an_idr()
    {
        using var encoder = new OpenH264Encoder(Settings(640, 360, 30, 2_000_000));
        List<EncodedUnit> units = EncodeRun.Encode(encoder, 30, i =>
        {
            if (i == 10)
            {
                encoder.SetFrameRate(60);
            }
        });

        Assert.Equal(30, units.Count);
        Assert.Equal([0], units.Where(u => u.IsIdr).Select(u => u.Index));
        Assert.Equal(60, encoder.Settings.FrameRate);
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.SetFrameRate(0));
    }

    [Fact]
    public void Output_is_stamped_with_the_pictures_identity_and_an_encode_time()
    {
        using var encoder = new OpenH264Encoder(Settings(640, 360, 30, 2_000_000));
        using var desktop = new TestPicture(640, 360);
        using VideoFrame picture = VideoFrame.Create(640, 360, PixelFormat.I420);
        desktop.DrawAndStamp(picture, 7, 30);
        picture.FrameNumber = 123_456_789_012;
        picture.PartNumber = 0;

        using EncodedFrame unit = encoder.Encode(picture)!;
        Assert.Equal(123_456_789_012UL, unit.FrameNumber);
        Assert.Equal(picture.CaptureTime, unit.CaptureTime);
        Assert.Equal(0U, unit.PartNumber);
        Assert.True(unit.IsIdr);
        Assert.True(unit.EncodeDuration > TimeSpan.Zero);
    }

    [Fact]
    public void Steady_state_encoding_allocates_nothing()
    {
        var pool = new EncodedFramePool();
        using var encoder = new OpenH264Encoder(Settings(640, 360, 30, 2_000_000), pool);
        using var desktop = new TestPicture(640, 360);
        using VideoFrame picture = VideoFrame.Create(640, 360, PixelFormat.I420);
        using VideoFrame nv12 = VideoFrame.Create(640, 360, PixelFormat.Nv12, 672, 672);

        long allocated = 0;
        for (int i = 0; i < 160; i++)
        {
            VideoFrame input = i % 2 == 0 ? picture : nv12;
            desktop.DrawAndStamp(input, i, 30);
            if (i == 100)
            {
                encoder.RequestIdr();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            EncodedFrame? unit = encoder.Encode(input);
            unit?.Dispose();
            if (i >= 60)
            {
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Settings_and_pictures_that_do_not_fit_are_refused()
    {
        using var encoder = new OpenH264Encoder(Settings(640, 360, 30, 2_000_000));
        using VideoFrame wrongSize = VideoFrame.Create(320, 180, PixelFormat.I420);
        Assert.Throws<ArgumentException>(() => encoder.Encode(wrongSize));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.SetBitrate(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.SetBitrate(3_000_000, 2_000_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.SetBitrate(2_000_000, 100_000_000)); // above level 3.1
        Assert.Equal(2_000_000, encoder.Settings.TargetBitrate);
        Assert.Equal(2, encoder.LibraryVersion.Major);
    }

    [Fact]
    public void Dispose_is_idempotent_and_encoding_afterwards_throws()
    {
        var encoder = new OpenH264Encoder(Settings(640, 360, 30, 2_000_000));
        using VideoFrame picture = VideoFrame.Create(640, 360, PixelFormat.I420);
        encoder.Encode(picture)?.Dispose();
        encoder.Dispose();
        encoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(picture));
    }

    [Fact]
    public void The_librarys_trace_reaches_the_logger()
    {
        var logger = new ListLogger(LogLevel.Debug);
        using (var encoder = new OpenH264Encoder(Settings(640, 360, 30, 2_000_000), null, logger, OpenH264Tuning.Default))
        {
            using VideoFrame picture = VideoFrame.Create(640, 360, PixelFormat.I420);
            picture.Data.Fill(128); // a created frame holds whatever its pooled buffer held
            encoder.RequestIdr();
            encoder.Encode(picture)?.Dispose();
        }

        string[] messages = logger.Messages.Select(m => m.Message).ToArray();
        Assert.Contains(messages, m => m.StartsWith("OpenH264 2.", StringComparison.Ordinal) && m.Contains("640x360", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("OpenH264: ", StringComparison.Ordinal) && m.Contains("openh264 codec version", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(messages, m => m.StartsWith("IDR forced", StringComparison.Ordinal));
    }

    [Fact]
    public void A_picture_that_overflows_the_librarys_buffer_is_encoded_again_with_a_higher_qp_floor_which_later_returns()
    {
        // Full-range noise at 640×360 overflows OpenH264's output buffer at the QP its rate control
        // starts from; the library then frees its context and would refuse every later picture.
        const int NoisePictures = 3;
        const int CalmPictures = 70; // the raised floor holds for 2 s (60 pictures at 30 fps)
        var logger = new ListLogger(LogLevel.Information);
        using var encoder = new OpenH264Encoder(Settings(640, 360, 30, 2_000_000), null, logger, OpenH264Tuning.Default);
        using VideoFrame picture = VideoFrame.Create(640, 360, PixelFormat.I420);
        var random = new Random(8);
        var units = new List<EncodedUnit>();
        for (int i = 0; i < NoisePictures + CalmPictures; i++)
        {
            picture.FrameNumber = (ulong)i;
            if (i < NoisePictures)
            {
                random.NextBytes(picture.Data);
            }
            else
            {
                picture.Data.Fill(100);
            }

            using EncodedFrame? frame = encoder.Encode(picture);
            Assert.NotNull(frame);
            units.Add(new EncodedUnit(i, frame.Data.ToArray(), frame.IsIdr, frame.FrameNumber, frame.CaptureTime));
            if (i == 0)
            {
                Assert.True(frame.IsIdr);
                Assert.True(encoder.Reinitialisations >= 1);
                Assert.True(encoder.QpFloor > OpenH264Tuning.Default.MinQp);
            }
        }

        Assert.Equal(OpenH264Tuning.Default.MinQp, encoder.QpFloor);
        long raised = encoder.Reinitialisations - 1; // the last one restored the floor
        Assert.InRange(raised, 1, 5);
        Assert.Contains(logger.Messages, m => m.Level == LogLevel.Warning && m.Message.Contains("overflowed", StringComparison.Ordinal));
        // Restored after 60 pictures at the raised floor; that re-initialisation makes the picture the
        // only IDR among the calm ones (scene-change detection may make IDRs right after the noise).
        int restoredAt = units.Count(u => u.IsIdr && u.Index > NoisePictures + 1) == 1
            ? units.Single(u => u.IsIdr && u.Index > NoisePictures + 1).Index : -1;
        Assert.Contains(logger.Messages, m => m.Message == $"QP floor back to 12 from frame {restoredAt} (re-initialised: an IDR)");
        Assert.Equal(61, restoredAt);
        Assert.All(units, u => Assert.NotEmpty(u.Bytes));

        string path = EncodeRun.WriteStream(units, "overflow");
        try
        {
            (int exit, string stdout, string stderr) = ExternalTool.Run("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-");
            Assert.Equal(0, exit);
            Assert.Equal(string.Empty, stdout + stderr);
            Assert.Equal(units.Count, CountFrames(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static EncoderSettings Settings(int width, int height, double fps, int bitrate,
        H264Profiles profile = H264Profiles.ConstrainedBaseline, H264Levels level = H264Levels.Level31) => new()
        {
            Width = width,
            Height = height,
            FrameRate = fps,
            TargetBitrate = bitrate,
            Profile = profile,
            Level = level,
        };

    private static int CountFrames(string path)
    {
        (int exit, string stdout, string stderr) = ExternalTool.Run("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
            "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path);
        Assert.True(exit == 0, stderr);
        return int.Parse(stdout.Trim(), CultureInfo.InvariantCulture);
    }

    private static double Psnr(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            sum += d * d;
        }

        double mse = sum / a.Length;
        return mse == 0 ? 99 : 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
