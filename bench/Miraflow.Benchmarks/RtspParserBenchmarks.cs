using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Miraflow.Rtsp.Messages;

namespace Miraflow.Benchmarks;

/// <summary>
/// The RTSP codec on a typical M3 answer (the Samsung TV's, corpus file 01: 1187 body bytes, about
/// 1.3 KB in all) and an M4 request. Parsing allocates only what the message holds (strings that
/// are not shared, the body copy); writing allocates nothing.
/// </summary>
[MemoryDiagnoser]
public class RtspParserBenchmarks
{
    private const string SamsungM3Body = """
        wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00
        wfd_video_formats: 40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none, 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none
        wfd_3d_video_formats: 80 00 03 0F 0000000000000005 00 0001 1401 13 none none
        wfd_content_protection: HDCP2.1 port=1189
        wfd_display_edid: 0002 00ffffffffffff004c2dde07000000002f14010380834a780aee91a3544c99260f5054bdef80714f8100814081809500950fb300a940023a801871382d40582c4500a05a0000001e662150b051001b3040703600a05a0000001e000000fd00184b1a5117000a202020202020000000fc0053414d53554e470a202020202001fd02032ef14b901f0413051403122021222309070783010000e2000f72030c004000b82d20d0080140073f405090a0023a80d072382d40102c4580a05a0000001e011d00bc52d01e20b8285540a05a0000001e011d80d0721c1620102c2580a05a0000009e00000000000000000000000000000000000000000000000000000078
        wfd_coupled_sink: none
        wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play
        wfd_uibc_capability: none
        wfd_connector_type: 05
        wfd_standby_resume_capability: supported
        intel_sink_version: product_ID=widicesdk hw_version=02.00.00.0000 sw_version=02.04.46.0000
        intel_lower_bandwidth: none
        intel_interactivity_mode: HIGH

        """;

    private const string M4Body =
        "wfd_video_formats: 00 00 02 02 00000020 00000000 00000000 00 0000 0000 00 none none\r\n"
        + "wfd_audio_codecs: AAC 00000001 00\r\n"
        + "wfd_presentation_URL: rtsp://192.168.49.10/wfd1.0/streamid=0 none\r\n"
        + "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n";

    private readonly RtspLimits _limits = RtspLimits.Default;
    private byte[] _m3Response = [];
    private RtspMessage _m4 = null!;
    private ArrayBufferWriter<byte> _output = null!;

    [GlobalSetup]
    public void Setup()
    {
        string body = SamsungM3Body.ReplaceLineEndings("\r\n");
        _m3Response = Encoding.ASCII.GetBytes(
            "RTSP/1.0 200 OK\r\nCSeq: 2\r\nContent-Type: text/parameters\r\nContent-Length: "
            + body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)
            + "\r\n\r\n" + body);

        _m4 = RtspMessage.CreateRequest(RtspMethod.SetParameter, "rtsp://localhost/wfd1.0");
        _m4.Headers.Add("CSeq", "3");
        _m4.Headers.Add("Content-Type", "text/parameters");
        _m4.SetBody(M4Body);
        _output = new ArrayBufferWriter<byte>(1024);

        if (ParseM3() != body.Length || DecodeM3() != body.Length || WriteM4() != RtspWriter.GetEncodedLength(_m4))
        {
            throw new InvalidOperationException("The benchmark input does not round-trip.");
        }
    }

    /// <summary>RtspParser over a SequenceReader on the byte array.</summary>
    [Benchmark(Baseline = true)]
    public int ParseM3()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_m3Response));
        return RtspParser.TryParseMessage(ref reader, _limits, out RtspMessage? message) ? message.Body.Length : -1;
    }

    /// <summary>The same bytes through a new RtspMessageDecoder in one read.</summary>
    [Benchmark]
    public int DecodeM3()
    {
        var decoder = new RtspMessageDecoder(_limits);
        decoder.Append(_m3Response);
        return decoder.TryReadMessage(out RtspMessage? message) ? message.Body.Length : -1;
    }

    /// <summary>An M4 SET_PARAMETER written into a reused buffer: must show 0 B allocated.</summary>
    [Benchmark]
    public int WriteM4()
    {
        _output.ResetWrittenCount();
        RtspWriter.Write(_m4, _output);
        return _output.WrittenCount;
    }
}
