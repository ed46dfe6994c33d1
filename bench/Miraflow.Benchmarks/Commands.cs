using System.Diagnostics;
using System.Globalization;
using System.Net;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Transport;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Benchmarks;

/// <summary>
/// Command modes of the benchmark program, besides running BenchmarkDotNet:
/// <code>
/// make-input [--frames N]                                   print the cached input's path (first N frames)
/// mux-send --input F --port P [--fps 60] [--offload on|off] mux, packetize, send F to 127.0.0.1:P unpaced
/// alloc-check                                               exact steady-state allocation per frame
/// </code>
/// </summary>
internal static class Commands
{
    /// <summary>Runs the command named by <c>args[0]</c>; null when it names none (BenchmarkDotNet's turn).</summary>
    public static int? TryRun(string[] args)
    {
        if (args.Length == 0)
        {
            return null;
        }

        try
        {
            return args[0] switch
            {
                "make-input" => MakeInput(Options.Parse(args.AsSpan(1))),
                "mux-send" => MuxSend(Options.Parse(args.AsSpan(1))),
                "alloc-check" => AllocCheck(),
                _ => null,
            };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{args[0]}: {e.Message}");
            return 2;
        }
    }

    private static int MakeInput(Options options)
    {
        H264InputSpec spec = H264InputSpec.Wfd1080p60;
        string path = options.Get("frames") is { } frames
            ? H264TestInput.GetOrCreatePrefix(spec, int.Parse(frames, NumberStyles.None, CultureInfo.InvariantCulture))
            : H264TestInput.GetOrCreate(spec);
        Console.WriteLine(path);
        return 0;
    }

    /// <summary>
    /// Reads an H.264 file access unit by access unit (<see cref="AnnexBFileReader"/>), muxes,
    /// packetizes and sends each to 127.0.0.1 as fast as it can (no pacing), and prints one line
    /// of counts and CPU times (runtime start-up before <c>Main</c>, opening, the loop).
    /// </summary>
    private static int MuxSend(Options options)
    {
        string input = options.Get("input") ?? throw new ArgumentException("--input is required.");
        int port = int.Parse(options.Get("port") ?? throw new ArgumentException("--port is required."), NumberStyles.None, CultureInfo.InvariantCulture);
        int fps = int.Parse(options.Get("fps") ?? "60", NumberStyles.None, CultureInfo.InvariantCulture);
        bool offload = (options.Get("offload") ?? "on") switch
        {
            "on" => true,
            "off" => false,
            string other => throw new ArgumentException($"--offload is on or off, not {other}."),
        };

        TimeSpan cpuAtStart = Environment.CpuUsage.TotalTime;
        using var reader = new AnnexBFileReader(input);
        using var writer = new FrameWriter(fps);
        using UdpMediaSender sender = BenchUdp.Open(new IPEndPoint(IPAddress.Loopback, port), offload);

        TimeSpan cpuAtLoop = Environment.CpuUsage.TotalTime;
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        long started = Stopwatch.GetTimestamp();
        int frames = 0;
        while (reader.TryReadNext(out ReadOnlySpan<byte> accessUnit))
        {
            sender.Send(writer.Write(accessUnit));
            frames++;
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        TimeSpan cpuAtEnd = Environment.CpuUsage.TotalTime;

        UdpSenderStatistics sent = sender.Statistics;
        TsMuxerStatistics mux = writer.Statistics;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"frames={mux.VideoUnits} idr={mux.IdrUnits} ts_packets={mux.Packets} datagrams={sent.DatagramsSent} bytes={sent.BytesSent} send_calls={sent.SendCalls} send_errors={sent.SendErrors} offload={(sender.UsesSegmentationOffload ? "on" : "off")} "
            + $"loop_ms={elapsed.TotalMilliseconds:F1} loop_alloc_bytes={allocated} cpu_ms: runtime_start={cpuAtStart.TotalMilliseconds:F1} open={(cpuAtLoop - cpuAtStart).TotalMilliseconds:F1} loop={(cpuAtEnd - cpuAtLoop).TotalMilliseconds:F1}"));
        return sent.SendErrors == 0 && mux.VideoUnits == frames && frames > 0 ? 0 : 1;
    }

    /// <summary>
    /// Exact allocations of one pass over the 600 frames after warm-up passes (BenchmarkDotNet
    /// divides by the frame count and rounds down, so a few bytes per pass would not show).
    /// </summary>
    private static int AllocCheck()
    {
        byte[][] units = H264TestInput.LoadDefault();
        using var writer = new FrameWriter(60);
        var muxer = new TsMuxer(new TsMuxerOptions { Audio = TsAudio.None });
        var sink = new DiscardSink(new byte[TsPacket.Size]);
        using var receiver = new LoopbackReceiver();
        using UdpMediaSender sender = BenchUdp.Open(receiver.EndPoint, offload: true);
        long frame = 0;

        void MuxAndPacketize()
        {
            foreach (byte[] unit in units)
            {
                writer.Write(unit);
            }
        }

        void MuxOnly()
        {
            foreach (byte[] unit in units)
            {
                MediaTime now = MediaTime.FromSampleIndex(frame++, 60);
                muxer.WriteVideo(ref sink, unit, now, now, now);
            }
        }

        void MuxPacketizeSend()
        {
            foreach (byte[] unit in units)
            {
                sender.Send(writer.Write(unit));
            }
        }

        bool clean = true;
        foreach ((string name, Action pass) in new (string, Action)[] { ("mux+packetize", MuxAndPacketize), ("mux only", MuxOnly), ("mux+packetize+send", MuxPacketizeSend) })
        {
            for (int i = 0; i < 20; i++)
            {
                pass();
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            pass();
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            clean &= bytes == 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {bytes} B allocated over {units.Length} frames"));
        }

        return clean ? 0 : 1;
    }

    /// <summary><c>--name value</c> pairs.</summary>
    private sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public static Options Parse(ReadOnlySpan<string> args)
        {
            var options = new Options();
            for (int i = 0; i < args.Length; i += 2)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                {
                    throw new ArgumentException($"Expected --name value pairs, got '{args[i]}'.");
                }

                options._values[args[i][2..]] = args[i + 1];
            }

            return options;
        }

        public string? Get(string name) => _values.GetValueOrDefault(name);
    }
}
