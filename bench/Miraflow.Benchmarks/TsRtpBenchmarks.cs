using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Benchmarks;

/// <summary>
/// The per-frame work of the send stage on a real stream: the 600 access units of
/// <see cref="H264InputSpec.Wfd1080p60"/> (1080p60, 20 Mbit/s, about 43 KB a frame, 81 KB an
/// IDR). One invocation writes all of them in order, so every figure is per frame. Muxing and
/// packetizing must allocate nothing.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the fields in [GlobalCleanup]; it derives from the class, so it cannot be sealed.")]
public class TsRtpBenchmarks
{
    /// <summary>Access units in the input: 10 s at 60 fps.</summary>
    public const int Frames = 600;

    private byte[][] _units = [];
    private FrameWriter _writer = null!;
    private TsMuxer _muxer = null!;
    private byte[] _slot = [];
    private byte[] _copy = [];
    private long _muxerFrame;

    [GlobalSetup]
    public void Setup()
    {
        _units = H264TestInput.LoadDefault();
        if (_units.Length != Frames)
        {
            throw new InvalidOperationException($"The input has {_units.Length} access units, not {Frames}.");
        }

        _writer = new FrameWriter(60);
        _muxer = new TsMuxer(new TsMuxerOptions { Audio = TsAudio.None });
        _slot = new byte[TsPacket.Size];
        _copy = new byte[_units.Max(u => u.Length)];
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    /// <summary>Mux one access unit and pack its TS packets into RTP datagrams in a reused batch.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Frames)]
    public int MuxAndPacketize()
    {
        int datagrams = 0;
        foreach (byte[] unit in _units)
        {
            datagrams += _writer.Write(unit).Count;
        }

        return datagrams;
    }

    /// <summary>Mux only, into a struct sink that discards the packets (no RTP, no batch).</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public long MuxOnly()
    {
        var sink = new DiscardSink(_slot);
        foreach (byte[] unit in _units)
        {
            MediaTime now = MediaTime.FromSampleIndex(_muxerFrame++, 60);
            _muxer.WriteVideo(ref sink, unit, now, now, now);
        }

        return sink.Packets;
    }

    /// <summary>Reference: one plain copy of each access unit, the least any muxer has to do.</summary>
    [Benchmark(OperationsPerInvoke = Frames)]
    public int CopyOnly()
    {
        int bytes = 0;
        foreach (byte[] unit in _units)
        {
            unit.CopyTo(_copy, 0);
            bytes += unit.Length;
        }

        return bytes;
    }
}
