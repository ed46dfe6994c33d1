using Miraflow.Rtsp.Messages;
using Miraflow.Rtsp.Tests.TestSupport;

namespace Miraflow.Rtsp.Tests.Messages;

[Trait("Category", "unit")]
public sealed class RtspMessageDecoderTests
{
    /// <summary>Samsung M3 answer, M6 response, M13, M16: two with bodies, two without.</summary>
    private static readonly WfdSample[] s_stream =
        [WfdSamples.M3ResponseSamsung, WfdSamples.M6Response, WfdSamples.M13RequestSamsung, WfdSamples.M16Request];

    private static readonly byte[] s_streamBytes = WfdSamples.Concat(s_stream);

    [Fact]
    public void SeveralMessagesInOneRead()
    {
        var decoder = new RtspMessageDecoder();

        decoder.Append(s_streamBytes);

        Assert.Equal(s_streamBytes.Length, decoder.BufferedBytes);
        foreach (WfdSample sample in s_stream)
        {
            Assert.True(decoder.TryReadMessage(out RtspMessage? message));
            MessageAssert.Matches(sample.Expected, message);
        }

        Assert.False(decoder.TryReadMessage(out RtspMessage? none));
        Assert.Null(none);
        Assert.Equal(0, decoder.BufferedBytes);
        Assert.Null(decoder.PartialMessageDeadline);
        decoder.Complete();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(1023)]
    [InlineData(1500)]
    public void MessagesOverManyReads(int chunkSize)
    {
        (List<RtspMessage> messages, RtspParseError? error) = Codec.Decode(s_streamBytes, chunkSize);

        Assert.Null(error);
        Assert.Equal(s_stream.Length, messages.Count);
        for (int i = 0; i < s_stream.Length; i++)
        {
            MessageAssert.Matches(s_stream[i].Expected, messages[i]);
        }
    }

    [Fact]
    public void OneBytePerRead_MessageAppearsExactlyWithItsLastByte()
    {
        byte[] bytes = WfdSamples.M4Request.Bytes;
        var decoder = new RtspMessageDecoder();

        for (int i = 0; i < bytes.Length - 1; i++)
        {
            decoder.Append(bytes.AsSpan(i, 1));
            Assert.False(decoder.TryReadMessage(out _));
            Assert.Equal(i + 1, decoder.BufferedBytes);
        }

        decoder.Append(bytes.AsSpan(bytes.Length - 1));
        Assert.True(decoder.TryReadMessage(out RtspMessage? message));
        MessageAssert.Matches(WfdSamples.M4Request.Expected, message);
        decoder.Complete();
    }

    [Fact]
    public void LeadingLineEndsBetweenMessages_AreSkippedAndNotBuffered()
    {
        byte[] bytes = [.. "\r\n\r\n"u8, .. WfdSamples.M16Request.Bytes, .. "\r\n\n"u8, .. WfdSamples.M6Response.Bytes, .. "\r\n"u8];
        var decoder = new RtspMessageDecoder();

        decoder.Append("\r\n\r\n"u8);
        Assert.Equal(0, decoder.BufferedBytes);
        Assert.Null(decoder.PartialMessageDeadline);

        (List<RtspMessage> messages, RtspParseError? error) = Codec.Decode(bytes, 3);
        Assert.Null(error);
        Assert.Equal(2, messages.Count);
        MessageAssert.Matches(WfdSamples.M16Request.Expected, messages[0]);
        MessageAssert.Matches(WfdSamples.M6Response.Expected, messages[1]);
    }

    /// <summary>
    /// Every proper prefix of a valid stream: no message beyond those complete in it, Complete()
    /// fails with UnexpectedEndOfStream unless the prefix ends between messages, and feeding the
    /// rest then yields exactly the full parse.
    /// </summary>
    [Fact]
    public void TruncatedAtEveryOffset()
    {
        byte[] bytes = [.. "\r\n"u8, .. WfdSamples.M5Request.Bytes, .. WfdSamples.M1ResponseSamsung.Bytes];
        int firstEnd = 2 + WfdSamples.M5Request.Bytes.Length;

        for (int cut = 0; cut < bytes.Length; cut++)
        {
            int completeBefore = cut >= firstEnd ? 1 : 0;
            bool betweenMessages = cut <= 2 || cut == firstEnd;

            // The prefix alone, then end of stream.
            var ended = new RtspMessageDecoder();
            ended.Append(bytes.AsSpan(0, cut));
            Assert.Equal(completeBefore, Drain(ended).Count);
            if (betweenMessages)
            {
                ended.Complete();
            }
            else
            {
                RtspParseException ex = Assert.Throws<RtspParseException>(ended.Complete);
                Assert.Equal(RtspParseError.UnexpectedEndOfStream, ex.Error);
            }

            // The prefix, then the rest.
            var resumed = new RtspMessageDecoder();
            resumed.Append(bytes.AsSpan(0, cut));
            List<RtspMessage> messages = Drain(resumed);
            resumed.Append(bytes.AsSpan(cut));
            messages.AddRange(Drain(resumed));
            resumed.Complete();

            Assert.Equal(2, messages.Count);
            MessageAssert.Matches(WfdSamples.M5Request.Expected, messages[0]);
            MessageAssert.Matches(WfdSamples.M1ResponseSamsung.Expected, messages[1]);
        }
    }

