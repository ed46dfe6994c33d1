using System.Diagnostics;
using System.Globalization;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Encoders.OpenH264;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Tests.Encoders;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Benchmarks;

/// <summary>
/// Command modes for bench/compare-encode.sh:
/// <code>
/// encode-raw --width W --height H --frames N --out F            write N test-picture I420 frames to F
/// encode --input F --width W --height H [--fps 30] [--bitrate 4000000] [--level 3.1] [--profile cbp|chp]
///        [--slices 1] [--threads 0] [--rc bitrate|timestamp] [--idr-seconds 10] [--out F.h264] [--stream]
///        read every frame of F into memory (with --stream: read each frame into one reused
///        picture just before encoding it, as GStreamer's filesrc does), then encode them as fast
///        as possible through OpenH264Encoder; print frames, bytes, bitrate, wall and CPU time of
///        the loop, fps, and
///        the bytes allocated per frame after the first 30, and the time inside the library's
///        EncodeFrame against the time inside OpenH264Encoder.Encode (what the binding adds)
/// </code>
/// </summary>
internal static class EncodeCommand
{
    /// <summary>Runs <c>encode</c> or <c>encode-raw</c>; null when <c>args[0]</c> is neither.</summary>
    public static int? TryRun(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("encode" or "encode-raw"))
        {
            return null;
        }

