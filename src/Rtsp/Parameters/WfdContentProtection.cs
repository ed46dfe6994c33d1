using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_content_protection</c> (protocol doc §2.6): <c>none</c>, or <c>HDCP2.0 port=n</c> /
/// <c>HDCP2.1 port=n</c>, the TCP port of the sink's HDCP receiver. The port is optional on
/// parse because a Samsung mobile sink sends <c>HDCP2.1</c> alone (corpus file 14); it is then
/// written back without it.
/// </summary>
/// <param name="Version">null for <c>none</c>.</param>
/// <param name="Port">0–65535, or null when absent.</param>
public sealed record WfdContentProtection(HdcpVersion? Version, int? Port) : IWfdParameter<WfdContentProtection>
{
    private static readonly string[] s_versions = ["HDCP2.0", "HDCP2.1"];

    /// <summary><c>none</c>.</summary>
    public static WfdContentProtection None { get; } = new(null, null);

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_content_protection";

    /// <summary>True for <c>none</c>.</summary>
    public bool IsNone => Version is null;

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdContentProtection Parse(ReadOnlySpan<char> value)
    {
        var reader = new WfdValueReader(value, Name);
        if (WfdValueReader.IsNone(reader.Remaining))
        {
            return None;
        }

        var version = (HdcpVersion)reader.ReadKeyword("hdcp-version", s_versions);
        int? port = null;
        if (!reader.IsAtEnd)
        {
            ReadOnlySpan<char> token = reader.ReadToken("port");
            if (!token.StartsWith("port=", StringComparison.OrdinalIgnoreCase))
            {
                WfdThrow.Error(WfdParameterError.InvalidValue, Name, "expected port=<n> after the HDCP version.");
            }

            port = WfdValueReader.ParseDecimal(token[5..], ushort.MaxValue, "port", Name);
        }

        reader.ExpectEnd();
        return new WfdContentProtection(version, port);
    }

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WfdValueWriter(output);
        if (Version is not HdcpVersion version)
        {
            writer.Write("none"u8);
        }
        else
        {
            writer.Write(version == HdcpVersion.Hdcp20 ? "HDCP2.0"u8 : "HDCP2.1"u8);
            if (Port is int port)
            {
                writer.Write(" port="u8);
                writer.WriteDecimal(port);
            }
        }

        writer.Commit();
    }
}
