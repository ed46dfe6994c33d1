using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_connector_type</c> (protocol doc §2.6): 2 hex digits or <c>none</c>. Seen <c>05</c> and
/// <c>07</c>; the meaning is not verified, so the value is kept opaque.
/// </summary>
/// <param name="Type">null for <c>none</c>.</param>
public sealed record WfdConnectorType(byte? Type) : IWfdParameter<WfdConnectorType>
{
    /// <summary><c>none</c>.</summary>
    public static WfdConnectorType None { get; } = new((byte?)null);

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_connector_type";

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdConnectorType Parse(ReadOnlySpan<char> value)
    {
        var reader = new WfdValueReader(value, Name);
        if (WfdValueReader.IsNone(reader.Remaining))
        {
            return None;
        }

        byte type = reader.ReadHex2("connector-type");
        reader.ExpectEnd();
        return new WfdConnectorType(type);
    }

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WfdValueWriter(output);
        if (Type is byte type)
        {
            writer.WriteHex(type, 2);
        }
        else
        {
            writer.Write("none"u8);
        }

        writer.Commit();
    }
}
