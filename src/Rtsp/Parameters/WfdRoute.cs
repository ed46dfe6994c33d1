using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>The audio destinations of <c>wfd_route</c>.</summary>
public enum WfdRouteDestination
{
    /// <summary><c>primary</c>.</summary>
    Primary,

    /// <summary><c>secondary</c>.</summary>
    Secondary,
}

/// <summary><c>wfd_route</c> (protocol doc §2.6, M10): <c>primary</c> or <c>secondary</c>.</summary>
public sealed record WfdRoute(WfdRouteDestination Destination) : IWfdParameter<WfdRoute>
{
    private static readonly string[] s_keywords = ["primary", "secondary"];

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_route";

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdRoute Parse(ReadOnlySpan<char> value) =>
        new((WfdRouteDestination)WfdValueReader.ParseKeyword(value, Name, "destination", s_keywords));

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Destination == WfdRouteDestination.Secondary ? "secondary"u8 : "primary"u8);
    }
}
