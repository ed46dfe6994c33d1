namespace Miraflow.Rtsp.Messages;

/// <summary>
/// Hard limits applied to every RTSP message read from the network (house rule 7; the shape of
/// Kestrel's <c>KestrelServerLimits</c>). WFD messages are small: the largest real message in
/// our sink corpus is an M3 answer of about 1.2 KB, so the defaults leave a wide margin while a
/// hostile peer can never make us buffer more than a few tens of kilobytes.
/// The setters throw <see cref="ArgumentOutOfRangeException"/> for a negative limit (and for a
/// zero line length, header block or timeout), so the parser never sees a negative window.
/// </summary>
public sealed class RtspLimits
{
    /// <summary>The defaults below, shared.</summary>
    public static RtspLimits Default { get; } = new();

    /// <summary>Longest start line (request or status line) without its line end. Default 1 KiB.</summary>
    public int MaxStartLineLength
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 1024;

    /// <summary>Most header lines in one message. Default 64.</summary>
    public int MaxHeaderCount
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = 64;

    /// <summary>
    /// Most bytes in the whole header block: start line, header lines and their line ends, up to
    /// and including the empty line. Default 8 KiB. When <see cref="RtspParser"/> is used directly,
    /// empty lines in front of a message count too (they stay unconsumed until a whole message is
    /// there); <see cref="RtspMessageDecoder"/> discards them as they arrive.
    /// </summary>
    public int MaxHeaderBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 8 * 1024;

    /// <summary>Largest body (<c>Content-Length</c>). Default 16 KiB.</summary>
    public int MaxBodyLength
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = 16 * 1024;

    /// <summary>
    /// Longest time one message may take to arrive, from its first byte to its last (defeats
    /// Slowloris-style trickling). Default 10 s.
    /// </summary>
    public TimeSpan MessageTimeout
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(10);
}
