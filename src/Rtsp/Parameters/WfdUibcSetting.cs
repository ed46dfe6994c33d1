using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary><c>wfd_uibc_setting</c> (protocol doc §2.6): <c>enable</c> or <c>disable</c>.</summary>
public sealed record WfdUibcSetting(bool Enabled) : IWfdParameter<WfdUibcSetting>
{
    private static readonly string[] s_keywords = ["disable", "enable"];

    /// <summary><c>enable</c>.</summary>
    public static WfdUibcSetting Enable { get; } = new(true);

    /// <summary><c>disable</c>.</summary>
    public static WfdUibcSetting Disable { get; } = new(false);

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_uibc_setting";

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdUibcSetting Parse(ReadOnlySpan<char> value) =>
        WfdValueReader.ParseKeyword(value, Name, "setting", s_keywords) == 1 ? Enable : Disable;

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Enabled ? "enable"u8 : "disable"u8);
    }
}
