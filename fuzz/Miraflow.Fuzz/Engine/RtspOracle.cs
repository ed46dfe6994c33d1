using System.Buffers;
using System.Text;
using Miraflow.Rtsp.Messages;

namespace Miraflow.Fuzz;

/// <summary>
/// What must hold for any byte stream fed to the RTSP codec:
/// <list type="number">
/// <item><see cref="RtspMessageDecoder"/> fed the whole stream either yields messages or throws
/// <see cref="RtspParseException"/> with a reason (<see cref="RtspParseError"/> not None); nothing
/// else escapes, and after a fault it still returns the messages completed before it, then the same error.</item>
/// <item>The outcome (messages, then the final error) is the same whatever the reads: one read,
/// one byte per read (inputs up to <see cref="ByteByByteLimit"/>), and reads of sizes drawn from the input's hash.</item>
/// <item><see cref="RtspParser.TryParseMessage"/> gives the same messages and error over one
/// segment and over many segments.</item>
/// <item>Round trip: every parsed message that is ASCII is written by <see cref="RtspWriter"/>
/// (a non-ASCII one may be refused with <see cref="ArgumentException"/>, as documented), the bytes
/// parse back to one equal message (headers in order, <c>Content-Length</c> aside, body), and
/// writing that gives the same bytes.</item>
/// </list>
/// Half the inputs (by hash) use small limits, so every limit path is reachable; the clock is
/// frozen, so a slow machine never turns into a <see cref="RtspParseError.MessageTimeout"/>.
/// </summary>
internal static class RtspOracle
{
    public const int ByteByByteLimit = 1536;

    private static readonly RtspLimits s_small = new()
    {
        MaxStartLineLength = 128,
        MaxHeaderCount = 12,
        MaxHeaderBytes = 1024,
        MaxBodyLength = 2048,
    };

    /// <summary>Wide enough for anything the writer makes from a message that passed the other limits.</summary>
    private static readonly RtspLimits s_roundTrip = new()
    {
        MaxStartLineLength = 1 << 20,
        MaxHeaderCount = 1 << 16,
        MaxHeaderBytes = 1 << 22,
        MaxBodyLength = 1 << 22,
    };

    private static readonly FrozenTime s_clock = new();

    public static FuzzVerdict Check(byte[] input)
    {
        ulong hash = Hash(input);
        RtspLimits limits = (hash & 1) == 0 ? RtspLimits.Default : s_small;

        Outcome whole = RunDecoder(input, limits, [input.Length]);
        if (input.Length <= ByteByByteLimit)
        {
            Compare(whole, RunDecoder(input, limits, Repeat(1, input.Length)), "decoder, one byte per read");
        }

        Compare(whole, RunDecoder(input, limits, RandomChunks(input.Length, hash)), "decoder, random reads");

        Outcome single = RunParser(input, limits, [input.Length]);
        Compare(single, RunParser(input, limits, RandomChunks(input.Length, unchecked(hash * 31))), "parser, multi-segment sequence");

        foreach (RtspMessage message in whole.Parsed)
        {
            RoundTrip(message);
        }

        return whole.Parsed.Count > 0 ? new FuzzVerdict(FuzzOutcome.Parsed)
            : whole.Error != RtspParseError.None ? new FuzzVerdict(FuzzOutcome.Rejected, Reason: whole.Error.ToString())
            : new FuzzVerdict(FuzzOutcome.Incomplete);
    }

