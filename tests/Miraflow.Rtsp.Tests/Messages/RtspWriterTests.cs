using System.Buffers;
using System.Text;
using Miraflow.Rtsp.Messages;

namespace Miraflow.Rtsp.Tests.Messages;

[Trait("Category", "unit")]
public sealed class RtspWriterTests
{
    private static RtspMessage M16()
    {
        RtspMessage m16 = RtspMessage.CreateRequest(RtspMethod.GetParameter, "rtsp://localhost/wfd1.0");
        m16.Headers.Add("CSeq", "7");
        m16.Headers.Add("Session", "1804289383");
        return m16;
    }

    private static RtspMessage M4()
    {
        RtspMessage m4 = RtspMessage.CreateRequest(RtspMethod.SetParameter, "rtsp://localhost/wfd1.0");
        m4.Headers.Add("CSeq", "3");
        m4.Headers.Add("Content-Type", "text/parameters");
        m4.SetBody(WfdSamples.M4Body);
        return m4;
    }

    [Fact]
    public void M16KeepAlive_ExactBytes()
    {
        Assert.Equal(
            "GET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 7\r\nSession: 1804289383\r\n\r\n",
            Encoding.ASCII.GetString(RtspWriter.ToArray(M16())));
    }

    [Fact]
    public void M4SetParameter_ExactBytes_WithComputedContentLength()
    {
        Assert.Equal(
            "SET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\n"
            + "CSeq: 3\r\n"
            + "Content-Type: text/parameters\r\n"
            + "Content-Length: 248\r\n"
            + "\r\n"
            + "wfd_video_formats: 00 00 02 02 00000020 00000000 00000000 00 0000 0000 00 none none\r\n"
            + "wfd_audio_codecs: AAC 00000001 00\r\n"
            + "wfd_presentation_URL: rtsp://192.168.49.10/wfd1.0/streamid=0 none\r\n"
            + "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n",
            Encoding.ASCII.GetString(RtspWriter.ToArray(M4())));
    }

    [Fact]
    public void M4_IsByteIdenticalToTheDocSample()
    {
        Assert.Equal(WfdSamples.M4Request.Bytes, RtspWriter.ToArray(M4()));
    }

    [Fact]
    public void M2Response_ExactBytes()
    {
        RtspMessage response = RtspMessage.CreateResponse(RtspStatus.Ok);
        response.Headers.Add("CSeq", "1");
        response.Headers.Add("Public", "org.wfa.wfd1.0, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER");

        Assert.Equal(
            "RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: org.wfa.wfd1.0, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER\r\n\r\n",
            Encoding.ASCII.GetString(RtspWriter.ToArray(response)));
    }

    [Fact]
    public void ResponseWithEmptyReason_KeepsTheSpaceAfterTheCode()
    {
        RtspMessage response = RtspMessage.CreateResponse(RtspStatus.SessionNotFound, "");
        response.Headers.Add("CSeq", "9");

        Assert.Equal("RTSP/1.0 454 \r\nCSeq: 9\r\n\r\n", Encoding.ASCII.GetString(RtspWriter.ToArray(response)));
    }

    [Fact]
    public void ContentLengthInHeaders_IsIgnored_AndRecomputedFromTheBody()
    {
        RtspMessage message = RtspMessage.CreateRequest(RtspMethod.SetParameter, "rtsp://localhost/wfd1.0");
        message.Headers.Add("content-length", "999");
        message.Headers.Add("CSeq", "4");
        message.Headers.Add("Content-Length", "1");
        message.SetBody("wfd_trigger_method: SETUP\r\n");

        Assert.Equal(
            "SET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 4\r\nContent-Length: 27\r\n\r\nwfd_trigger_method: SETUP\r\n",
            Encoding.ASCII.GetString(RtspWriter.ToArray(message)));
    }

    [Fact]
    public void ContentLengthInHeaders_WithoutBody_IsDropped()
    {
        RtspMessage message = RtspMessage.CreateResponse(200);
        message.Headers.Add("CSeq", "4");
        message.Headers.Add("Content-Length", "12");

        Assert.Equal("RTSP/1.0 200 OK\r\nCSeq: 4\r\n\r\n", Encoding.ASCII.GetString(RtspWriter.ToArray(message)));
    }

    public static TheoryData<string> SampleNames()
    {
        var data = new TheoryData<string>();
        foreach (WfdSample sample in WfdSamples.All)
        {
            data.Add(sample.Name);
        }

        return data;
    }

    /// <summary>Every sample puts Content-Length last, as the writer does, so parse → write gives the same bytes.</summary>
    [Theory]
    [MemberData(nameof(SampleNames))]
    public void ParseThenWrite_GivesTheSampleBytes_AndParsesAgainToTheSameMessage(string name)
    {
        WfdSample sample = Array.Find(WfdSamples.All, s => s.Name == name)!;
        Assert.True(Codec.TryParse(sample.Bytes, out RtspMessage? parsed, out _));

        byte[] written = RtspWriter.ToArray(parsed!);

        Assert.Equal(sample.Bytes, written);
        Assert.Equal(written.Length, RtspWriter.GetEncodedLength(parsed!));
        Assert.True(Codec.TryParse(written, out RtspMessage? reparsed, out _));
        MessageAssert.Matches(sample.Expected, reparsed);
    }

