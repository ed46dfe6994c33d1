using System.Diagnostics.CodeAnalysis;

namespace Miraflow.Rtsp.Messages;

/// <summary>
/// Turns a byte stream that arrives in arbitrary pieces into whole messages: several messages in
/// one read, one message over many reads. Buffers at most one partial message (bounded by
/// <see cref="RtspLimits"/>) and enforces <see cref="RtspLimits.MessageTimeout"/> with the
/// given <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Append"/> parses as it goes: it copies the new bytes in slices of at most
/// <see cref="AppendSliceBytes"/> and after each slice hands the buffered bytes to
/// <see cref="RtspParser"/>. Whole messages move to a queue that <see cref="TryReadMessage"/>
/// drains; the rest (one partial message) stays buffered. A limit is therefore detected at most
/// one slice after the byte that broke it, whatever the size of the read: a 64 KiB line is
/// rejected after about <see cref="RtspLimits.MaxStartLineLength"/> + one slice of it was copied.
/// Line ends (and stray blanks) between messages are discarded as they arrive.
/// </para>
/// <para>
/// Errors are sticky: once a call has thrown <see cref="RtspParseException"/>, the decoder is
/// faulted. <see cref="TryReadMessage"/> still returns the messages that were complete before the
/// bad bytes, then throws the same error, as does every other call. Not thread-safe: one reader
/// owns it.
/// </para>
/// </remarks>
public sealed class RtspMessageDecoder
{
    /// <summary>Most bytes copied from one <see cref="Append"/> before the parser checks them.</summary>
    public const int AppendSliceBytes = 1024;

    private readonly Queue<(RtspMessage Message, int WireSize)> _ready = new();
    private byte[] _buffer = [];
    private int _start;
    private int _count;
    private int _readyBytes;
    private int _bytesNeeded;
    private DateTimeOffset? _partialStartedAt;
    private RtspParseError _fault;
    private string? _faultMessage;
    private bool _completed;

