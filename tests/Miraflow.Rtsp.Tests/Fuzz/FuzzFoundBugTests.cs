using System.Text;
using Miraflow.Rtsp.Messages;

namespace Miraflow.Rtsp.Tests.Fuzz;

/// <summary>The bugs the fuzzer found, written out by hand (the raw cases are in Regressions/).</summary>
[Trait("Category", "unit")]
public sealed class FuzzFoundBugTests
{
    private static readonly RtspLimits s_limits = new() { MaxStartLineLength = 128 };

    /// <summary>
    /// Regressions/rtsp-cad49ac786ba865b.bin: a start line with no line end and a control byte
    /// just past MaxStartLineLength + 1 bytes. In one read the parser looked one byte too far and
    /// said InvalidCharacter; byte by byte it said StartLineTooLong at byte 129. Both must say
    /// StartLineTooLong: byte 129 is not a CR, so the line is already too long.
    /// </summary>
    [Theory]
    [InlineData(0x1C)]
    [InlineData(0x00)]
    [InlineData(0x0D)]
    public void ControlByteAfterAnOverlongStartLine_IsStartLineTooLong_InOneReadAndByteByByte(byte control)
    {
        byte[] input = [.. Encoding.ASCII.GetBytes(new string('-', 129)), control, .. "abc"u8];

        Assert.Equal(RtspParseError.StartLineTooLong, Decode(input, input.Length));
        Assert.Equal(RtspParseError.StartLineTooLong, Decode(input, 1));
    }

    [Fact]
    public void StartLineOfExactlyTheLimit_EndingInCrLf_StillParses()
    {
        // 9 + 110 + 9 = 128 bytes of start line, then CRLF.
        byte[] input = Encoding.ASCII.GetBytes("OPTIONS /" + new string('a', 128 - 18) + " RTSP/1.0\r\nCSeq: 1\r\n\r\n");

        Assert.Equal(RtspParseError.None, Decode(input, input.Length));
        Assert.Equal(RtspParseError.None, Decode(input, 1));
    }

    private static RtspParseError Decode(byte[] input, int readSize)
    {
        var decoder = new RtspMessageDecoder(s_limits);
        try
        {
            for (int i = 0; i < input.Length; i += readSize)
            {
                decoder.Append(input.AsSpan(i, Math.Min(readSize, input.Length - i)));
            }

            decoder.Complete();
            return RtspParseError.None;
        }
        catch (RtspParseException ex)
        {
            return ex.Error;
        }
    }
}