        try
        {
            Dictionary<string, string> options = ParseOptions(args.AsSpan(1));
            return args[0] == "encode" ? Encode(options) : WriteRaw(options);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException or IOException)
        {
            Console.Error.WriteLine($"{args[0]}: {e.Message}");
            return 2;
        }
    }

    private static int WriteRaw(Dictionary<string, string> options)
    {
        int width = Int(options, "width");
        int height = Int(options, "height");
        int frames = Int(options, "frames");
        string output = options["out"];
        using var desktop = new TestPicture(width, height);
        using VideoFrame picture = VideoFrame.Create(width, height, PixelFormat.I420);
        using FileStream file = File.Create(output);
        for (int i = 0; i < frames; i++)
        {
            desktop.Draw(picture, i);
            file.Write(picture.Data);
        }

        Console.WriteLine(output);
        return 0;
    }

    private static int Encode(Dictionary<string, string> options)
    {
        int width = Int(options, "width");
        int height = Int(options, "height");
        double fps = double.Parse(options.GetValueOrDefault("fps", "30"), CultureInfo.InvariantCulture);
        var settings = new EncoderSettings
        {
            Width = width,
            Height = height,
            FrameRate = fps,
            TargetBitrate = Int(options, "bitrate", "4000000"),
            Level = ParseLevel(options.GetValueOrDefault("level", "3.1")),
            Profile = options.GetValueOrDefault("profile", "cbp") == "chp" ? H264Profiles.ConstrainedHigh : H264Profiles.ConstrainedBaseline,
            SliceCount = Int(options, "slices", "1"),
            IdrInterval = TimeSpan.FromSeconds(double.Parse(options.GetValueOrDefault("idr-seconds", "10"), CultureInfo.InvariantCulture)),
        };
        OpenH264Tuning tuning = OpenH264Tuning.Default with
        {
            Threads = Int(options, "threads", "0"),
            RateControl = options.GetValueOrDefault("rc", "bitrate") == "timestamp" ? RC_MODES.RC_TIMESTAMP_MODE : RC_MODES.RC_BITRATE_MODE,
        };

        // Every frame in memory first: the loop measures the binding and the library, not the disk.
        // With --stream, one picture is refilled from the file per frame instead (reads in the loop).
        bool stream = options.Remove("stream", out string? streamFlag) && streamFlag != "0";
        using FileStream input = File.OpenRead(options["input"]);
        int frameBytes = width * height * 3 / 2;
        if (input.Length % frameBytes != 0)
        {
            throw new ArgumentException($"{options["input"]} holds {input.Length} bytes, not a whole number of {width}x{height} I420 frames.");
        }

        int frameCount = (int)(input.Length / frameBytes);
        List<VideoFrame> frames = ReadFrames(input, width, height, stream ? 1 : frameCount);
        using FileStream? output = options.TryGetValue("out", out string? path) ? File.Create(path) : null;
        using var encoder = new OpenH264Encoder(settings, new EncodedFramePool(), null, tuning);

        long bytes = 0;
        long inEncode = 0;
        int encoded = 0;
        int idrs = 0;
        TimeSpan cpuBefore = Environment.CpuUsage.TotalTime;
        const int WarmUp = 30; // the output buffer grows to the first IDR's size in these
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < frameCount; i++)
        {
            if (i == WarmUp)
            {
                allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            }

            VideoFrame picture = frames[stream ? 0 : i];
            if (stream)
            {
                input.ReadExactly(picture.Data);
            }

            picture.FrameNumber = (ulong)i;
            picture.CaptureTime = MediaTime.FromMicroseconds((long)(i * 1_000_000 / fps));
            long before = Stopwatch.GetTimestamp();
            using EncodedFrame? unit = encoder.Encode(picture);
            inEncode += Stopwatch.GetTimestamp() - before;
            if (unit is not null)
            {
                bytes += unit.Length;
                encoded++;
                idrs += unit.IsIdr ? 1 : 0;
                output?.Write(unit.Data);
            }
        }

        TimeSpan wall = Stopwatch.GetElapsedTime(start);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        TimeSpan cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        foreach (VideoFrame frame in frames)
        {
            frame.Dispose();
        }

        double seconds = frameCount / fps;
        double library = encoder.LibraryTicks;
        double binding = (inEncode - library) / library;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"openh264 {encoder.LibraryVersion} threads={encoder.ThreadCount} frames={frameCount} stream={(stream ? 1 : 0)} encoded={encoded} idr={idrs} bytes={bytes} " +
            $"bitrate={bytes * 8 / seconds / 1e6:0.000}Mbit/s loop_wall={wall.TotalSeconds:0.000}s loop_cpu={cpu.TotalSeconds:0.000}s " +
            $"fps_wall={frameCount / wall.TotalSeconds:0.0} fps_cpu={frameCount / cpu.TotalSeconds:0.0} alloc_per_frame_after_{WarmUp}={allocated / (double)Math.Max(1, frameCount - WarmUp):0.0}B " +
            $"in_library={library / Stopwatch.Frequency:0.000}s in_encode={inEncode / (double)Stopwatch.Frequency:0.000}s binding_overhead={binding * 100:0.00}%"));
        return 0;
    }

    private static List<VideoFrame> ReadFrames(FileStream file, int width, int height, int count)
    {
        var frames = new List<VideoFrame>(count);
        for (int i = 0; i < count; i++)
        {
            VideoFrame frame = VideoFrame.Create(width, height, PixelFormat.I420);
            file.ReadExactly(frame.Data);
            frames.Add(frame);
        }

        file.Position = 0;
        return frames;
    }

    private static H264Levels ParseLevel(string text) => text switch
    {
        "3.1" => H264Levels.Level31,
        "3.2" => H264Levels.Level32,
        "4" or "4.0" => H264Levels.Level40,
        "4.1" => H264Levels.Level41,
        "4.2" => H264Levels.Level42,
        _ => throw new ArgumentException($"--level is 3.1, 3.2, 4.0, 4.1 or 4.2, not {text}."),
    };

    private static int Int(Dictionary<string, string> options, string name, string? fallback = null)
    {
        string text = options.TryGetValue(name, out string? value) ? value
            : fallback ?? throw new ArgumentException($"--{name} is required.");
        return int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, string> ParseOptions(ReadOnlySpan<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
            }

            options[args[i][2..]] = args[i + 1];
        }

        return options;
    }
}