    [Fact]
    public void LineWithoutLf_64KiB_IsRejectedWithoutBufferingIt()
    {
        byte[] line = new byte[64 * 1024];
        Array.Fill(line, (byte)'A');
        var decoder = new RtspMessageDecoder();

        RtspParseException ex = Assert.Throws<RtspParseException>(() => decoder.Append(line));

        Assert.Equal(RtspParseError.StartLineTooLong, ex.Error);
        // Checked in place, in the caller's bytes: nothing was copied.
        Assert.Equal(0, decoder.BufferedBytes);
        Assert.True(decoder.IsFaulted);
    }

    [Fact]
    public void LineWithoutLf_64KiB_AfterAPartialMessage_IsRejectedWithinOneSlice()
    {
        byte[] line = new byte[64 * 1024];
        Array.Fill(line, (byte)'A');
        var decoder = new RtspMessageDecoder();
        decoder.Append("OPTIONS"u8);

        RtspParseException ex = Assert.Throws<RtspParseException>(() => decoder.Append(line));

        Assert.Equal(RtspParseError.StartLineTooLong, ex.Error);
        // "OPTIONS" and the first 1 KiB slice hold more than MaxStartLineLength bytes.
        Assert.Equal(7 + RtspMessageDecoder.AppendSliceBytes, decoder.BufferedBytes);
    }

    [Fact]
    public void LineWithoutLf_ByteByByte_IsRejectedOnTheFirstByteOverTheLimit()
    {
        var decoder = new RtspMessageDecoder();
        int max = decoder.Limits.MaxStartLineLength;
        for (int i = 0; i < max; i++)
        {
            decoder.Append("A"u8);
        }

        RtspParseException ex = Assert.Throws<RtspParseException>(() => decoder.Append("A"u8));

        Assert.Equal(RtspParseError.StartLineTooLong, ex.Error);
        Assert.Equal(max + 1, decoder.BufferedBytes);
    }

    [Fact]
    public void HugeContentLength_IsRejectedBeforeTheBodyArrives()
    {
        var decoder = new RtspMessageDecoder();

        RtspParseException ex = Assert.Throws<RtspParseException>(
            () => decoder.Append("SET_PARAMETER * RTSP/1.0\r\nContent-Length: 2000000000\r\n"u8));

        Assert.Equal(RtspParseError.BodyTooLarge, ex.Error);
    }

    [Fact]
    public void Fault_IsSticky_ForEveryLaterCall()
    {
        var decoder = new RtspMessageDecoder();
        Assert.Throws<RtspParseException>(() => decoder.Append("OPTIONS * RTSP/1.0\r\nCSeq 1\r\n\r\n"u8));

        Assert.Equal(RtspParseError.InvalidHeaderLine, Assert.Throws<RtspParseException>(() => decoder.Append(WfdSamples.M16Request.Bytes)).Error);
        Assert.Equal(RtspParseError.InvalidHeaderLine, Assert.Throws<RtspParseException>(() => decoder.TryReadMessage(out _)).Error);
        Assert.Equal(RtspParseError.InvalidHeaderLine, Assert.Throws<RtspParseException>(decoder.CheckTimeout).Error);
        Assert.Equal(RtspParseError.InvalidHeaderLine, Assert.Throws<RtspParseException>(decoder.Complete).Error);
    }

    [Fact]
    public void Complete_WithWholeMessagesUnread_KeepsThemReadable()
    {
        var decoder = new RtspMessageDecoder();
        decoder.Append(WfdSamples.M16Request.Bytes);

        decoder.Complete();

        Assert.True(decoder.TryReadMessage(out RtspMessage? message));
        MessageAssert.Matches(WfdSamples.M16Request.Expected, message);
        Assert.Throws<InvalidOperationException>(() => decoder.Append("\r\n"u8));
    }

