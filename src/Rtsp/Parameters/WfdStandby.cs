using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_standby</c> (protocol doc §2.6, M12 body): a name-only parameter. It is a singleton
/// (<see cref="Instance"/>) whose value text is empty; <see cref="WfdParameterSet"/> writes it as the
/// line <c>wfd_standby</c> with no colon, and reads it from that line (or from
/// <c>wfd_standby:</c> with an empty value). Any value text is an error.
/// </summary>
public sealed class WfdStandby : IWfdParameter<WfdStandby>
{
    private WfdStandby()
    {
    }

    /// <summary>The only value.</summary>
    public static WfdStandby Instance { get; } = new();

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_standby";

    /// <summary>Always true: the parameter is a name alone.</summary>
    public static bool IsNameOnly => true;

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdStandby Parse(ReadOnlySpan<char> value) =>
        value.Trim(" \t").IsEmpty ? Instance : WfdThrow.Error<WfdStandby>(WfdParameterError.InvalidValue, Name, "takes no value.");

    /// <summary>Writes nothing: the value text is empty.</summary>
    public void WriteValue(IBufferWriter<byte> output) => ArgumentNullException.ThrowIfNull(output);
}