    /// <summary>FNV-1a over the input: the per-input choices (limits, read sizes) depend on the bytes alone, so a saved case replays exactly.</summary>
    internal static ulong Hash(ReadOnlySpan<byte> input)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in input)
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        return hash;
    }

    private static int[] Repeat(int size, int length) => Enumerable.Repeat(size, length).ToArray();

    private static List<int> RandomChunks(int length, ulong hash)
    {
        var random = new FuzzRandom(hash);
        var sizes = new List<int>();
        for (int left = length; left > 0;)
        {
            int size = Math.Min(left, random.OneIn(4) ? random.Size(4096) : random.Next(1, 64));
            size = Math.Max(size, 1);
            sizes.Add(size);
            left -= size;
        }

        return sizes;
    }

    private static Outcome RunDecoder(byte[] input, RtspLimits limits, IReadOnlyList<int> reads)
    {
        var decoder = new RtspMessageDecoder(limits, s_clock);
        var outcome = new Outcome();
        try
        {
            int offset = 0;
            foreach (int size in reads)
            {
                decoder.Append(input.AsSpan(offset, size));
                offset += size;
                Drain(decoder, outcome);
            }

            decoder.Complete();
            Drain(decoder, outcome);
        }
        catch (RtspParseException ex)
        {
            outcome.Error = CheckError(ex);
            Check(decoder.IsFaulted, "the decoder threw but is not faulted");

            // Messages complete before the fault are still returned, then the same error.
            try
            {
                Drain(decoder, outcome);
                throw new OracleException("a faulted decoder stopped throwing");
            }
            catch (RtspParseException again)
            {
                Check(again.Error == ex.Error, $"a faulted decoder threw {again.Error} after {ex.Error}");
            }
        }

        return outcome;
    }

    private static void Drain(RtspMessageDecoder decoder, Outcome outcome)
    {
        while (decoder.TryReadMessage(out RtspMessage? message))
        {
            outcome.Add(message);
        }
    }

    private static Outcome RunParser(byte[] input, RtspLimits limits, IReadOnlyList<int> segments)
    {
        ReadOnlySequence<byte> sequence = SegmentedSequence.Create(input, segments);
        var reader = new SequenceReader<byte>(sequence);
        var outcome = new Outcome();
        try
        {
            long before = reader.Consumed;
            while (RtspParser.TryParseMessage(ref reader, limits, out RtspMessage? message))
            {
                Check(reader.Consumed > before, "a parsed message consumed nothing");
                before = reader.Consumed;
                outcome.Add(message);
            }

            Check(reader.Consumed == before, "\"need more\" moved the reader");
        }
        catch (RtspParseException ex)
        {
            outcome.Error = CheckError(ex);
        }

        return outcome;
    }

    private static RtspParseError CheckError(RtspParseException ex)
    {
        Check(ex.Error != RtspParseError.None && Enum.IsDefined(ex.Error), $"RtspParseException without a defined reason ({ex.Error}): {ex.Message}");
        return ex.Error;
    }

    private static void Compare(Outcome expected, Outcome actual, string how)
    {
        if (expected.Error != actual.Error || !expected.Descriptions.SequenceEqual(actual.Descriptions))
        {
            throw new OracleException(
                $"{how}: {actual.Descriptions.Count} message(s) then {actual.Error}, but in one piece: {expected.Descriptions.Count} message(s) then {expected.Error}"
                + FirstDifference(expected.Descriptions, actual.Descriptions));
        }
    }

    private static string FirstDifference(List<string> expected, List<string> actual)
    {
        for (int i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            if (expected[i] != actual[i])
            {
                return $"; message {i}: {expected[i]} vs {actual[i]}";
            }
        }

        return string.Empty;
    }

    private static void RoundTrip(RtspMessage message)
    {
        byte[] written;
        try
        {
            written = RtspWriter.ToArray(message);
        }
        catch (ArgumentException ex)
        {
            Check(!IsAscii(message), $"the writer refused a parsed ASCII message ({ex.Message}): {Describe(message)}");
            return;
        }

        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(written));
        Check(RtspParser.TryParseMessage(ref reader, s_roundTrip, out RtspMessage? again), "the written message does not parse whole: " + Describe(message));
        Check(reader.Remaining == 0, "the written message parses with bytes left over");
        string before = Describe(message, skipContentLength: true);
        string after = Describe(again!, skipContentLength: true);
        Check(before == after, $"the round trip changed the message: {before} became {after}");
        Check(RtspWriter.ToArray(again!).AsSpan().SequenceEqual(written), "writing the re-parsed message gave other bytes");
    }

    private static bool IsAscii(RtspMessage message)
    {
        if (!Ascii.IsValid(message.Method) || !Ascii.IsValid(message.Uri) || !Ascii.IsValid(message.Version) || !Ascii.IsValid(message.ReasonPhrase))
        {
            return false;
        }

        foreach (KeyValuePair<string, string> header in message.Headers)
        {
            if (!Ascii.IsValid(header.Key) || !Ascii.IsValid(header.Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Everything the parser produced, in one string; the convenience properties are read too (they must not throw).</summary>
    internal static string Describe(RtspMessage message, bool skipContentLength = false)
    {
        var text = new StringBuilder();
        text.Append(message.IsRequest ? "REQ " : "RSP ")
            .Append(message.Method).Append('|').Append(message.KnownMethod).Append('|').Append(message.Uri).Append('|')
            .Append(message.Version).Append('|').Append(message.StatusCode).Append('|').Append(message.ReasonPhrase)
            .Append("|cseq=").Append(message.CSeq).Append("|session=").Append(message.SessionId).Append('|');
        foreach (KeyValuePair<string, string> header in message.Headers)
        {
            if (!skipContentLength || !string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                text.Append('[').Append(header.Key).Append('=').Append(header.Value).Append(']');
            }
        }

        text.Append("|body=").Append(Convert.ToHexString(message.Body.Span));
        _ = message.BodyText;
        _ = message.ToString();
        return text.ToString();
    }

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new OracleException(what);
        }
    }

    private sealed class Outcome
    {
        public List<RtspMessage> Parsed { get; } = [];

        public List<string> Descriptions { get; } = [];

        public RtspParseError Error { get; set; }

        public void Add(RtspMessage message)
        {
            Parsed.Add(message);
            Descriptions.Add(Describe(message));
        }
    }

    /// <summary>A clock that never moves: timeouts are the session's business, not the fuzzer's.</summary>
    private sealed class FrozenTime : TimeProvider
    {
        private static readonly DateTimeOffset s_now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => s_now;

        public override long GetTimestamp() => 0;
    }
}
