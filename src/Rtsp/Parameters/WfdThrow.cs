using System.Diagnostics.CodeAnalysis;

namespace Miraflow.Rtsp.Parameters;

/// <summary>Out-of-line throw helpers, so the parsers stay small (house style §4).</summary>
internal static class WfdThrow
{
    [DoesNotReturn]
    public static void Error(WfdParameterError error, string? name, string reason) =>
        throw Create(error, name, reason);

    [DoesNotReturn]
    public static T Error<T>(WfdParameterError error, string? name, string reason) =>
        throw Create(error, name, reason);

    public static WfdParameterException Create(WfdParameterError error, string? name, string reason) =>
        new(error, name, name is null ? reason : string.Concat(name, ": ", reason));
}
