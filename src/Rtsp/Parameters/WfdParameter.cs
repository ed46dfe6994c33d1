namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// One line of a <c>text/parameters</c> body as text: <c>name: value</c>, or a name alone (M3
/// request lines, <c>wfd_idr_request</c>, <c>wfd_standby</c>) where <see cref="Value"/> is null.
/// </summary>
public readonly record struct WfdParameter(string Name, string? Value);