    /// <summary>Creates a decoder with <paramref name="limits"/> (default <see cref="RtspLimits.Default"/>) and a clock (default <see cref="TimeProvider.System"/>).</summary>
    public RtspMessageDecoder(RtspLimits? limits = null, TimeProvider? timeProvider = null)
    {
        Limits = limits ?? RtspLimits.Default;
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    public RtspLimits Limits { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Bytes received and not yet returned as messages: the partial message buffered plus the
    /// wire size of the whole messages waiting for <see cref="TryReadMessage"/>. Discarded line
    /// ends between messages do not count.
    /// </summary>
    public int BufferedBytes => _count + _readyBytes;

    /// <summary>
    /// When the partial message now buffered must be complete (first byte time +
    /// <see cref="RtspLimits.MessageTimeout"/>), or null when no partial message is buffered.
    /// </summary>
    public DateTimeOffset? PartialMessageDeadline => _partialStartedAt + Limits.MessageTimeout;

    /// <summary>True once a call has thrown <see cref="RtspParseException"/>.</summary>
    public bool IsFaulted => _fault != RtspParseError.None;

    /// <summary>
    /// Adds received bytes and parses what they complete. Throws <see cref="RtspParseException"/>
    /// when the bytes break a rule or a limit, or when the partial message they extend is already
    /// past its deadline (<see cref="RtspParseError.MessageTimeout"/>).
    /// </summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        ThrowIfFaulted();
        if (_completed)
        {
            throw new InvalidOperationException("The stream was completed.");
        }

        if (bytes.IsEmpty)
        {
            return;
        }

        DateTimeOffset now = TimeProvider.GetUtcNow();
        CheckTimeout(now);

        bool completedAny = false;
        while (!bytes.IsEmpty)
        {
            if (_count == 0)
            {
                // Between messages: drop line ends without buffering them.
                bytes = bytes[RtspParser.GetGapLength(bytes)..];
                if (bytes.IsEmpty)
                {
                    break;
                }
            }

            int slice = Math.Min(bytes.Length, AppendSliceBytes);
            Store(bytes[..slice]);
            bytes = bytes[slice..];
            completedAny |= Pump();
        }

        if (_count == 0)
        {
            _partialStartedAt = null;
        }
        else if (completedAny || _partialStartedAt is null)
        {
            // The partial message now buffered began in this read.
            _partialStartedAt = now;
        }
    }

    /// <summary>
    /// Returns the next whole message, or false when more bytes are needed. Throws
    /// <see cref="RtspParseException"/> when the decoder is faulted and no message completed
    /// before the fault is left.
    /// </summary>
    public bool TryReadMessage([NotNullWhen(true)] out RtspMessage? message)
    {
        if (_ready.TryDequeue(out (RtspMessage Message, int WireSize) ready))
        {
            _readyBytes -= ready.WireSize;
            message = ready.Message;
            return true;
        }

        ThrowIfFaulted();
        message = null;
        return false;
    }

    /// <summary>Throws <see cref="RtspParseException"/> (<see cref="RtspParseError.MessageTimeout"/>) when the partial message is overdue.</summary>
    public void CheckTimeout()
    {
        ThrowIfFaulted();
        CheckTimeout(TimeProvider.GetUtcNow());
    }

    /// <summary>
    /// The stream has ended: throws <see cref="RtspParseException"/>
    /// (<see cref="RtspParseError.UnexpectedEndOfStream"/>) when a partial message is buffered.
    /// Bytes that are only line ends between messages do not count. Messages already complete
    /// stay readable.
    /// </summary>
    public void Complete()
    {
        ThrowIfFaulted();
        _completed = true;
        if (_count > 0)
        {
            Fault(RtspParseError.UnexpectedEndOfStream, "The stream ended inside a message.");
        }
    }

    private void CheckTimeout(DateTimeOffset now)
    {
        if (_partialStartedAt is { } started && now - started > Limits.MessageTimeout)
        {
            Fault(RtspParseError.MessageTimeout, "A message did not complete within the message timeout.");
        }
    }

    /// <summary>Parses every whole message in the buffer; returns whether there was one.</summary>
    private bool Pump()
    {
        if (_count < _bytesNeeded)
        {
            return false;
        }

        bool completedAny = false;
        try
        {
            while (_count > 0)
            {
                ReadOnlySpan<byte> data = _buffer.AsSpan(_start, _count);
                if (!RtspParser.TryParse(data, Limits, out RtspMessage? message, out int consumed, out int bytesNeeded))
                {
                    _bytesNeeded = bytesNeeded;
                    break;
                }

                _ready.Enqueue((message, consumed));
                _readyBytes += consumed;
                _start += consumed;
                _count -= consumed;
                _bytesNeeded = 0;
                completedAny = true;

                int gap = RtspParser.GetGapLength(_buffer.AsSpan(_start, _count));
                _start += gap;
                _count -= gap;
            }
        }
        catch (RtspParseException ex)
        {
            _fault = ex.Error;
            _faultMessage = ex.Message;
            throw;
        }

        if (_count == 0)
        {
            _start = 0;
        }

        return completedAny;
    }

    /// <summary>Appends to the buffer, compacting or growing it (never beyond one partial message plus one slice).</summary>
    private void Store(ReadOnlySpan<byte> bytes)
    {
        if (_start + _count + bytes.Length > _buffer.Length)
        {
            int needed = _count + bytes.Length;
            if (needed <= _buffer.Length)
            {
                _buffer.AsSpan(_start, _count).CopyTo(_buffer);
            }
            else
            {
                byte[] grown = new byte[Math.Max(needed, Math.Max(2 * _buffer.Length, 2 * AppendSliceBytes))];
                _buffer.AsSpan(_start, _count).CopyTo(grown);
                _buffer = grown;
            }

            _start = 0;
        }

        bytes.CopyTo(_buffer.AsSpan(_start + _count));
        _count += bytes.Length;
    }

    [DoesNotReturn]
    private void Fault(RtspParseError error, string message)
    {
        _fault = error;
        _faultMessage = message;
        throw new RtspParseException(error, message);
    }

    private void ThrowIfFaulted()
    {
        if (_fault != RtspParseError.None)
        {
            throw new RtspParseException(_fault, _faultMessage ?? _fault.ToString());
        }
    }
}
