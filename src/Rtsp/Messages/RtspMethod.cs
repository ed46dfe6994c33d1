namespace Miraflow.Rtsp.Messages;

/// <summary>
/// The RTSP methods WFD uses. Matched by case-sensitive ordinal comparison (RFC 2326 §6.1);
/// any other token, <c>options</c> included, is <see cref="Unknown"/> and keeps its text in
/// <see cref="RtspMessage.Method"/>.
/// </summary>
public enum RtspMethod
{
    /// <summary>An extension method or a wrongly-cased one.</summary>
    Unknown = 0,
    Options,
    Setup,
    Play,
    Pause,
    Teardown,
    GetParameter,
    SetParameter,
}
