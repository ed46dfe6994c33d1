using System.Globalization;
using System.Text;
using Miraflow.Rtsp.Messages;

namespace Miraflow.Rtsp.Tests.Messages;

/// <summary>
/// The torture corpus in <c>Corpus/Torture/*.dat</c> (raw bytes; see its README), each file with
/// its expected outcome: the messages it parses to, summarised, or the error it ends in.
/// </summary>
[Trait("Category", "unit")]
public sealed class RtspTortureCorpusTests
{
    private static readonly string s_directory = Path.Combine(AppContext.BaseDirectory, "Corpus", "Torture");

    /// <summary>File name → the error it ends in, or null and the summaries of its messages.</summary>
    private static readonly Dictionary<string, (RtspParseError? Error, string[] Messages)> s_expected = new()
    {
        ["lf-only-m3-response.dat"] = (null, ["RTSP/1.0 200 'OK' | CSeq=2 | Content-Type=text/parameters | Content-Length=93 | body=93"]),
        ["quoted-public-m1-response.dat"] = (null, ["RTSP/1.0 200 'OK' | CSeq=1 | Public=\"org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER\" | body=0"]),
        ["backslash-public-m1-response.dat"] = (null, ["RTSP/1.0 200 'OK' | CSeq=1 | \\Public=org.wfa.wfd1.0, SET_PARAMETER, GET_PARAMETER | body=0"]),
        ["leading-crlf-m16.dat"] = (null, ["GET_PARAMETER(GetParameter) rtsp://localhost/wfd1.0 RTSP/1.0 | CSeq=7 | Session=1804289383 | body=0"]),
        ["no-reason-phrase.dat"] = (null, ["RTSP/1.0 200 '' | CSeq=3 | body=0"]),
        ["body-without-final-crlf.dat"] = (null, ["SET_PARAMETER(SetParameter) rtsp://localhost/wfd1.0 RTSP/1.0 | CSeq=4 | Content-Type=text/parameters | Content-Length=15 | body=15"]),
        ["folded-public-header.dat"] = (null, ["RTSP/1.0 200 'OK' | CSeq=1 | Public=org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER | body=0"]),
        ["extra-blanks-setup.dat"] = (null, ["SETUP(Setup) rtsp://1.2.3.4/wfd1.0/streamid=0 RTSP/1.0 | CSeq=2 | transport=RTP/AVP/UDP;unicast;client_port=19000 | body=0"]),
        ["two-messages-one-read.dat"] = (null, ["RTSP/1.0 200 'OK' | CSeq=3 | body=0", "RTSP/1.0 200 'OK' | CSeq=4 | body=0"]),
        ["lowercase-method.dat"] = (null, ["options(Unknown) * RTSP/1.0 | CSeq=1 | body=0"]),
        ["negative-content-length.dat"] = (RtspParseError.InvalidContentLength, []),
        ["huge-content-length.dat"] = (RtspParseError.BodyTooLarge, []),
        ["conflicting-content-length.dat"] = (RtspParseError.InvalidContentLength, []),
        ["nul-in-header-name.dat"] = (RtspParseError.InvalidCharacter, []),
        ["bare-cr-line-ends.dat"] = (RtspParseError.InvalidCharacter, []),
        ["http-status-line.dat"] = (RtspParseError.InvalidVersion, []),
        ["header-flood.dat"] = (RtspParseError.TooManyHeaders, []),
        ["missing-colon.dat"] = (RtspParseError.InvalidHeaderLine, []),
        ["truncated-m3-body.dat"] = (RtspParseError.UnexpectedEndOfStream, []),
        ["status-code-1000.dat"] = (RtspParseError.InvalidStatusCode, []),
    };

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (string file in s_expected.Keys)
        {
            data.Add(file);
        }

        return data;
    }

    [Fact]
    public void EveryCorpusFileHasAnExpectation_AndEveryExpectationAFile()
    {
        string[] files = Array.ConvertAll(Directory.GetFiles(s_directory, "*.dat"), f => Path.GetFileName(f)!);
        Array.Sort(files, StringComparer.Ordinal);
        string[] expected = [.. s_expected.Keys];
        Array.Sort(expected, StringComparer.Ordinal);

        Assert.Equal(expected, files);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CorpusFile_HasItsExpectedOutcome_InOneReadAndByteByByte(string file)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(s_directory, file));
        (RtspParseError? error, string[] summaries) = s_expected[file];

        foreach (int chunkSize in (int[])[int.MaxValue, 1])
        {
            (List<RtspMessage> messages, RtspParseError? actual) = Codec.Decode(bytes, chunkSize);

            Assert.Equal(error, actual);
            Assert.Equal(summaries, messages.ConvertAll(Summarize));
        }
    }

    private static string Summarize(RtspMessage message)
    {
        var text = new StringBuilder();
        if (message.IsRequest)
        {
            text.Append(CultureInfo.InvariantCulture, $"{message.Method}({message.KnownMethod}) {message.Uri} {message.Version}");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"{message.Version} {message.StatusCode} '{message.ReasonPhrase}'");
        }

        foreach (KeyValuePair<string, string> header in message.Headers)
        {
            text.Append(" | ").Append(header.Key).Append('=').Append(header.Value);
        }

        return text.Append(CultureInfo.InvariantCulture, $" | body={message.Body.Length}").ToString();
    }
}
