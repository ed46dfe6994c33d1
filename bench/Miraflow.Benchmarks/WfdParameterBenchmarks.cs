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
    private const string SamsungM3Body =
        "wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00\r\n" +
        "wfd_video_formats: 40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none, 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none\r\n" +
        "wfd_3d_video_formats: 80 00 03 0F 0000000000000005 00 0001 1401 13 none none\r\n" +
        "wfd_content_protection: HDCP2.1 port=1189\r\n" +
        "wfd_coupled_sink: none\r\n" +
        "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n" +
        "wfd_uibc_capability: none\r\n" +
        "wfd_connector_type: 05\r\n" +
        "wfd_standby_resume_capability: supported\r\n" +
        "intel_interactivity_mode: HIGH\r\n";

    private byte[] _m3Body = [];
    private WfdParameterSet _m3 = null!;
    private WfdParameterSet _m4 = null!;
    private ArrayBufferWriter<byte> _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        _m3Body = Encoding.ASCII.GetBytes(SamsungM3Body);
        _m3 = WfdParameterSet.Parse(_m3Body);
        NegotiatedFormat chosen = FormatNegotiator.Negotiate(_m3, SourceCapabilities.Default).Chosen;
        _m4 = new WfdParameterSet();
        _m4.Set(chosen.ToVideoFormats());
        _m4.Set(chosen.ToAudioCodecs()!);
        _m4.Set(WfdClientRtpPorts.Parse("RTP/AVP/UDP;unicast 19000 0 mode=play"));
        _m4.SetRaw("wfd_presentation_URL", "rtsp://192.168.49.10/wfd1.0/streamid=0 none");
        _output = new ArrayBufferWriter<byte>(1024);
    }

    /// <summary>Splits the M3 body into its ten lines (typed values are read on demand).</summary>
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
