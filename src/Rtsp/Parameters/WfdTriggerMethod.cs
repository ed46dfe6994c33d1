using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>The methods <c>wfd_trigger_method</c> asks the sink to send.</summary>
public enum WfdTrigger
{
    /// <summary><c>SETUP</c> (M5 after M4).</summary>
    Setup,

    /// <summary><c>PLAY</c>.</summary>
    Play,

    /// <summary><c>PAUSE</c>.</summary>
    Pause,

    /// <summary><c>TEARDOWN</c>.</summary>
    Teardown,
}

/// <summary><c>wfd_trigger_method</c> (protocol doc §2.6, M5): <c>SETUP</c>, <c>PLAY</c>, <c>PAUSE</c> or <c>TEARDOWN</c>; written upper-case.</summary>
public sealed record WfdTriggerMethod(WfdTrigger Method) : IWfdParameter<WfdTriggerMethod>
{
    private static readonly string[] s_keywords = ["SETUP", "PLAY", "PAUSE", "TEARDOWN"];

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_trigger_method";

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdTriggerMethod Parse(ReadOnlySpan<char> value) =>
        new((WfdTrigger)WfdValueReader.ParseKeyword(value, Name, "method", s_keywords));

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Method switch
        {
            WfdTrigger.Setup => "SETUP"u8,
            WfdTrigger.Play => "PLAY"u8,
            WfdTrigger.Pause => "PAUSE"u8,
            WfdTrigger.Teardown => "TEARDOWN"u8,
            _ => throw new InvalidOperationException("Unknown trigger method."),
        });
    }
}
