using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Benchmarks;

/// <summary>
/// The parameter layer on the same Samsung M3 answer as <see cref="RtspParserBenchmarks"/>: split
/// the body into lines, read the typed <c>wfd_video_formats</c>, negotiate, and write the M4 body
/// from typed values (which must allocate nothing beyond the output).
/// </summary>
[MemoryDiagnoser]
public class WfdParameterBenchmarks
{
    private byte[] _m3Body = [];
    private WfdParameterSet _m3 = null!;
    private WfdParameterSet _m4 = null!;
    private ArrayBufferWriter<byte> _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        _m3Body = Encoding.ASCII.GetBytes(BenchmarkInputs.SamsungM3Body);
        _m3 = WfdParameterSet.Parse(_m3Body);
        NegotiatedFormat chosen = FormatNegotiator.Negotiate(_m3, SourceCapabilities.Default).Chosen;
        _m4 = new WfdParameterSet();
        _m4.Set(chosen.ToVideoFormats());
        _m4.Set(chosen.ToAudioCodecs()!);
        _m4.Set(WfdClientRtpPorts.Parse("RTP/AVP/UDP;unicast 19000 0 mode=play"));
        _m4.SetRaw("wfd_presentation_URL", "rtsp://192.168.49.10/wfd1.0/streamid=0 none");
        _output = new ArrayBufferWriter<byte>(1024);
    }

    /// <summary>Splits the M3 body into its lines (typed values are read on demand).</summary>
    [Benchmark]
    public int ParseM3Body() => WfdParameterSet.Parse(_m3Body).Count;

    /// <summary>Reads the two-entry <c>wfd_video_formats</c> value.</summary>
    [Benchmark]
    public int ParseVideoFormats() => WfdVideoFormats.Parse(_m3["wfd_video_formats"]).Codecs.Count;

    /// <summary>The whole M3 decision: parse video and audio, build and rank the candidates.</summary>
    [Benchmark]
    public int Negotiate() => FormatNegotiator.Negotiate(_m3, SourceCapabilities.Default).Candidates.Count;

    /// <summary>Writes the M4 body from typed values into a reused buffer.</summary>
    [Benchmark]
    public int WriteM4Body()
    {
        _output.ResetWrittenCount();
        _m4.WriteTo(_output);
        return _output.WrittenCount;
    }
}
