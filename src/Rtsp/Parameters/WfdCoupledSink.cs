using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_coupled_sink</c> (protocol doc §2.6): <c>none</c>, or a 2-hex-digit coupling status and
/// the coupled peer's MAC address (12 hex digits) or <c>none</c>.
/// </summary>
/// <param name="Status">null for <c>none</c>.</param>
/// <param name="MacAddress">The 48-bit MAC as a number (first octet most significant), or null for <c>none</c>.</param>
public sealed record WfdCoupledSink(byte? Status, ulong? MacAddress) : IWfdParameter<WfdCoupledSink>
{
    /// <summary><c>none</c>.</summary>
    public static WfdCoupledSink None { get; } = new(null, null);

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_coupled_sink";

    /// <summary>True for <c>none</c>.</summary>
    public bool IsNone => Status is null;

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdCoupledSink Parse(ReadOnlySpan<char> value)
    {
        var reader = new WfdValueReader(value, Name);
        if (WfdValueReader.IsNone(reader.Remaining))
        {
            return None;
        }

        byte status = reader.ReadHex2("coupled-sink-status");
        ReadOnlySpan<char> mac = reader.ReadToken("coupled-sink-mac");
        ulong? address = WfdValueReader.IsNone(mac) ? null : WfdValueReader.ParseHex(mac, 12, "coupled-sink-mac", Name);
        reader.ExpectEnd();
        return new WfdCoupledSink(status, address);
    }

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WfdValueWriter(output);
        if (Status is not byte status)
        {
            writer.Write("none"u8);
        }
        else
        {
            writer.WriteHex(status, 2);
            writer.Write((byte)' ');
            if (MacAddress is ulong mac)
            {
                writer.WriteHex(mac, 12);
            }
            else
            {
                writer.Write("none"u8);
            }
        }

        writer.Commit();
    }
}
