using System.Buffers;
using System.Globalization;
using System.Text;
using Miraflow.Rtsp.Messages;

namespace Miraflow.Rtsp.Tests.Messages;

/// <summary>Exact comparison of a parsed message with what it should be.</summary>
internal static class MessageAssert
{
    public static void Matches(ExpectedMessage expected, RtspMessage? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.IsRequest, actual.IsRequest);
        Assert.Equal(expected.Method, actual.Method);
        Assert.Equal(expected.KnownMethod, actual.KnownMethod);
        Assert.Equal(expected.Uri, actual.Uri);
        Assert.Equal(expected.StatusCode, actual.StatusCode);
        Assert.Equal(expected.ReasonPhrase, actual.ReasonPhrase);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Headers, HeadersOf(actual));
        Assert.Equal(expected.Body, actual.Body.ToArray());
    }

    public static (string Name, string Value)[] HeadersOf(RtspMessage message)
    {
        var headers = new List<(string, string)>();
        foreach (KeyValuePair<string, string> header in message.Headers)
        {
            headers.Add((header.Key, header.Value));
        }

        return [.. headers];
    }

    /// <summary>Every field of a message in one string, to compare two parses.</summary>
    public static string Describe(RtspMessage message)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{message.IsRequest}|{message.Method}|{message.KnownMethod}|{message.Uri}|{message.StatusCode}|{message.ReasonPhrase}|{message.Version}");
        foreach (KeyValuePair<string, string> header in message.Headers)
        {
            text.Append('|').Append(header.Key).Append('=').Append(header.Value);
        }

        text.Append("|body=").Append(Convert.ToHexString(message.Body.Span));
        return text.ToString();
    }
}

/// <summary>Multi-segment sequences, to exercise the parser across segment boundaries (the fuzz engine's builder, compiled into this project).</summary>
internal static class SequenceFactory
{
    public static ReadOnlySequence<byte> Create(byte[] data, int segmentSize) => Miraflow.Fuzz.SegmentedSequence.Create(data, segmentSize);
}

/// <summary>Runs the codec over whole inputs and reports what happened.</summary>
internal static class Codec
{
    /// <summary>Parses the first message of <paramref name="input"/> with <see cref="RtspParser"/> over one segment.</summary>
    public static bool TryParse(byte[] input, out RtspMessage? message, out long consumed, RtspLimits? limits = null) =>
        TryParse(new ReadOnlySequence<byte>(input), out message, out consumed, limits);

    public static bool TryParse(ReadOnlySequence<byte> input, out RtspMessage? message, out long consumed, RtspLimits? limits = null)
    {
        var reader = new SequenceReader<byte>(input);
        bool parsed = RtspParser.TryParseMessage(ref reader, limits ?? RtspLimits.Default, out message);
        consumed = reader.Consumed;
        return parsed;
    }

    /// <summary>The error <see cref="RtspParser"/> throws for the input, or null when it parses or needs more.</summary>
    public static RtspParseError? ParserError(byte[] input, int segmentSize = int.MaxValue, RtspLimits? limits = null)
    {
        try
        {
            _ = TryParse(segmentSize >= input.Length ? new ReadOnlySequence<byte>(input) : SequenceFactory.Create(input, segmentSize), out _, out _, limits);
            return null;
        }
        catch (RtspParseException ex)
        {
            return ex.Error;
        }
    }

    /// <summary>
    /// Feeds <paramref name="input"/> to a decoder in chunks of <paramref name="chunkSize"/>, reads
    /// every message, then completes it. Returns the messages and the error (null when none).
    /// </summary>
    public static (List<RtspMessage> Messages, RtspParseError? Error) Decode(byte[] input, int chunkSize = int.MaxValue, RtspLimits? limits = null)
    {
        var decoder = new RtspMessageDecoder(limits);
        var messages = new List<RtspMessage>();
        try
        {
            for (int offset = 0; offset < input.Length; offset += chunkSize)
            {
                decoder.Append(input.AsSpan(offset, Math.Min(chunkSize, input.Length - offset)));
                while (decoder.TryReadMessage(out RtspMessage? message))
                {
                    messages.Add(message);
                }
            }

            decoder.Complete();
            return (messages, null);
        }
        catch (RtspParseException ex)
        {
            // Messages that were whole before the bad bytes stay readable; then the fault repeats.
            RtspParseException repeated = Assert.Throws<RtspParseException>(() =>
            {
                while (decoder.TryReadMessage(out RtspMessage? message))
                {
                    messages.Add(message);
                }
            });
            Assert.Equal(ex.Error, repeated.Error);
            return (messages, ex.Error);
        }
    }
}
