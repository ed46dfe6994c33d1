using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_client_rtp_ports</c> (protocol doc §2.6): <c>RTP/AVP/UDP;unicast 19000 0 mode=play</c>.
/// <see cref="Port0"/> is the primary sink's RTP port, <see cref="Port1"/> the coupled secondary
/// sink's (normally 0). The profile and mode tokens are kept as sent (AOSP echoes them in M4).
/// AOSP's TCP-interleaved form carries no ports (<c>RTP/AVP/TCP;interleaved mode=play</c>): it
/// parses with <see cref="HasPorts"/> false and both ports 0, and is written back the same way.
/// </summary>
/// <param name="Profile">e.g. <c>RTP/AVP/UDP;unicast</c> or <c>RTP/AVP/TCP;unicast</c>.</param>
/// <param name="Port0">0–65535.</param>
/// <param name="Port1">0–65535.</param>
/// <param name="Mode">e.g. <c>mode=play</c>.</param>
public sealed record WfdClientRtpPorts(string Profile, int Port0, int Port1, string Mode) : IWfdParameter<WfdClientRtpPorts>
{
    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_client_rtp_ports";

    /// <summary>False for the port-less interleaved form; then <see cref="Port0"/> and <see cref="Port1"/> are 0.</summary>
    public bool HasPorts { get; init; } = true;

    /// <summary>True for a UDP profile (<c>RTP/AVP/UDP;...</c>).</summary>
    public bool IsUdp => Profile.StartsWith("RTP/AVP/UDP", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdClientRtpPorts Parse(ReadOnlySpan<char> value)
    {
        var reader = new WfdValueReader(value, Name);
        ReadOnlySpan<char> profile = reader.ReadWord("profile");
        if (!profile.StartsWith("RTP/", StringComparison.OrdinalIgnoreCase))
        {
            WfdThrow.Error(WfdParameterError.InvalidValue, Name, "the profile must start with RTP/.");
        }

        bool hasPorts = !reader.Remaining.TrimStart(" \t").StartsWith("mode=", StringComparison.OrdinalIgnoreCase);
        int port0 = hasPorts ? reader.ReadDecimal("port0", ushort.MaxValue) : 0;
        int port1 = hasPorts ? reader.ReadDecimal("port1", ushort.MaxValue) : 0;
        ReadOnlySpan<char> mode = reader.ReadWord("mode");
        if (!mode.StartsWith("mode=", StringComparison.OrdinalIgnoreCase) || mode.Length == 5)
        {
            WfdThrow.Error(WfdParameterError.InvalidValue, Name, "the last field must be mode=<mode>.");
        }

        reader.ExpectEnd();
        return new WfdClientRtpPorts(profile.ToString(), port0, port1, mode.ToString()) { HasPorts = hasPorts };
    }

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WfdValueWriter(output);
        writer.Write(Profile);
        writer.Write((byte)' ');
        if (HasPorts)
        {
            writer.WriteDecimal(Port0);
            writer.Write((byte)' ');
            writer.WriteDecimal(Port1);
            writer.Write((byte)' ');
        }

        writer.Write(Mode);
        writer.Commit();
    }
}
