using System.Diagnostics.CodeAnalysis;

namespace Miraflow.Rtsp.Messages;

/// <summary>
/// Turns a byte stream that arrives in arbitrary pieces into whole messages: several messages in
/// one read, one message over many reads. Buffers at most one message's worth of bytes (bounded
/// by <see cref="RtspLimits"/>) and enforces <see cref="RtspLimits.MessageTimeout"/> with the
/// given <see cref="TimeProvider"/>.
/// </summary>
public sealed class RtspMessageDecoder
{
    public RtspMessageDecoder(RtspLimits? limits = null, TimeProvider? timeProvider = null)
    {
        Limits = limits ?? RtspLimits.Default;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    public RtspLimits Limits { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Bytes received and not yet returned as messages.</summary>
    public int BufferedBytes => throw new NotImplementedException();

    /// <summary>
    /// When the partial message now buffered must be complete (first byte time +
    /// <see cref="RtspLimits.MessageTimeout"/>), or null when no partial message is buffered.
    /// </summary>
    public DateTimeOffset? PartialMessageDeadline => throw new NotImplementedException();

    /// <summary>Adds received bytes. Throws <see cref="RtspParseException"/> when they already break a limit.</summary>
    public void Append(ReadOnlySpan<byte> bytes) => throw new NotImplementedException();

    /// <summary>Returns the next whole message, or false when more bytes are needed. Throws <see cref="RtspParseException"/>.</summary>
    public bool TryReadMessage([NotNullWhen(true)] out RtspMessage? message) => throw new NotImplementedException();

    /// <summary>Throws <see cref="RtspParseException"/> (<see cref="RtspParseError.MessageTimeout"/>) when the partial message is overdue.</summary>
    public void CheckTimeout() => throw new NotImplementedException();

    /// <summary>
    /// The stream has ended: throws <see cref="RtspParseException"/>
    /// (<see cref="RtspParseError.UnexpectedEndOfStream"/>) when a partial message is buffered.
    /// Bytes that are only line ends between messages do not count.
    /// </summary>
    public void Complete() => throw new NotImplementedException();
}