    [Fact]
    public void WriteToBufferWriter_EqualsToArray_AndAppendsAfterExistingContent()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("prefix"u8);

        RtspWriter.Write(M4(), output);

        Assert.Equal([.. "prefix"u8, .. RtspWriter.ToArray(M4())], output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(64)]
    public void WriteToSmallSegments_TakesTheSlowPath_AndGivesTheSameBytes(int segmentSize)
    {
        var output = new SmallSegmentWriter(segmentSize);

        RtspWriter.Write(M4(), output);

        Assert.Equal(RtspWriter.ToArray(M4()), output.ToArray());
        Assert.True(output.SegmentCount > 1);
    }

    [Fact]
    public void TryWrite_ExactSize_Succeeds_OneByteShort_WritesNothing()
    {
        RtspMessage m16 = M16();
        int length = RtspWriter.GetEncodedLength(m16);
        byte[] exact = new byte[length];
        byte[] tooShort = new byte[length - 1];
        Array.Fill(tooShort, (byte)0xAA);

        Assert.True(RtspWriter.TryWrite(m16, exact, out int written));
        Assert.Equal(length, written);
        Assert.Equal(RtspWriter.ToArray(m16), exact);

        Assert.False(RtspWriter.TryWrite(m16, tooShort, out int none));
        Assert.Equal(0, none);
        Assert.All(tooShort, b => Assert.Equal(0xAA, b));
    }

    [Fact]
    public void GetEncodedLength_IsExact()
    {
        Assert.Equal(80, RtspWriter.GetEncodedLength(M16()));
        Assert.Equal(RtspWriter.ToArray(M4()).Length, RtspWriter.GetEncodedLength(M4()));
        Assert.Equal(WfdSamples.M4Request.Bytes.Length, RtspWriter.GetEncodedLength(M4()));
    }

    [Theory]
    [InlineData("Session", "1\r\nInjected: yes")]
    [InlineData("Session", "1\n")]
    [InlineData("Session", "1\r")]
    [InlineData("Session", "a\0b")]
    [InlineData("Session", "caf\u00e9")]
    [InlineData("Sess:ion", "1")]
    [InlineData("Sess ion", "1")]
    [InlineData("Session\r\n", "1")]
    [InlineData("S\u00e9ssion", "1")]
    public void HeaderInjectionOrNonAscii_ThrowsArgumentException_AndWritesNothing(string name, string value)
    {
        RtspMessage message = M16();
        message.Headers.Add(name, value);
        var output = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => RtspWriter.Write(message, output));
        Assert.Throws<ArgumentException>(() => RtspWriter.GetEncodedLength(message));
        Assert.Throws<ArgumentException>(() => RtspWriter.ToArray(message));
        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [InlineData("GET PARAMETER", "*")]
    [InlineData("SET_PARAMETER\r\n", "*")]
    [InlineData("OPTIONS", "rtsp://x/ RTSP/1.0\r\nX:")]
    [InlineData("OPTIONS", "rtsp://h\u00f6st/")]
    public void BadRequestLine_ThrowsArgumentException(string method, string uri)
    {
        RtspMessage message = RtspMessage.CreateRequest(method, uri);

        Assert.Throws<ArgumentException>(() => RtspWriter.ToArray(message));
    }

    [Fact]
    public void ReasonPhraseWithLineEnd_ThrowsArgumentException()
    {
        RtspMessage message = RtspMessage.CreateResponse(200, "OK\r\nInjected: yes");

        Assert.Throws<ArgumentException>(() => RtspWriter.ToArray(message));
    }

    /// <summary>
    /// Steady state: writing into a pre-sized buffer allocates nothing. Tier-0 code of a few BCL
    /// generics may allocate until the JIT has promoted it, so the measurement is repeated (with a
    /// pause for the background JIT) until a round of 100 writes is clean; a writer that
    /// allocated per message or per header would never get there.
    /// </summary>
    [Fact]
    public void Write_AllocatesNothing()
    {
        RtspMessage m4 = M4();
        RtspMessage m16 = M16();
        var output = new ArrayBufferWriter<byte>(4096);
        long allocated = -1;

        for (int round = 0; round < 50 && allocated != 0; round++)
        {
            output.ResetWrittenCount();
            RtspWriter.Write(m4, output);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                output.ResetWrittenCount();
                RtspWriter.Write(m4, output);
                RtspWriter.Write(m16, output);
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated != 0)
            {
                Thread.Sleep(50);
            }
        }

        Assert.Equal(0, allocated);
        Assert.Equal(RtspWriter.GetEncodedLength(m4) + RtspWriter.GetEncodedLength(m16), output.WrittenCount);
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> that hands out spans of at most a few bytes.</summary>
    private sealed class SmallSegmentWriter(int segmentSize) : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public int SegmentCount { get; private set; }

        public void Advance(int count)
        {
            _written.AddRange(_current.AsSpan(0, count).ToArray());
        }

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            // Ignores the hint on purpose: the writer must cope with short spans.
            SegmentCount++;
            _current = new byte[segmentSize];
            return _current;
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

        public byte[] ToArray() => [.. _written];
    }
}
