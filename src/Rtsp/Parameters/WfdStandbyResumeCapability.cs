using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary><c>wfd_standby_resume_capability</c> (protocol doc §2.6): <c>supported</c> or <c>none</c>.</summary>
public sealed record WfdStandbyResumeCapability(bool Supported) : IWfdParameter<WfdStandbyResumeCapability>
{
    private static readonly string[] s_keywords = ["none", "supported"];

    /// <summary><c>none</c>.</summary>
    public static WfdStandbyResumeCapability None { get; } = new(false);

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_standby_resume_capability";

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdStandbyResumeCapability Parse(ReadOnlySpan<char> value) =>
        WfdValueReader.ParseKeyword(value, Name, "capability", s_keywords) == 1 ? new(true) : None;

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Supported ? "supported"u8 : "none"u8);
    }
}
