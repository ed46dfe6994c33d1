using System.Buffers;
using System.Text;
using Miraflow.Rtsp.Messages;

namespace Miraflow.Rtsp.Tests.Messages;

[Trait("Category", "unit")]
public sealed class RtspParserTests
{
    public static TheoryData<string> SampleNames()
    {
        var data = new TheoryData<string>();
        foreach (WfdSample sample in WfdSamples.All)
        {
            data.Add(sample.Name);
        }

        return data;
    }

    private static WfdSample Sample(string name) => Array.Find(WfdSamples.All, s => s.Name == name)!;

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Sample_ContentLengthHeaderMatchesItsBody(string name)
    {
        WfdSample sample = Sample(name);
        string? declared = Array.Find(sample.Expected.Headers, h => h.Name == "Content-Length").Value;
        Assert.Equal(sample.Expected.Body.Length == 0 ? null : sample.Expected.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), declared);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Sample_ParsesExactly_AndConsumesExactlyTheMessage(string name)
    {
        WfdSample sample = Sample(name);

        Assert.True(Codec.TryParse(sample.Bytes, out RtspMessage? message, out long consumed));

        MessageAssert.Matches(sample.Expected, message);
        Assert.Equal(sample.Bytes.Length, consumed);
    }

    [Theory]
    [MemberData(nameof(SampleNames))]
    public void Sample_ParsesExactly_OverOneByteSegments(string name)
    {
        WfdSample sample = Sample(name);

        Assert.True(Codec.TryParse(SequenceFactory.Create(sample.Bytes, 1), out RtspMessage? message, out long consumed));

        MessageAssert.Matches(sample.Expected, message);
        Assert.Equal(sample.Bytes.Length, consumed);
    }

    [Fact]
    public void M1_FieldsAndHeaderLookup()
    {
        Assert.True(Codec.TryParse(WfdSamples.M1Request.Bytes, out RtspMessage? m1, out _));

        Assert.True(m1!.IsRequest);
        Assert.Equal(RtspMethod.Options, m1.KnownMethod);
        Assert.Equal("*", m1.Uri);
        Assert.Equal(1, m1.CSeq);
        Assert.Equal("org.wfa.wfd1.0", m1.Headers["require"]);
        Assert.Equal(4, m1.Headers.Count);
        Assert.True(m1.Body.IsEmpty);
    }

    [Fact]
    public void M6Response_SessionIdWithoutTimeout()
    {
        Assert.True(Codec.TryParse(WfdSamples.M6Response.Bytes, out RtspMessage? m6, out _));

        Assert.True(m6!.IsSuccess);
        Assert.Equal(200, m6.StatusCode);
        Assert.Equal("OK", m6.ReasonPhrase);
        Assert.Equal("1804289383", m6.SessionId);
        Assert.Equal("RTP/AVP/UDP;unicast;client_port=19000;server_port=15550", m6.Headers["Transport"]);
    }

    [Fact]
    public void SamsungM3Response_Body1187Bytes()
    {
        Assert.True(Codec.TryParse(WfdSamples.M3ResponseSamsung.Bytes, out RtspMessage? m3, out _));

        Assert.Equal(1187, m3!.Body.Length);
        Assert.StartsWith("wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00\r\n", m3.BodyText, StringComparison.Ordinal);
        Assert.EndsWith("intel_interactivity_mode: HIGH\r\n", m3.BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public void SamsungM13_UriAndBody()
    {
        Assert.True(Codec.TryParse(WfdSamples.M13RequestSamsung.Bytes, out RtspMessage? m13, out _));

        Assert.Equal(RtspMethod.SetParameter, m13!.KnownMethod);
        Assert.Equal("rtsp://192.168.173.1/wfd1.0/streamid=0", m13.Uri);
        Assert.Equal("VaMkltjy", m13.SessionId);
        Assert.Equal("wfd_idr_request\r\n", m13.BodyText);
    }

    [Fact]
    public void IncompleteMessage_ReturnsFalse_AndConsumesNothing()
    {
        byte[] bytes = WfdSamples.M3Request.Bytes;
        for (int length = 0; length < bytes.Length; length++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes, 0, length));

            Assert.False(RtspParser.TryParseMessage(ref reader, RtspLimits.Default, out RtspMessage? message));

            Assert.Null(message);
            Assert.Equal(0, reader.Consumed);
        }
    }

    [Fact]
    public void TwoMessagesInOneBuffer_ParseOneAfterTheOther()
    {
        byte[] bytes = WfdSamples.Concat(WfdSamples.M4Request, WfdSamples.M5Request);
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(bytes));

