using System.Diagnostics;
using System.Globalization;
using System.Text;
using Miraflow.Rtsp.Messages;
using Miraflow.Rtsp.Tests.TestSupport;
using Xunit.Abstractions;

namespace Miraflow.Rtsp.Tests.Messages;

/// <summary>
/// Seeded random mutation of valid WFD messages, fed to <see cref="RtspMessageDecoder"/> in
/// random-sized reads. The only exception allowed is <see cref="RtspParseException"/>; every
/// input finishes; unmutated inputs parse exactly; and the outcome (messages and final error) does
/// not depend on how the bytes were split into reads.
/// </summary>
[Trait("Category", "unit")]
public sealed class RtspParserMutationTests(ITestOutputHelper output)
{
    private const int Seed = 0x5EED_2326;
    private const int Iterations = 100_000;

    /// <summary>Small limits make the limit paths reachable by mutation too.</summary>
    private static readonly RtspLimits s_limits = new()
    {
        MaxStartLineLength = 128,
        MaxHeaderCount = 12,
        MaxHeaderBytes = 1024,
        MaxBodyLength = 2048,
    };

    private static readonly WfdSample[] s_samples =
    [
        WfdSamples.M1Request, WfdSamples.M1ResponseSamsung, WfdSamples.M2Response, WfdSamples.M3Request,
        WfdSamples.M3ResponseSamsung, WfdSamples.M4Request, WfdSamples.M5Request, WfdSamples.M6RequestSamsung,
        WfdSamples.M6Response, WfdSamples.M13RequestSamsung, WfdSamples.M16Request, WfdSamples.M1ResponseBackslashPublic,
    ];

    [Fact]
    public void MutatedMessages_OnlyEverThrowRtspParseException()
    {
        var random = new Random(Seed);
        var errors = new Dictionary<RtspParseError, int>();
        int parsedInputs = 0;
        int exactInputs = 0;
        var stopwatch = Stopwatch.StartNew();

        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            bool mutate = iteration % 8 != 0;
            WfdSample[] picked = Pick(random);
            byte[] original = WfdSamples.Concat(picked);
            byte[] input = mutate ? Mutate(random, original) : original;

            (List<RtspMessage> messages, RtspParseError? error) chunked;
            (List<RtspMessage> messages, RtspParseError? error) whole;
            try
            {
                chunked = Decode(input, random, checkSticky: iteration % 8 == 1);
                whole = Decode(input, null, checkSticky: false);
            }
            catch (Exception ex) when (ex is not RtspParseException)
            {
                Assert.Fail($"Iteration {iteration} (seed {Seed}) threw {ex.GetType().Name}: {ex.Message}\ninput: {Convert.ToHexString(input)}\n{ex}");
                throw;
            }

            if (!SameOutcome(chunked, whole))
            {
                Assert.Fail($"Iteration {iteration}: the outcome depends on the read sizes.\ninput: {Convert.ToHexString(input)}\nchunked: {chunked.error} {chunked.messages.Count}\nwhole: {whole.error} {whole.messages.Count}");
            }

            if (chunked.error is { } e)
            {
                errors[e] = errors.GetValueOrDefault(e) + 1;
            }
            else
            {
                parsedInputs++;
            }

            if (!mutate)
            {
                Assert.Null(chunked.error);
                Assert.Equal(picked.Length, chunked.messages.Count);
                for (int i = 0; i < picked.Length; i++)
                {
                    MessageAssert.Matches(picked[i].Expected, chunked.messages[i]);
                }

                exactInputs++;
            }
        }

        stopwatch.Stop();
        var summary = new StringBuilder();
        summary.Append(CultureInfo.InvariantCulture, $"{Iterations} inputs (seed {Seed}) in {stopwatch.Elapsed.TotalSeconds:F2} s; {parsedInputs} parsed, {exactInputs} unmutated and exact;");
        foreach ((RtspParseError error, int count) in errors.OrderBy(p => p.Key))
        {
            summary.Append(CultureInfo.InvariantCulture, $" {error}={count}");
        }

