using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Transport;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Benchmarks;

/// <summary>
/// The whole pipeline without the encoder, in real time:
/// <code>
/// pipeline [--seconds 20] [--offload on|off]   1080p60 20 Mbit/s pre-encoded units + 48 kHz LPCM through
///                                              MediaPipeline (capture edge, encode block in pass-through,
///                                              send block: mux, RTP, UDP) to a receiver in another process
/// drain                                        (internal) that receiver: prints its port, counts until stdin closes
/// </code>
/// CPU is the process's (every pipeline thread, the producer loop included; the receiver is in its
/// own process so it is not counted) over the measured run, divided by the frames; latency is each
/// frame's capture time to its last datagram sent, from <see cref="MediaPipeline.Latency"/>.
/// </summary>
internal static class PipelineCommand
{
    private const int Fps = 60;

    public static int? TryRun(string[] args)
    {
        if (args.Length == 0)
        {
            return null;
        }

        return args[0] switch
        {
            "pipeline" => Run(args.AsSpan(1)),
            "drain" => Drain(),
            _ => null,
        };
    }

    private static int Run(ReadOnlySpan<string> args)
    {
        int seconds = 20;
        bool offload = true;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--seconds":
                    seconds = int.Parse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture);
                    break;
                case "--offload":
                    offload = args[i + 1] == "on";
                    break;
                default:
                    Console.Error.WriteLine($"pipeline: unknown option {args[i]}");
                    return 2;
            }
        }

        byte[][] units = H264TestInput.LoadDefault();
        using Process receiver = StartReceiver(out IPEndPoint sink);

        // A short run first, so that what is measured is the steady state, not JIT and pool warm-up.
        RunOnce(units, sink, offload, frames: 2 * Fps, out _, out _, out _);
        Result result = RunOnce(units, sink, offload, frames: seconds * Fps, out TimeSpan cpu, out MediaPipelineStatistics stats, out LatencyStatistics latency);

        receiver.StandardInput.Close();
        string received = receiver.StandardOutput.ReadToEnd().Trim();
        receiver.WaitForExit();

        double cpuPerFrame = cpu.TotalMicroseconds / result.Frames;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"frames={result.Frames} sent={stats.VideoUnitsSent} idr={stats.IdrUnitsSent} dropped={stats.FramesDropped} audio={stats.AudioFramesSent} datagrams={stats.DatagramsSent} receiver_{received} offload={(offload ? "on" : "off")} "
            + $"cpu_us_per_frame={cpuPerFrame:F1} latency_us: p50={latency.P50.TotalMicroseconds:F0} p99={latency.P99.TotalMicroseconds:F0} max={latency.Max.TotalMicroseconds:F0} bitrate_mbps={stats.BytesSent * 8.0 / seconds / 1e6:F2}"));
        return stats.FramesDropped == 0 && stats.VideoUnitsSent == result.Frames ? 0 : 1;
    }

    private static Result RunOnce(byte[][] units, IPEndPoint sink, bool offload, int frames, out TimeSpan cpu, out MediaPipelineStatistics stats, out LatencyStatistics latency)
    {
        var clock = new MediaClock();
        using var stage = new EncodeStage(encoder: null);
        using UdpMediaSender sender = BenchUdp.Open(sink, offload);
        var pipeline = new MediaPipeline(stage, new TsMuxer(new TsMuxerOptions { Audio = TsAudio.Lpcm48kStereo }), new RtpPacketizer(options: null, clock), sender, clock);
        var videoPool = new EncodedFramePool(capacity: 16, initialBytes: 256 * 1024);
        var audioPool = new AudioFramePool(48_000, 2, 480, capacity: 16);

        TimeSpan cpuStart = Environment.CpuUsage.TotalTime;
        long start = Stopwatch.GetTimestamp();
        long audioFrames = 0;
        for (int i = 0; i < frames; i++)
        {
            WaitUntil(start, TimeSpan.FromSeconds((double)i / Fps));
            EncodedFrame unit = videoPool.Rent();
            unit.Write(units[i % units.Length]);
            unit.FrameNumber = (ulong)i;
            unit.CaptureTime = clock.Now;
            pipeline.Post(unit);

            // 10 ms LPCM frames, as many as are due.
            long audioDue = (long)(Stopwatch.GetElapsedTime(start).TotalMilliseconds / 10);
            for (; audioFrames < audioDue; audioFrames++)
            {
                AudioFrame sound = audioPool.Rent();
                sound.CaptureTime = clock.Now;
                pipeline.PostAudio(sound);
            }
        }

        pipeline.StopAsync(TimeSpan.FromSeconds(3)).GetAwaiter().GetResult();
        cpu = Environment.CpuUsage.TotalTime - cpuStart;
        stats = pipeline.Statistics;
        latency = pipeline.Latency;
        pipeline.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return new Result(frames);
    }

    /// <summary>Sleeps (never spins: spinning would count as pipeline CPU) until <paramref name="due"/> after <paramref name="start"/>.</summary>
    private static void WaitUntil(long start, TimeSpan due)
    {
        TimeSpan left = due - Stopwatch.GetElapsedTime(start);
        if (left > TimeSpan.Zero)
        {
            Thread.Sleep(left);
        }
    }

    private static Process StartReceiver(out IPEndPoint sink)
    {
        string self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(PipelineCommand).Assembly.Location);
        }

        info.ArgumentList.Add("drain");
        Process process = Process.Start(info) ?? throw new InvalidOperationException("The receiver process did not start.");
        int port = int.Parse(process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The receiver printed no port."), NumberStyles.None, CultureInfo.InvariantCulture);
        sink = new IPEndPoint(IPAddress.Loopback, port);
        return process;
    }

    /// <summary>The receiver process: binds 127.0.0.1, prints the port, counts datagrams until stdin closes.</summary>
    private static int Drain()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = 16 * 1024 * 1024;
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Console.WriteLine(((IPEndPoint)socket.LocalEndPoint!).Port.ToString(CultureInfo.InvariantCulture));
        long datagrams = 0;
        long bytes = 0;
        var receive = new Thread(() =>
        {
            byte[] buffer = new byte[65536];
            try
            {
                while (true)
                {
                    int n = socket.Receive(buffer);
                    datagrams++;
                    bytes += n;
                }
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
        }) { IsBackground = true };
        receive.Start();
        Console.In.ReadToEnd();
        Thread.Sleep(200);
        socket.Close();
        receive.Join();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"datagrams={datagrams}"));
        return 0;
    }

    private readonly record struct Result(int Frames);
}