        Assert.True(RtspParser.TryParseMessage(ref reader, RtspLimits.Default, out RtspMessage? m4));
        Assert.Equal(WfdSamples.M4Request.Bytes.Length, reader.Consumed);
        Assert.True(RtspParser.TryParseMessage(ref reader, RtspLimits.Default, out RtspMessage? m5));
        Assert.Equal(bytes.Length, reader.Consumed);
        Assert.False(RtspParser.TryParseMessage(ref reader, RtspLimits.Default, out _));

        MessageAssert.Matches(WfdSamples.M4Request.Expected, m4);
        MessageAssert.Matches(WfdSamples.M5Request.Expected, m5);
    }

    [Fact]
    public void LfOnlyLineEnds_AreAccepted()
    {
        byte[] bytes = WfdSamples.Ascii("RTSP/1.0 200 OK\nCSeq: 2\nContent-Type: text/parameters\nContent-Length: 34\n\nwfd_audio_codecs: AAC 00000001 00\n");

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out long consumed));

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal([("CSeq", "2"), ("Content-Type", "text/parameters"), ("Content-Length", "34")], MessageAssert.HeadersOf(message!));
        Assert.Equal("wfd_audio_codecs: AAC 00000001 00\n", message!.BodyText);
    }

    [Fact]
    public void MixedCrlfAndLf_AreAccepted()
    {
        byte[] bytes = WfdSamples.Ascii("OPTIONS * RTSP/1.0\r\nCSeq: 1\nRequire: org.wfa.wfd1.0\r\n\n");

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out long consumed));

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal([("CSeq", "1"), ("Require", "org.wfa.wfd1.0")], MessageAssert.HeadersOf(message!));
    }

    [Fact]
    public void ExtraSpacesAndTabs_InStartLineAndAroundValues()
    {
        byte[] bytes = WfdSamples.Ascii("SETUP \t rtsp://1.2.3.4/wfd1.0/streamid=0   RTSP/1.0 \t\r\nCSeq:3\r\nTransport: \t RTP/AVP/UDP;unicast;client_port=1028  \t\r\nSession :  42 \r\n\r\n");

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out _));

        Assert.Equal("SETUP", message!.Method);
        Assert.Equal("rtsp://1.2.3.4/wfd1.0/streamid=0", message.Uri);
        Assert.Equal("RTSP/1.0", message.Version);
        Assert.Equal([("CSeq", "3"), ("Transport", "RTP/AVP/UDP;unicast;client_port=1028"), ("Session", "42")], MessageAssert.HeadersOf(message));
    }

    [Fact]
    public void ExtraSpaces_InStatusLine_ReasonKeepsInnerSpaces()
    {
        byte[] bytes = WfdSamples.Ascii("RTSP/1.0   303  See   Other  \r\nCSeq: 3\r\n\r\n");

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out _));

        Assert.Equal(303, message!.StatusCode);
        Assert.Equal("See   Other", message.ReasonPhrase);
    }

    [Fact]
    public void QuotedPublic_IsKeptVerbatim()
    {
        Assert.True(Codec.TryParse(WfdSamples.M1ResponseQuotedPublic.Bytes, out RtspMessage? message, out _));

        Assert.Equal("\"org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER\"", message!.Headers["Public"]);
    }

    [Fact]
    public void BackslashPublic_IsAHeaderNamedBackslashPublic()
    {
        Assert.True(Codec.TryParse(WfdSamples.M1ResponseBackslashPublic.Bytes, out RtspMessage? message, out _));

        Assert.Null(message!.Headers["Public"]);
        Assert.Equal("org.wfa.wfd1.0, SET_PARAMETER, GET_PARAMETER", message.Headers["\\Public"]);
    }

    [Fact]
    public void WrongCaseHeaderNames_AreKeptAsSent_AndContentLengthStillFramesTheBody()
    {
        byte[] bytes = WfdSamples.Ascii("SET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\ncseq: 9\r\ncontent-type: tEXT/parameters\r\ncontent-LENGTH: 17\r\n\r\nwfd_idr_request\r\nOPTIONS");

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out long consumed));

        Assert.Equal(bytes.Length - "OPTIONS".Length, consumed);
        Assert.Equal([("cseq", "9"), ("content-type", "tEXT/parameters"), ("content-LENGTH", "17")], MessageAssert.HeadersOf(message!));
        Assert.Equal(9, message!.CSeq);
        Assert.Equal("tEXT/parameters", message.Headers["Content-Type"]);
        Assert.Equal("wfd_idr_request\r\n", message.BodyText);
    }

    [Theory]
    [InlineData("RTSP/1.0 200\r\nCSeq: 3\r\n\r\n")]
    [InlineData("RTSP/1.0 200 \r\nCSeq: 3\r\n\r\n")]
    [InlineData("RTSP/1.0 200\t\r\nCSeq: 3\r\n\r\n")]
    public void ResponseWithoutReasonPhrase(string text)
    {
        Assert.True(Codec.TryParse(WfdSamples.Ascii(text), out RtspMessage? message, out _));

        Assert.True(message!.IsResponse);
        Assert.Equal(200, message.StatusCode);
        Assert.Equal("", message.ReasonPhrase);
        Assert.Equal(3, message.CSeq);
    }

    [Fact]
    public void BodyWithoutFinalCrlf()
    {
        byte[] bytes = WfdSamples.Ascii("SET_PARAMETER rtsp://localhost/wfd1.0 RTSP/1.0\r\nCSeq: 5\r\nContent-Length: 15\r\n\r\nwfd_idr_request");

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out long consumed));

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal("wfd_idr_request", message!.BodyText);
    }

    [Fact]
    public void LeadingLineEnds_AreSkippedAndConsumed()
    {
        byte[] bytes = [.. WfdSamples.Ascii("\r\n\r\n\n \t\r\n"), .. WfdSamples.M16Request.Bytes];

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out long consumed));

        Assert.Equal(bytes.Length, consumed);
        MessageAssert.Matches(WfdSamples.M16Request.Expected, message);
    }

    [Fact]
    public void OnlyLineEnds_NeedMoreData()
    {
        Assert.False(Codec.TryParse(WfdSamples.Ascii("\r\n\r\n"), out RtspMessage? message, out long consumed));

        Assert.Null(message);
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void ObsoleteFolding_JoinsTheValueWithOneSpace()
    {
        byte[] bytes = WfdSamples.Ascii("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nPublic: org.wfa.wfd1.0,\r\n   GET_PARAMETER,\r\n\tSET_PARAMETER\r\nRequire: org.wfa.wfd1.0\r\n\r\n");

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out _));

        Assert.Equal(
            [("CSeq", "1"), ("Public", "org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER"), ("Require", "org.wfa.wfd1.0")],
            MessageAssert.HeadersOf(message!));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("rtsp://localhost/wfd1.0")]
    [InlineData("rtsp://1.2.3.4/wfd1.0/streamid=0")]
    [InlineData("rtsp://192.168.49.1:7236/wfd1.0/streamid=0")]
    [InlineData("/relative?x=1&y=[2]")]
    public void AnyRequestUri_IsAccepted(string uri)
    {
        Assert.True(Codec.TryParse(WfdSamples.Ascii($"SETUP {uri} RTSP/1.0\r\nCSeq: 2\r\n\r\n"), out RtspMessage? message, out _));

        Assert.Equal(uri, message!.Uri);
        Assert.Equal(RtspMethod.Setup, message.KnownMethod);
    }

    [Theory]
    [InlineData("options")]
    [InlineData("Get_Parameter")]
    [InlineData("4")]
    [InlineData("X-VENDOR_PING")]
    [InlineData("!#$%&'*+-.^_`|~")]
    public void UnknownOrWrongCaseMethod_ParsesAsUnknown(string method)
    {
        Assert.True(Codec.TryParse(WfdSamples.Ascii($"{method} * RTSP/1.0\r\nCSeq: 2\r\n\r\n"), out RtspMessage? message, out _));

        Assert.True(message!.IsRequest);
        Assert.Equal(method, message.Method);
        Assert.Equal(RtspMethod.Unknown, message.KnownMethod);
    }

    [Fact]
    public void OtherVersionDigits_AreKept()
    {
        Assert.True(Codec.TryParse(WfdSamples.Ascii("RTSP/2.0 200 OK\r\n\r\n"), out RtspMessage? message, out _));

        Assert.Equal("RTSP/2.0", message!.Version);
        Assert.Equal(0, message.Headers.Count);
    }

    [Fact]
    public void Utf8InHeaderValueAndReason_IsDecoded()
    {
        byte[] bytes = WfdSamples.Ascii("RTSP/1.0 200 Très bien\r\nServer: Überquelle/1.0\r\n\r\n");

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out _));

        Assert.Equal("Très bien", message!.ReasonPhrase);
        Assert.Equal("Überquelle/1.0", message.Headers["Server"]);
    }

    [Fact]
    public void EqualDuplicateContentLength_IsAccepted()
    {
        byte[] bytes = WfdSamples.Ascii("SET_PARAMETER * RTSP/1.0\r\nContent-Length: 5\r\nContent-Length: 005\r\n\r\nabcde");

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out long consumed));

        Assert.Equal(bytes.Length, consumed);
        Assert.Equal("abcde", message!.BodyText);
    }

    [Fact]
    public void ContentLengthZero_MeansNoBody()
    {
        byte[] bytes = WfdSamples.Ascii("RTSP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out long consumed));

        Assert.Equal(bytes.Length, consumed);
        Assert.True(message!.Body.IsEmpty);
    }

    [Fact]
    public void Body_IsOpaqueBytes_AndACopy()
    {
        byte[] head = WfdSamples.Ascii("SET_PARAMETER * RTSP/1.0\r\nContent-Length: 6\r\n\r\n");
        byte[] bytes = [.. head, 0x00, 0x0D, 0xFF, 0x0A, 0x7F, 0x80];

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out _));
        Array.Clear(bytes);

        Assert.Equal(new byte[] { 0x00, 0x0D, 0xFF, 0x0A, 0x7F, 0x80 }, message!.Body.ToArray());
    }

    [Fact]
    public void StartLineOfExactlyMaxLength_IsAccepted_EvenWhenItsCrArrivesAlone()
    {
        var limits = new RtspLimits { MaxStartLineLength = 40 };
        string uri = "rtsp://h/" + new string('a', 40 - "OPTIONS rtsp://h/ RTSP/1.0".Length);
        string line = "OPTIONS " + uri + " RTSP/1.0";
        Assert.Equal(40, line.Length);
        byte[] bytes = WfdSamples.Ascii(line + "\r\nCSeq: 1\r\n\r\n");

        // 40 bytes + CR and no LF yet: still possibly valid.
        Assert.False(Codec.TryParse(bytes[..41], out _, out long consumed, limits));
        Assert.Equal(0, consumed);
        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out _, limits));
        Assert.Equal(uri, message!.Uri);
    }

    [Fact]
    public void ExactlyMaxHeaderCount_IsAccepted()
    {
        var text = new StringBuilder("OPTIONS * RTSP/1.0\r\n");
        for (int i = 0; i < RtspLimits.Default.MaxHeaderCount; i++)
        {
            text.Append("X-").Append(i).Append(": v\r\n");
        }

        text.Append("\r\n");

        Assert.True(Codec.TryParse(WfdSamples.Ascii(text.ToString()), out RtspMessage? message, out _));
        Assert.Equal(RtspLimits.Default.MaxHeaderCount, message!.Headers.Count);
    }

    [Fact]
    public void HeaderBlockOfExactlyMaxHeaderBytes_IsAccepted()
    {
        var limits = new RtspLimits { MaxHeaderBytes = 100 };
        string head = "OPTIONS * RTSP/1.0\r\nX: ";
        string text = head + new string('v', 100 - head.Length - 4) + "\r\n\r\n";
        Assert.Equal(100, text.Length);

        Assert.True(Codec.TryParse(WfdSamples.Ascii(text), out RtspMessage? message, out long consumed, limits));
        Assert.Equal(100, consumed);
        Assert.Equal(100 - head.Length - 4, message!.Headers["X"]!.Length);
    }

    [Fact]
    public void BodyOfExactlyMaxBodyLength_IsAccepted()
    {
        int max = RtspLimits.Default.MaxBodyLength;
        byte[] bytes = [.. WfdSamples.Ascii($"SET_PARAMETER * RTSP/1.0\r\nContent-Length: {max}\r\n\r\n"), .. new byte[max]];

        Assert.True(Codec.TryParse(bytes, out RtspMessage? message, out _));
        Assert.Equal(max, message!.Body.Length);
    }

    [Fact]
    public void KnownHeaderNames_AreSharedStrings()
    {
        Assert.True(Codec.TryParse(WfdSamples.M13RequestSamsung.Bytes, out RtspMessage? first, out _));
        Assert.True(Codec.TryParse(WfdSamples.M13RequestSamsung.Bytes, out RtspMessage? second, out _));

        string[] firstNames = Array.ConvertAll(MessageAssert.HeadersOf(first!), h => h.Name);
        string[] secondNames = Array.ConvertAll(MessageAssert.HeadersOf(second!), h => h.Name);
        for (int i = 0; i < firstNames.Length; i++)
        {
            Assert.Same(firstNames[i], secondNames[i]);
        }

        Assert.Same(first!.Method, second!.Method);
        Assert.Same(RtspMessage.Rtsp10, first.Version);
    }
}