        output.WriteLine(summary.ToString());

        Assert.Equal(Iterations / 8, exactInputs);
        // The mutations reach both outcomes and most error kinds; a parser that accepted or
        // rejected everything would fail here.
        Assert.InRange(parsedInputs, Iterations / 5, Iterations * 4 / 5);
        foreach (RtspParseError expected in (RtspParseError[])[
            RtspParseError.InvalidCharacter, RtspParseError.InvalidHeaderLine, RtspParseError.InvalidContentLength,
            RtspParseError.BodyTooLarge, RtspParseError.UnexpectedEndOfStream, RtspParseError.InvalidStartLine,
            RtspParseError.InvalidVersion, RtspParseError.InvalidStatusCode, RtspParseError.InvalidMethod,
            RtspParseError.StartLineTooLong, RtspParseError.HeadersTooLarge, RtspParseError.TooManyHeaders])
        {
            Assert.True(errors.GetValueOrDefault(expected) > 0, $"No input ended in {expected}: {summary}");
        }

        // Speed is the parser benchmarks' business (no timed unit tests); the summary above reports the time.
    }

    /// <summary>One to three samples back to back.</summary>
    private static WfdSample[] Pick(Random random)
    {
        var picked = new WfdSample[random.Next(1, 4)];
        for (int i = 0; i < picked.Length; i++)
        {
            picked[i] = s_samples[random.Next(s_samples.Length)];
        }

        return picked;
    }

    /// <summary>
    /// Decodes in random reads (or one read when <paramref name="random"/> is null), then ends the
    /// stream. Each loop is bounded by the input length, so an input cannot hang the test.
    /// </summary>
    private static (List<RtspMessage>, RtspParseError?) Decode(byte[] input, Random? random, bool checkSticky)
    {
        var decoder = new RtspMessageDecoder(s_limits, new ManualTimeProvider());
        var messages = new List<RtspMessage>();
        int maxChunk = random is null ? input.Length : random.Next(4) switch { 0 => 4, 1 => 16, 2 => 128, _ => 2000 };
        try
        {
            int offset = 0;
            while (offset < input.Length)
            {
                int size = random is null ? input.Length : random.Next(1, maxChunk + 1);
                size = Math.Min(size, input.Length - offset);
                decoder.Append(input.AsSpan(offset, size));
                offset += size;
                ReadAll(decoder, messages, input.Length);
            }

            decoder.Complete();
            return (messages, null);
        }
        catch (RtspParseException ex)
        {
            // Messages whole before the bad bytes stay readable...
            for (int ready = decoder.ReadyCount; ready > 0; ready--)
            {
                Assert.True(decoder.TryReadMessage(out RtspMessage? message));
                messages.Add(message);
            }

            // ...then the fault repeats (checked on one run in eight: each throw costs microseconds).
            if (checkSticky)
            {
                RtspParseException again = Assert.Throws<RtspParseException>(() => decoder.TryReadMessage(out _));
                Assert.Equal(ex.Error, again.Error);
            }

            return (messages, ex.Error);
        }
    }

    private static void ReadAll(RtspMessageDecoder decoder, List<RtspMessage> messages, int inputLength)
    {
        while (decoder.TryReadMessage(out RtspMessage? message))
        {
            messages.Add(message);
            if (messages.Count > inputLength)
            {
                throw new InvalidOperationException("More messages than input bytes.");
            }
        }
    }

    private static bool SameOutcome((List<RtspMessage> Messages, RtspParseError? Error) a, (List<RtspMessage> Messages, RtspParseError? Error) b)
    {
        if (a.Error != b.Error || a.Messages.Count != b.Messages.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Messages.Count; i++)
        {
            if (MessageAssert.Describe(a.Messages[i]) != MessageAssert.Describe(b.Messages[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        var bytes = new List<byte>(original);
        int count = random.Next(1, 4);
        for (int i = 0; i < count; i++)
        {
            ApplyOne(random, bytes);
        }

        return [.. bytes];
    }

    /// <summary>Bytes a mutation likes to insert: framing, separators, digits and controls.</summary>
    private static readonly byte[] s_interesting = [0x00, (byte)'\r', (byte)'\n', (byte)' ', (byte)'\t', (byte)':', (byte)'0', (byte)'9', (byte)'/', (byte)'-', 0x7F, 0x80, 0xFF];

    private static readonly string[] s_contentLengths = ["-1", "+5", "0x10", "99999999999999999999", "2000000000", "", " 5 5", "00", "2049", "1e3"];

    private static void ApplyOne(Random random, List<byte> bytes)
    {
        if (bytes.Count == 0)
        {
            bytes.Add(s_interesting[random.Next(s_interesting.Length)]);
            return;
        }

        int at = random.Next(bytes.Count);
        switch (random.Next(11))
        {
            case 0: // bit flip
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1: // insert a random or an interesting byte
                bytes.Insert(at, random.Next(2) == 0 ? (byte)random.Next(256) : s_interesting[random.Next(s_interesting.Length)]);
                break;
            case 2: // delete a byte
                bytes.RemoveAt(at);
                break;
            case 3: // delete a range
                bytes.RemoveRange(at, Math.Min(random.Next(1, 40), bytes.Count - at));
                break;
            case 4: // duplicate a range somewhere
            {
                int length = Math.Min(random.Next(1, 200), bytes.Count - at);
                byte[] range = bytes.GetRange(at, length).ToArray();
                bytes.InsertRange(random.Next(bytes.Count + 1), range);
                break;
            }

            case 5: // splice: keep a prefix, continue with a suffix of another message
            {
                byte[] other = s_samples[random.Next(s_samples.Length)].Bytes;
                int from = random.Next(other.Length);
                bytes.RemoveRange(at, bytes.Count - at);
                bytes.AddRange(other.AsSpan(from).ToArray());
                break;
            }

            case 6: // replace the digits of a Content-Length
                ReplaceContentLength(random, bytes);
                break;
            case 7: // insert NUL, CR or LF
                bytes.Insert(at, random.Next(3) switch { 0 => (byte)0, 1 => (byte)'\r', _ => (byte)'\n' });
                break;
            case 8: // truncate
                bytes.RemoveRange(at, bytes.Count - at);
                break;
            case 9: // CRLF -> LF everywhere (tolerated)
                for (int i = bytes.Count - 2; i >= 0; i--)
                {
                    if (bytes[i] == '\r' && bytes[i + 1] == '\n')
                    {
                        bytes.RemoveAt(i);
                    }
                }

                break;
            default: // overwrite a byte with an interesting one
                bytes[at] = s_interesting[random.Next(s_interesting.Length)];
                break;
        }
    }

    private static void ReplaceContentLength(Random random, List<byte> bytes)
    {
        byte[] name = "Content-Length:"u8.ToArray();
        for (int i = 0; i + name.Length <= bytes.Count; i++)
        {
            bool match = true;
            for (int j = 0; j < name.Length && match; j++)
            {
                match = bytes[i + j] == name[j];
            }

            if (!match)
            {
                continue;
            }

            int start = i + name.Length;
            int end = start;
            while (end < bytes.Count && bytes[end] is not (byte)'\r' and not (byte)'\n')
            {
                end++;
            }

            string value = random.Next(3) == 0
                ? (random.Next(0, 3000)).ToString(CultureInfo.InvariantCulture)
                : s_contentLengths[random.Next(s_contentLengths.Length)];
            bytes.RemoveRange(start, end - start);
            bytes.InsertRange(start, Encoding.ASCII.GetBytes(" " + value));
            return;
        }
    }
}