    [Fact]
    public void SlowTrickle_BeyondMessageTimeout_IsRejected()
    {
        var time = new ManualTimeProvider();
        var limits = new RtspLimits { MessageTimeout = TimeSpan.FromSeconds(10) };
        var decoder = new RtspMessageDecoder(limits, time);
        byte[] bytes = WfdSamples.M3Request.Bytes;
        DateTimeOffset firstByte = time.GetUtcNow();

        // One byte every 100 ms: the first 100 bytes take 9.9 s and are fine.
        for (int i = 0; i < 100; i++)
        {
            decoder.Append(bytes.AsSpan(i, 1));
            decoder.CheckTimeout();
            Assert.Equal(firstByte + limits.MessageTimeout, decoder.PartialMessageDeadline);
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        // Now exactly at the deadline: not yet overdue.
        Assert.Equal(firstByte + limits.MessageTimeout, time.GetUtcNow());
        decoder.CheckTimeout();

        time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(RtspParseError.MessageTimeout, Assert.Throws<RtspParseException>(decoder.CheckTimeout).Error);
        Assert.Equal(RtspParseError.MessageTimeout, Assert.Throws<RtspParseException>(() => decoder.Append(bytes.AsSpan(100))).Error);
    }

    [Fact]
    public void TrickleWithoutCheckTimeout_IsRejectedByTheNextAppend()
    {
        var time = new ManualTimeProvider();
        var decoder = new RtspMessageDecoder(timeProvider: time);
        decoder.Append(WfdSamples.M16Request.Bytes.AsSpan(0, 10));

        time.Advance(RtspLimits.Default.MessageTimeout + TimeSpan.FromTicks(1));

        Assert.Equal(RtspParseError.MessageTimeout, Assert.Throws<RtspParseException>(() => decoder.Append(WfdSamples.M16Request.Bytes.AsSpan(10))).Error);
    }

    [Fact]
    public void Deadline_RestartsWithTheFirstByteOfEachMessage()
    {
        var time = new ManualTimeProvider();
        var decoder = new RtspMessageDecoder(timeProvider: time);
        byte[] m16 = WfdSamples.M16Request.Bytes;
        byte[] m6 = WfdSamples.M6Response.Bytes;

        decoder.Append(m16.AsSpan(0, 5));
        DateTimeOffset? firstDeadline = decoder.PartialMessageDeadline;
        time.Advance(TimeSpan.FromSeconds(9));

        // The rest of M16 and the start of M6 in one read: M6's clock starts now.
        decoder.Append([.. m16.AsSpan(5), .. m6.AsSpan(0, 5)]);
        Assert.True(decoder.TryReadMessage(out _));
        Assert.Equal(time.GetUtcNow() + RtspLimits.Default.MessageTimeout, decoder.PartialMessageDeadline);
        Assert.NotEqual(firstDeadline, decoder.PartialMessageDeadline);

        time.Advance(TimeSpan.FromSeconds(9));
        decoder.Append(m6.AsSpan(5));
        Assert.True(decoder.TryReadMessage(out _));
        Assert.Null(decoder.PartialMessageDeadline);

        // Idle with nothing buffered never times out.
        time.Advance(TimeSpan.FromMinutes(5));
        decoder.CheckTimeout();
    }

    [Fact]
    public void LineEndsAlone_DoNotStartTheClock()
    {
        var time = new ManualTimeProvider();
        var decoder = new RtspMessageDecoder(timeProvider: time);

        decoder.Append("\r\n"u8);
        time.Advance(TimeSpan.FromMinutes(1));
        decoder.CheckTimeout();
        decoder.Append(WfdSamples.M16Request.Bytes);

        Assert.True(decoder.TryReadMessage(out _));
    }

    [Fact]
    public void BufferedBytes_CountsPartialAndUnreadWholeMessages()
    {
        var decoder = new RtspMessageDecoder();
        byte[] m16 = WfdSamples.M16Request.Bytes;

        decoder.Append([.. m16, .. m16.AsSpan(0, 7)]);
        Assert.Equal(m16.Length + 7, decoder.BufferedBytes);

        Assert.True(decoder.TryReadMessage(out _));
        Assert.Equal(7, decoder.BufferedBytes);
    }

    private static List<RtspMessage> Drain(RtspMessageDecoder decoder)
    {
        var messages = new List<RtspMessage>();
        while (decoder.TryReadMessage(out RtspMessage? message))
        {
            messages.Add(message);
        }

        return messages;
    }
}
