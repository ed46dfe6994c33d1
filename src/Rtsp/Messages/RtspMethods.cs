namespace Miraflow.Rtsp.Messages;

/// <summary>Names of <see cref="RtspMethod"/> values and their case-sensitive lookup.</summary>
public static class RtspMethods
{
    /// <summary>The method token of <paramref name="method"/>.</summary>
    public static string GetName(RtspMethod method) => method switch
    {
        RtspMethod.Options => "OPTIONS",
        RtspMethod.Setup => "SETUP",
        RtspMethod.Play => "PLAY",
        RtspMethod.Pause => "PAUSE",
        RtspMethod.Teardown => "TEARDOWN",
        RtspMethod.GetParameter => "GET_PARAMETER",
        RtspMethod.SetParameter => "SET_PARAMETER",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Not a known method."),
    };

    /// <summary>Case-sensitive ordinal lookup; anything else is <see cref="RtspMethod.Unknown"/>.</summary>
    public static RtspMethod Parse(ReadOnlySpan<char> token) => token switch
    {
        "OPTIONS" => RtspMethod.Options,
        "SETUP" => RtspMethod.Setup,
        "PLAY" => RtspMethod.Play,
        "PAUSE" => RtspMethod.Pause,
        "TEARDOWN" => RtspMethod.Teardown,
        "GET_PARAMETER" => RtspMethod.GetParameter,
        "SET_PARAMETER" => RtspMethod.SetParameter,
        _ => RtspMethod.Unknown,
    };
}
