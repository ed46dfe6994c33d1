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
/// <see cref="Append"/> parses as it goes, and whole messages move to a queue that
/// <see cref="TryReadMessage"/> drains. When no partial message is buffered, messages are parsed
/// straight from the caller's bytes and only an incomplete tail is copied; the parser has checked
/// that tail against the limits, so it is at most <see cref="RtspLimits.MaxHeaderBytes"/> +
/// <see cref="RtspLimits.MaxBodyLength"/> bytes. Bytes that extend a partial message are copied
/// in slices of at most <see cref="AppendSliceBytes"/>, each checked by the parser before the
/// next is copied, so a limit is detected at most one slice after the byte that broke it,
/// whatever the size of the read. The parser is skipped when the new bytes cannot change its
/// last "need more" answer (no LF while a line is incomplete, too few bytes while a body is).
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

    /// <summary>The first buffer made for a partial message holds at least this many bytes.</summary>
    private const int MinBufferBytes = 256;

    private readonly Queue<(RtspMessage Message, int WireSize)> _ready = new();
    private byte[] _buffer = [];
    private int _start;
    private int _count;
    private int _readyBytes;
    private RtspParser.ParseProgress _progress;
    private DateTimeOffset? _partialStartedAt;
    private long _partialStartedTimestamp;
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

    /// <summary>Whole messages waiting for <see cref="TryReadMessage"/> (tests).</summary>
    internal int ReadyCount => _ready.Count;

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

        // The clock is read only while a message is partial: whole messages in one read cost no
        // clock read at all.
        if (_count > 0)
        {
            CheckTimeoutCore();
        }

        bool completedAny = false;
        try
        {
            while (!bytes.IsEmpty)
            {
                if (_count == 0)
                {
                    completedAny |= ParseInPlace(ref bytes);
                }
                else
                {
                    ReadOnlySpan<byte> slice = bytes[..Math.Min(bytes.Length, AppendSliceBytes)];
                    Store(slice);
                    bytes = bytes[slice.Length..];
                    completedAny |= Pump(slice);
                }
            }
        }
        catch (RtspParseException ex) when (RecordFault(ex))
        {
            // Not reached: the filter records the fault and lets the exception go on unwinding.
        }

        if (_count == 0)
        {
            _partialStartedAt = null;
        }
        else if (completedAny || _partialStartedAt is null)
        {
            // The partial message now buffered began in this read.
            _partialStartedTimestamp = TimeProvider.GetTimestamp();
            _partialStartedAt = TimeProvider.GetUtcNow();
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
        if (_partialStartedAt is not null)
        {
            CheckTimeoutCore();
        }
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

    /// <summary>Measured on the monotonic timestamp clock, so a wall-clock step cannot fire or hide a timeout.</summary>
    private void CheckTimeoutCore()
    {
        if (TimeProvider.GetElapsedTime(_partialStartedTimestamp) > Limits.MessageTimeout)
        {
            Fault(RtspParseError.MessageTimeout, "A message did not complete within the message timeout.");
        }
    }

    /// <summary>
    /// Between messages: parses whole messages straight from the caller's bytes (no copy), drops
    /// the line ends between them, and buffers only the partial message at the end, which the
    /// parser has already checked against the limits. Consumes all of <paramref name="bytes"/>.
    /// </summary>
    private bool ParseInPlace(ref ReadOnlySpan<byte> bytes)
    {
        bool completedAny = false;
        while (true)
        {
            bytes = bytes[RtspParser.GetGapLength(bytes)..];
            if (bytes.IsEmpty)
            {
                return completedAny;
            }

            if (!RtspParser.TryParse(bytes, Limits, out RtspMessage? message, out int consumed, out _progress))
            {
                Store(bytes);
                bytes = default;
                return completedAny;
            }

            _ready.Enqueue((message, consumed));
            _readyBytes += consumed;
            bytes = bytes[consumed..];
            completedAny = true;
        }
    }

    /// <summary>
    /// Parses every whole message in the buffer; returns whether there was one. Skips the parser
    /// when <paramref name="appended"/> cannot change the last "need more" answer.
    /// </summary>
    private bool Pump(ReadOnlySpan<byte> appended)
    {
        if (!_progress.IsWorthRetrying(_count, appended))
        {
            return false;
        }

        bool completedAny = false;
        while (_count > 0)
        {
            ReadOnlySpan<byte> data = _buffer.AsSpan(_start, _count);
            if (!RtspParser.TryParse(data, Limits, out RtspMessage? message, out int consumed, out _progress))
            {
                break;
            }

            _ready.Enqueue((message, consumed));
            _readyBytes += consumed;
            _start += consumed;
            _count -= consumed;
            completedAny = true;

            int gap = RtspParser.GetGapLength(_buffer.AsSpan(_start, _count));
            _start += gap;
            _count -= gap;
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
                byte[] grown = new byte[Math.Max(needed, Math.Max(2 * _buffer.Length, MinBufferBytes))];
                _buffer.AsSpan(_start, _count).CopyTo(grown);
                _buffer = grown;
            }

            _start = 0;
        }

        bytes.CopyTo(_buffer.AsSpan(_start + _count));
        _count += bytes.Length;
    }

    /// <summary>Exception filter: makes the decoder faulted, returns false so the exception is not caught.</summary>
    private bool RecordFault(RtspParseException ex)
    {
        _fault = ex.Error;
        _faultMessage = ex.Message;
        return false;
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
