using System.Text;
using Miraflow.Rtsp.Messages;

namespace Miraflow.Rtsp.Tests.Messages;

/// <summary>
/// Hostile and malformed inputs. Each must end in its exact <see cref="RtspParseError"/>, the same
/// whether the parser sees it whole, over 3-byte segments, or the decoder gets it in one read or
/// one byte per read.
/// </summary>
[Trait("Category", "unit")]
public sealed class RtspParserHostileInputTests
{
    private const string M1Head = "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n";

    private static readonly Dictionary<string, (byte[] Input, RtspParseError Error)> s_cases = BuildCases();

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (string name in s_cases.Keys)
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void ThereAreAtLeastThirtyCases() => Assert.True(s_cases.Count >= 30, $"{s_cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Parser_WholeInput_ThrowsTheExactError(string name)
    {
        (byte[] input, RtspParseError error) = s_cases[name];
        Assert.Equal(ParserOutcome(error), Codec.ParserError(input));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Parser_ThreeByteSegments_ThrowsTheExactError(string name)
    {
        (byte[] input, RtspParseError error) = s_cases[name];
        Assert.Equal(ParserOutcome(error), Codec.ParserError(input, segmentSize: 3));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Decoder_OneRead_ThrowsTheExactError_AndNoMessage(string name)
    {
        (byte[] input, RtspParseError error) = s_cases[name];

        (List<RtspMessage> messages, RtspParseError? actual) = Codec.Decode(input);

        Assert.Equal(error, actual);
        Assert.Empty(messages);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Decoder_OneBytePerRead_ThrowsTheExactError_AndNoMessage(string name)
    {
        (byte[] input, RtspParseError error) = s_cases[name];

        (List<RtspMessage> messages, RtspParseError? actual) = Codec.Decode(input, chunkSize: 1);

        Assert.Equal(error, actual);
        Assert.Empty(messages);
    }

    [Fact]
    public void TruncatedBody_ParserNeedsMore_DecoderFailsAtEndOfStream()
    {
        byte[] input = WfdSamples.M13RequestSamsung.Bytes[..^3];

        Assert.False(Codec.TryParse(input, out _, out long consumed));
        Assert.Equal(0, consumed);
        Assert.Equal(RtspParseError.UnexpectedEndOfStream, Codec.Decode(input).Error);
    }

    [Fact]
    public void LeadingLineEndsBeyondHeaderLimit_ParserRejects_DecoderDiscardsThem()
    {
        byte[] input = [.. Enumerable.Repeat((byte)'\n', RtspLimits.Default.MaxHeaderBytes), .. WfdSamples.M16Request.Bytes];

        Assert.Equal(RtspParseError.HeadersTooLarge, Codec.ParserError(input));
        (List<RtspMessage> messages, RtspParseError? error) = Codec.Decode(input);
        Assert.Null(error);
        MessageAssert.Matches(WfdSamples.M16Request.Expected, Assert.Single(messages));
    }

    [Fact]
    public void ErrorAfterAGoodMessage_TheGoodMessageIsStillDelivered()
    {
        byte[] input = [.. WfdSamples.M16Request.Bytes, .. Ascii("OPTIONS * RTSP/1.0\r\nCSeq\r\n\r\n")];

        (List<RtspMessage> messages, RtspParseError? error) = Codec.Decode(input);

        Assert.Equal(RtspParseError.InvalidHeaderLine, error);
        MessageAssert.Matches(WfdSamples.M16Request.Expected, Assert.Single(messages));
    }

    [Fact]
    public void ExceptionMessage_EscapesTheOffendingBytes()
    {
        byte[] input = Ascii("OPTIONS * RTSP/1.0\r\nCS\0eq: 1\r\n\r\n");

        RtspParseException ex = Assert.Throws<RtspParseException>(() => Codec.TryParse(input, out _, out _));

        Assert.Equal(RtspParseError.InvalidCharacter, ex.Error);
        Assert.Equal("A control character in the header line: \"CS\\x00\".", ex.Message);
    }

    /// <summary>The parser alone cannot know the stream ended: for a truncated message it just needs more (null).</summary>
    private static RtspParseError? ParserOutcome(RtspParseError error) =>
        error == RtspParseError.UnexpectedEndOfStream ? null : error;

    private static Dictionary<string, (byte[], RtspParseError)> BuildCases()
    {
        RtspLimits limits = RtspLimits.Default;
        var cases = new Dictionary<string, (byte[], RtspParseError)>();
        void Add(string name, string text, RtspParseError error) => cases.Add(name, (Ascii(text), error));
        void AddBytes(string name, byte[] bytes, RtspParseError error) => cases.Add(name, (bytes, error));

        // Limits.
        Add("start line one byte too long, with line end", "OPTIONS rtsp://x/" + new string('a', limits.MaxStartLineLength - 25) + " RTSP/1.0\r\n\r\n", RtspParseError.StartLineTooLong);
        Add("start line too long, no line end", new string('A', limits.MaxStartLineLength + 2), RtspParseError.StartLineTooLong);
        Add("start line max + 1 bytes, no line end", new string('A', limits.MaxStartLineLength + 1), RtspParseError.StartLineTooLong);
        Add("start line of max length + bare CR", new string('A', limits.MaxStartLineLength) + "\rX", RtspParseError.InvalidCharacter);
        Add("header block too large, complete", M1Head + Headers(60, 150) + "\r\n", RtspParseError.HeadersTooLarge);
        Add("header block too large, incomplete", M1Head + Headers(60, 200), RtspParseError.HeadersTooLarge);
        Add("one endless header line", M1Head + "X-Flood: " + new string('x', limits.MaxHeaderBytes), RtspParseError.HeadersTooLarge);
        Add("header flood, max + 1", "OPTIONS * RTSP/1.0\r\n" + Headers(limits.MaxHeaderCount + 1, 1) + "\r\n", RtspParseError.TooManyHeaders);
        Add("header flood, incomplete", "OPTIONS * RTSP/1.0\r\n" + Headers(1000, 1), RtspParseError.TooManyHeaders);
        Add("body one byte too large", $"{M1Head}Content-Length: {limits.MaxBodyLength + 1}\r\n\r\n", RtspParseError.BodyTooLarge);
        Add("Content-Length 2000000000", M1Head + "Content-Length: 2000000000\r\n\r\n", RtspParseError.BodyTooLarge);
        Add("Content-Length 99999999999999999999", M1Head + "Content-Length: 99999999999999999999\r\n\r\n", RtspParseError.BodyTooLarge);
        Add("Content-Length int.MaxValue + 1", M1Head + "Content-Length: 2147483648\r\n\r\n", RtspParseError.BodyTooLarge);
        Add("huge Content-Length, headers incomplete", M1Head + "Content-Length: 2000000000\r\nSession: 1", RtspParseError.BodyTooLarge);

        // Content-Length syntax.
        Add("Content-Length -1", M1Head + "Content-Length: -1\r\n\r\n", RtspParseError.InvalidContentLength);
        Add("Content-Length +5", M1Head + "Content-Length: +5\r\n\r\nhello", RtspParseError.InvalidContentLength);
        Add("Content-Length 0x10", M1Head + "Content-Length: 0x10\r\n\r\n", RtspParseError.InvalidContentLength);
        Add("Content-Length ' 5 5'", M1Head + "Content-Length:  5 5\r\n\r\n", RtspParseError.InvalidContentLength);
        Add("Content-Length empty", M1Head + "Content-Length:\r\n\r\n", RtspParseError.InvalidContentLength);
        Add("Content-Length 5.0", M1Head + "Content-Length: 5.0\r\n\r\n", RtspParseError.InvalidContentLength);
        Add("Content-Length 5,5", M1Head + "Content-Length: 5,5\r\n\r\n", RtspParseError.InvalidContentLength);
        Add("Content-Length fullwidth digit", M1Head + "Content-Length: \uFF15\r\n\r\n", RtspParseError.InvalidContentLength);
        Add("conflicting duplicate Content-Length", M1Head + "Content-Length: 5\r\ncontent-length: 6\r\n\r\nhello!", RtspParseError.InvalidContentLength);
        Add("folded Content-Length", M1Head + "Content-Length:\r\n 5\r\n\r\nhello", RtspParseError.InvalidContentLength);

        // Control characters.
        AddBytes("NUL in start line", [.. Ascii("OPTIONS *\0 RTSP/1.0\r\n\r\n")], RtspParseError.InvalidCharacter);
        AddBytes("NUL first byte", [0, .. Ascii("OPTIONS * RTSP/1.0\r\n\r\n")], RtspParseError.InvalidCharacter);
        Add("NUL in header name", M1Head + "Ses\0sion: 1\r\n\r\n", RtspParseError.InvalidCharacter);
        Add("NUL in header value", M1Head + "Session: 1\0\r\n\r\n", RtspParseError.InvalidCharacter);
        Add("bare CR ends the start line", "OPTIONS * RTSP/1.0\rCSeq: 1\r\n\r\n", RtspParseError.InvalidCharacter);
        Add("bare CR inside a header value", M1Head + "Session: 1\r2\r\n\r\n", RtspParseError.InvalidCharacter);
        Add("CR CR LF", M1Head + "Session: 1\r\r\n\r\n", RtspParseError.InvalidCharacter);
        Add("ESC in URI", "OPTIONS rtsp://\u001b[2J RTSP/1.0\r\n\r\n", RtspParseError.InvalidCharacter);
        Add("DEL in header value", M1Head + "Session: 1\u007f\r\n\r\n", RtspParseError.InvalidCharacter);

        // Header lines.
        Add("missing colon", M1Head + "Session 1\r\n\r\n", RtspParseError.InvalidHeaderLine);
        Add("empty header name", M1Head + ": 1\r\n\r\n", RtspParseError.InvalidHeaderLine);
        Add("space inside header name", M1Head + "C Seq: 1\r\n\r\n", RtspParseError.InvalidHeaderLine);
        Add("non-ASCII header name", M1Head + "Sessión: 1\r\n\r\n", RtspParseError.InvalidHeaderLine);
        Add("fold right after the start line", "OPTIONS * RTSP/1.0\r\n CSeq: 1\r\n\r\n", RtspParseError.InvalidHeaderLine);

        // Start lines.
        Add("version RTSP/1", "RTSP/1 200 OK\r\n\r\n", RtspParseError.InvalidVersion);
        Add("version RTSP/1.", "OPTIONS * RTSP/1.\r\n\r\n", RtspParseError.InvalidVersion);
        Add("version rtsp/1.0", "rtsp/1.0 200 OK\r\n\r\n", RtspParseError.InvalidVersion);
        Add("version RTSP/10.0", "RTSP/10.0 200 OK\r\n\r\n", RtspParseError.InvalidVersion);
        Add("HTTP/1.1 200 OK", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", RtspParseError.InvalidVersion);
        Add("request with HTTP/1.1", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", RtspParseError.InvalidVersion);
        Add("status 99", "RTSP/1.0 99 Low\r\n\r\n", RtspParseError.InvalidStatusCode);
        Add("status 099", "RTSP/1.0 099 Low\r\n\r\n", RtspParseError.InvalidStatusCode);
        Add("status 1000", "RTSP/1.0 1000 High\r\n\r\n", RtspParseError.InvalidStatusCode);
        Add("status 700", "RTSP/1.0 700 High\r\n\r\n", RtspParseError.InvalidStatusCode);
        Add("status abc", "RTSP/1.0 abc\r\n\r\n", RtspParseError.InvalidStatusCode);
        Add("status glued to reason", "RTSP/1.0 200OK\r\n\r\n", RtspParseError.InvalidStatusCode);
        Add("status line without code", "RTSP/1.0   \r\n\r\n", RtspParseError.InvalidStartLine);
        Add("request without URI", "OPTIONS\r\n\r\n", RtspParseError.InvalidStartLine);
        Add("request without version", "OPTIONS *\r\n\r\n", RtspParseError.InvalidStartLine);
        Add("request with four parts", "OPTIONS * x RTSP/1.0\r\n\r\n", RtspParseError.InvalidStartLine);
        Add("method with tspecial", "OPT{ONS * RTSP/1.0\r\n\r\n", RtspParseError.InvalidMethod);
        Add("method with non-ASCII", "ÖPTIONS * RTSP/1.0\r\n\r\n", RtspParseError.InvalidMethod);
        Add("method with quote", "\"OPTIONS\" * RTSP/1.0\r\n\r\n", RtspParseError.InvalidMethod);

        Add("CR-only line ends", "OPTIONS * RTSP/1.0\rCSeq: 1\r\r", RtspParseError.InvalidCharacter);
        Add("NUL in an unfinished header line", M1Head + "Session: \0", RtspParseError.InvalidCharacter);

        // Streams that end early.
        Add("truncated start line", "OPTIONS * RT", RtspParseError.UnexpectedEndOfStream);
        Add("truncated header block", M1Head, RtspParseError.UnexpectedEndOfStream);
        Add("truncated body", M1Head + "Content-Length: 10\r\n\r\nhello", RtspParseError.UnexpectedEndOfStream);
        return cases;
    }

    /// <summary><paramref name="count"/> header lines of about <paramref name="valueLength"/> value bytes each.</summary>
    private static string Headers(int count, int valueLength)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            text.Append("X-H").Append(i).Append(": ").Append('v', valueLength).Append("\r\n");
        }

        return text.ToString();
    }

    private static byte[] Ascii(string text) => Encoding.UTF8.GetBytes(text);
}
