using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Transport;

namespace Miraflow.Benchmarks;

/// <summary>
/// Sending the RTP datagrams of the benchmark stream's 600 frames (about 33 datagrams of up to
/// 1328 bytes a frame) to a socket on 127.0.0.1 that a background thread drains, one datagram
/// per system call or with segmentation offload. Per frame: <see cref="Send"/> only sends the
/// frames muxed beforehand; <see cref="MuxPacketizeSend"/> is the whole send stage.
/// </summary>
/// <remarks>
/// On loopback the sending thread also runs the kernel's receive path up to the receiver's
/// queue, so these times include it. The receiver's counts are printed at the end of each run
/// (in the BenchmarkDotNet log); if it falls behind, the kernel drops datagrams at its full
/// queue, which costs the sender a little less than delivering them.
/// </remarks>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the fields in [GlobalCleanup]; it derives from the class, so it cannot be sealed.")]
public class UdpSendBenchmarks
{
    private const int Frames = TsRtpBenchmarks.Frames;

    private byte[][] _units = [];
    private DatagramBatch[] _muxed = [];
    private FrameWriter _writer = null!;
    private LoopbackReceiver _receiver = null!;
    private UdpMediaSender _sender = null!;

    /// <summary>Whether runs of datagrams leave in one system call (Linux <c>UDP_SEGMENT</c>).</summary>
    [Params(false, true)]
    public bool Offload { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _units = H264TestInput.LoadDefault();
        using (var writer = new FrameWriter(60))
        {
            _muxed = new DatagramBatch[_units.Length];
            for (int i = 0; i < _units.Length; i++)
            {
                // TS and RTP headers add about 3 %, PSI and the last short datagram a few KB.
                int size = _units[i].Length + (_units[i].Length / 8) + 4096;
                _muxed[i] = writer.WriteInto(new DatagramBatch(size), _units[i]);
            }
        }

        _writer = new FrameWriter(60);
        _receiver = new LoopbackReceiver();
        _sender = BenchUdp.Open(_receiver.EndPoint, Offload);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        var sent = _sender.Statistics;
        (long datagrams, long bytes) = _receiver.WaitForQuiet(TimeSpan.FromMilliseconds(200));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// UDP offload={Offload}: sent {sent.DatagramsSent} datagrams ({sent.BytesSent} B) in {sent.SendCalls} calls, {sent.SendErrors} errors; received {datagrams} ({bytes} B), receive buffer {_receiver.ReceiveBufferSize} B"));
        _sender.Dispose();
        _receiver.Dispose();
        _writer.Dispose();
        foreach (DatagramBatch batch in _muxed)
        {
            batch.Dispose();
        }
    }

    /// <summary>Send one frame's datagrams, muxed beforehand.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Frames)]
    public int Send()
    {
        int datagrams = 0;
        foreach (DatagramBatch batch in _muxed)
        {
            _sender.Send(batch);
            datagrams += batch.Count;
        }

        return datagrams;
    }

    /// <summary>The whole send stage for one frame: mux, packetize into the reused batch, send.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int MuxPacketizeSend()
    {
        int datagrams = 0;
        foreach (byte[] unit in _units)
        {
            DatagramBatch batch = _writer.Write(unit);
            _sender.Send(batch);
            datagrams += batch.Count;
        }

        return datagrams;
    }
}
