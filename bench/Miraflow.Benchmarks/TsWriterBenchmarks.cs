using BenchmarkDotNet.Attributes;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Benchmarks;

/// <summary>
/// The small writers and readers inside the muxer, one call each: PAT, PMT (video and LPCM
/// audio), the PCR packet, a PES header with PTS and DTS, an RTP header, and the scan of an
/// access unit's leading NAL units (an IDR with SPS/PPS and a P picture of the benchmark input).
/// All must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class TsWriterBenchmarks
{
    private readonly byte[] _packet = new byte[TsPacket.Size];
    private readonly MediaTime _time = MediaTime.FromMicroseconds(12_345_678);
    private byte[] _idr = [];
    private byte[] _predicted = [];
    private int _cc;

    [GlobalSetup]
    public void Setup()
    {
        byte[][] units = H264TestInput.LoadDefault();
        _idr = units[0];
        _predicted = units[1];
        if (!AccessUnitLayout.TryRead(_idr, out AccessUnitLayout idr) || !idr.IsIdr || !idr.HasSps
            || !AccessUnitLayout.TryRead(_predicted, out AccessUnitLayout p) || p.IsIdr)
        {
            throw new InvalidOperationException("The input does not start with an IDR (with SPS/PPS) and a P picture.");
        }
    }

    [Benchmark]
    public byte WritePat()
    {
        PsiWriter.WritePat(_packet, _cc++ & 0xF);
        return _packet[^1];
    }

    [Benchmark]
    public byte WritePmt()
    {
        PsiWriter.WritePmt(_packet, _cc++ & 0xF, AvcProfileLevel.ConstrainedBaseline(42), TsAudio.Lpcm48kStereo);
        return _packet[^1];
    }

    [Benchmark]
    public byte WritePcrPacket()
    {
        PcrPacket.Write(_packet, 0, _time);
        return _packet[^1];
    }

    [Benchmark]
    public int WritePesHeader() => PesHeader.Write(_packet, PesHeader.VideoStreamId, 43_000, _time, _time + TimeSpan.FromMilliseconds(-16));

    [Benchmark]
    public byte WriteRtpHeader()
    {
        new RtpHeader(true, RtpHeader.PayloadTypeMp2t, (ushort)_cc++, 123_456_789, 0x4D464C57).Write(_packet);
        return _packet[11];
    }

    [Benchmark]
    public int ReadLayoutIdr() => AccessUnitLayout.TryRead(_idr, out AccessUnitLayout layout) ? layout.ParameterSetsEnd : -1;

    [Benchmark]
    public int ReadLayoutP() => AccessUnitLayout.TryRead(_predicted, out AccessUnitLayout layout) ? layout.DelimiterEnd : -1;
}
