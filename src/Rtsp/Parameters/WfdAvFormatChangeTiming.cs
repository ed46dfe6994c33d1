using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_av_format_change_timing</c> (protocol doc §2.6): the 40-bit PTS and DTS (10 hex digits
/// each) from which a mid-session format change applies, e.g. <c>00000bb800 000005dc00</c>.
/// </summary>
/// <param name="Pts">0 to 2^40 − 1.</param>
/// <param name="Dts">0 to 2^40 − 1.</param>
public sealed record WfdAvFormatChangeTiming(ulong Pts, ulong Dts) : IWfdParameter<WfdAvFormatChangeTiming>
{
    /// <summary>The largest 40-bit value.</summary>
    public const ulong MaxValue = (1UL << 40) - 1;

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_av_format_change_timing";

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdAvFormatChangeTiming Parse(ReadOnlySpan<char> value)
    {
        var reader = new WfdValueReader(value, Name);
        ulong pts = reader.ReadHex("PTS", 10);
        ulong dts = reader.ReadHex("DTS", 10);
        reader.ExpectEnd();
        return new WfdAvFormatChangeTiming(pts, dts);
    }

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WfdValueWriter(output);
        writer.WriteHex(Pts & MaxValue, 10);
        writer.Write((byte)' ');
        writer.WriteHex(Dts & MaxValue, 10);
        writer.Commit();
    }
}
