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
        string body = BenchmarkInputs.SamsungM3Body;
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
