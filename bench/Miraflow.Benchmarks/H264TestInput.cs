using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Miraflow.Benchmarks;

/// <summary>
/// What test stream to make: ffmpeg's <c>testsrc2</c> pattern encoded by libx264 as an Annex-B
/// H.264 elementary stream with an access unit delimiter in front of every picture.
/// </summary>
/// <param name="Width">Picture width.</param>
/// <param name="Height">Picture height.</param>
/// <param name="FrameRate">Frames per second.</param>
/// <param name="Seconds">Duration.</param>
/// <param name="BitrateMbps">Target, maximum and VBV buffer size, in Mbit/s.</param>
/// <param name="Gop">Frames from one IDR to the next.</param>
/// <param name="Profile">The x264 profile.</param>
/// <param name="Preset">The x264 preset.</param>
internal sealed record H264InputSpec(int Width, int Height, int FrameRate, int Seconds, int BitrateMbps, int Gop, string Profile, string Preset)
{
    /// <summary>
    /// The stream the issue 3 benchmarks use: 1080p60 at 20 Mbit/s, Constrained Baseline (what
    /// WFD sinks decode), an IDR every second, 10 s = 600 access units.
    /// </summary>
    public static H264InputSpec Wfd1080p60 { get; } = new(1920, 1080, 60, 10, 20, 60, "baseline", "veryfast");

    /// <summary>The number of pictures the stream holds.</summary>
    public int FrameCount => FrameRate * Seconds;

    /// <summary>The ffmpeg arguments that make the stream into <paramref name="output"/>.</summary>
    public IReadOnlyList<string> FfmpegArguments(string output)
    {
        string rate = $"{BitrateMbps}M";
        return
        [
            "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "lavfi", "-i", Invariant($"testsrc2=size={Width}x{Height}:rate={FrameRate}"),
            "-t", Invariant($"{Seconds}"),
            "-c:v", "libx264", "-profile:v", Profile, "-preset", Preset, "-pix_fmt", "yuv420p",
            "-b:v", rate, "-maxrate", rate, "-bufsize", rate,
            "-g", Invariant($"{Gop}"), "-keyint_min", Invariant($"{Gop}"), "-sc_threshold", "0",
            "-x264-params", "aud=1",
            "-f", "h264", output,
        ];
    }

    /// <summary>
    /// The file name the stream is cached under: readable parameters plus a hash of the whole
    /// ffmpeg command, so any change to the command makes a new file.
    /// </summary>
    public string CacheName
    {
        get
        {
            string command = string.Join('\u001F', FfmpegArguments("-"));
            string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(command)))[..10];
            return Invariant($"testsrc2-{Width}x{Height}p{FrameRate}-{Seconds}s-{BitrateMbps}M-g{Gop}-{Profile}-{Preset}-{hash}");
        }
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Makes the benchmark input once and caches it: an H.264 file from ffmpeg (see
/// <see cref="H264InputSpec"/>), split in memory into access units.
/// </summary>
/// <remarks>
/// The cache is <c>$MIRAFLOW_BENCH_INPUTS</c>, or <c>miraflow-bench-inputs</c> in the temp
/// directory. Files are written under a temporary name and renamed, so BenchmarkDotNet's
/// child processes and <c>bench/compare-mux.sh</c> can ask for the same file at once.
/// </remarks>
internal static class H264TestInput
{
    /// <summary>The cache directory.</summary>
    public static string CacheDirectory =>
        Environment.GetEnvironmentVariable("MIRAFLOW_BENCH_INPUTS") is { Length: > 0 } directory
            ? directory
            : Path.Combine(Path.GetTempPath(), "miraflow-bench-inputs");

    /// <summary>The access units of the default stream (<see cref="H264InputSpec.Wfd1080p60"/>), each its own array.</summary>
    public static byte[][] LoadDefault()
    {
        H264InputSpec spec = H264InputSpec.Wfd1080p60;
        AccessUnitStream stream = AccessUnitStream.Load(GetOrCreate(spec));
        if (stream.Count != spec.FrameCount)
        {
            throw new InvalidDataException($"{stream.Path} splits into {stream.Count} access units; {spec.FrameCount} were expected.");
        }

        return stream.ToArrays();
    }

    /// <summary>Returns the path of the stream, making it with ffmpeg first if it is not cached.</summary>
    /// <exception cref="InvalidOperationException">ffmpeg failed, or the stream is far from its target bitrate.</exception>
    public static string GetOrCreate(H264InputSpec spec)
    {
        string path = Path.Combine(CacheDirectory, spec.CacheName + ".h264");
        if (File.Exists(path))
        {
            return path;
        }

        Directory.CreateDirectory(CacheDirectory);
        string temporary = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        Console.Error.WriteLine($"Making the benchmark input {path} with ffmpeg (once; it is cached).");
        RunFfmpeg(spec.FfmpegArguments(temporary));

        double mbps = new FileInfo(temporary).Length * 8.0 / spec.Seconds / 1e6;
        if (mbps < spec.BitrateMbps * 0.75 || mbps > spec.BitrateMbps * 1.25)
        {
            File.Delete(temporary);
            throw new InvalidOperationException(
                string.Create(CultureInfo.InvariantCulture, $"ffmpeg made {mbps:F1} Mbit/s; {spec.BitrateMbps} Mbit/s was asked. The input would not be representative."));
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// Returns the path of a file holding the first <paramref name="frames"/> access units of the
    /// stream (for start-up measurements), making both files if needed.
    /// </summary>
    public static string GetOrCreatePrefix(H264InputSpec spec, int frames)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frames, spec.FrameCount);
        string path = Path.Combine(CacheDirectory, spec.CacheName + ".first" + frames.ToString(CultureInfo.InvariantCulture) + ".h264");
        if (File.Exists(path))
        {
            return path;
        }

        AccessUnitStream stream = AccessUnitStream.Load(GetOrCreate(spec));
        (int offset, int length) = stream.Units[frames - 1];
        string temporary = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        using (FileStream file = File.Create(temporary))
        {
            file.Write(stream.Bytes, 0, offset + length);
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static void RunFfmpeg(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo("ffmpeg")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("ffmpeg (with libx264) is needed to make the benchmark input; setup.sh installs it.", e);
        }

        using (process)
        {
            string errors = process.StandardError.ReadToEnd();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"ffmpeg failed with exit code {process.ExitCode}: {errors}");
            }
        }
    }
}
