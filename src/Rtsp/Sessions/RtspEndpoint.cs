using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Miraflow.Rtsp.Messages;

namespace Miraflow.Rtsp.Sessions;

/// <summary>
/// The plumbing both session state machines share: the incremental decoder, the outgoing byte
/// queue, our CSeq counter, the table of requests awaiting an answer (matched by CSeq, with the
/// single-outstanding fallback of protocol doc §1.4 for sinks that echo a wrong CSeq), named
/// timers, and the event queue.
/// </summary>
internal sealed class RtspEndpoint
{
    private readonly RtspMessageDecoder _decoder;
    private readonly List<PendingRequest> _pending = new(4);
    private readonly Queue<SessionEvent> _events = new();
    private readonly DateTimeOffset?[] _timers;
    private readonly ArrayBufferWriter<byte> _scratch = new(1024);
    private byte[] _output = new byte[4096];
    private int _outputStart;
    private int _outputEnd;
    private int _nextCSeq = 1;

    public RtspEndpoint(RtspLimits limits, TimeProvider timeProvider, ILogger logger, int timerCount)
    {
        _decoder = new RtspMessageDecoder(limits, timeProvider);
        TimeProvider = timeProvider;
        Logger = logger;
        _timers = new DateTimeOffset?[timerCount];
    }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    public DateTimeOffset Now => TimeProvider.GetUtcNow();

    public bool IsEnded { get; private set; }

    public SessionEndReason? EndReason { get; private set; }

    public ReadOnlyMemory<byte> PendingOutput => _output.AsMemory(_outputStart, _outputEnd - _outputStart);

    /// <summary>The earliest of: our timers, answer deadlines, the partial-message deadline.</summary>
    public DateTimeOffset? NextTimerDue
    {
        get
        {
            if (IsEnded)
            {
                return null;
            }

            DateTimeOffset? next = _decoder.PartialMessageDeadline;
            foreach (DateTimeOffset? due in _timers)
            {
                next = Earliest(next, due);
            }

            foreach (PendingRequest request in _pending)
            {
                next = Earliest(next, request.Deadline);
            }

            return next;
        }
    }

    // ---- input ------------------------------------------------------------------------------

    /// <summary>Adds received bytes (throws <see cref="RtspParseException"/> when they break a limit).</summary>
    public void Append(ReadOnlySpan<byte> data) => _decoder.Append(data);

    /// <summary>The next whole message (throws <see cref="RtspParseException"/>).</summary>
    public bool TryReadMessage([NotNullWhen(true)] out RtspMessage? message) => _decoder.TryReadMessage(out message);

    /// <summary>End of stream: throws <see cref="RtspParseException"/> when a message was cut.</summary>
    public void CompleteInput() => _decoder.Complete();

    /// <summary>Throws <see cref="RtspParseException"/> when a partial message is overdue.</summary>
    public void CheckMessageTimeout() => _decoder.CheckTimeout();

    // ---- requests and responses -------------------------------------------------------------

    /// <summary>Numbers <paramref name="request"/> with our next CSeq, queues it and waits for its answer.</summary>
    public int SendRequest(RtspMessage request, string label, TimeSpan answerTimeout)
    {
        int cseq = _nextCSeq++;
        request.Headers.Set("CSeq", cseq.ToString(CultureInfo.InvariantCulture));
        _pending.Add(new PendingRequest(cseq, label, Now + answerTimeout));
        Write(request);
        SessionLog.SentRequest(Logger, label, request);
        return cseq;
    }

    /// <summary>Answers <paramref name="request"/>, copying its CSeq (none when it had none).</summary>
    public void SendResponse(RtspMessage request, RtspMessage response)
    {
        string? cseq = request.Headers["CSeq"];
        if (cseq is not null)
        {
            response.Headers.Set("CSeq", cseq.Trim());
        }

        Write(response);
        SessionLog.Answered(Logger, request, response.StatusCode);
    }

    /// <summary>
    /// Finds and removes the request <paramref name="response"/> answers: by CSeq, or — when the
    /// CSeq matches nothing and exactly one request is outstanding — that one (lazycast answers
    /// with hard-coded CSeq values, protocol doc §1.4).
    /// </summary>
    public bool TryMatchResponse(RtspMessage response, [NotNullWhen(true)] out PendingRequest? request)
    {
        int? cseq = response.CSeq;
        for (int i = 0; i < _pending.Count; i++)
        {
            if (_pending[i].CSeq == cseq)
            {
                request = _pending[i];
                _pending.RemoveAt(i);
                return true;
            }
        }

        if (_pending.Count == 1)
        {
            request = _pending[0];
            _pending.RemoveAt(0);
            SessionLog.CSeqMismatch(Logger, cseq, request.Label, request.CSeq);
            return true;
        }

        request = null;
        return false;
    }

    /// <summary>Removes and returns the first request whose answer is overdue.</summary>
    public bool TryTakeOverdueRequest([NotNullWhen(true)] out PendingRequest? request)
    {
        DateTimeOffset now = Now;
        for (int i = 0; i < _pending.Count; i++)
        {
            if (_pending[i].Deadline <= now)
            {
                request = _pending[i];
                _pending.RemoveAt(i);
                return true;
            }
        }

        request = null;
        return false;
    }

    public bool IsAwaiting(string label)
    {
        foreach (PendingRequest request in _pending)
        {
            if (request.Label == label)
            {
                return true;
            }
        }

        return false;
    }

    // ---- timers -----------------------------------------------------------------------------

    public void SetTimer(int timer, TimeSpan delay) => _timers[timer] = Now + delay;

    public void CancelTimer(int timer) => _timers[timer] = null;

    /// <summary>If <paramref name="timer"/> is due, clears it and returns true.</summary>
    public bool TakeIfDue(int timer)
    {
        if (_timers[timer] is { } due && due <= Now)
        {
            _timers[timer] = null;
            return true;
        }

        return false;
    }

    // ---- events and the end -----------------------------------------------------------------

    public void Raise(SessionEvent sessionEvent) => _events.Enqueue(sessionEvent);

    public bool TryDequeueEvent([NotNullWhen(true)] out SessionEvent? sessionEvent) => _events.TryDequeue(out sessionEvent);

    /// <summary>Ends the session once: clears timers and pending requests, queues <see cref="SessionEnded"/>.</summary>
    public void End(SessionEndReason reason, string detail)
    {
        if (IsEnded)
        {
            return;
        }

        IsEnded = true;
        EndReason = reason;
        Array.Clear(_timers);
        _pending.Clear();
        if (reason == SessionEndReason.Stopped)
        {
            SessionLog.Stopped(Logger, detail);
        }
        else
        {
            SessionLog.Ended(Logger, reason, detail);
        }

        _events.Enqueue(new SessionEnded(reason, detail));
    }

    // ---- output -----------------------------------------------------------------------------

    public void AdvanceOutput(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _outputEnd - _outputStart);
        _outputStart += count;
        if (_outputStart == _outputEnd)
        {
            _outputStart = _outputEnd = 0;
        }
    }

    private void Write(RtspMessage message)
    {
        _scratch.ResetWrittenCount();
        RtspWriter.Write(message, _scratch);
        ReadOnlySpan<byte> bytes = _scratch.WrittenSpan;
        if (_output.Length - _outputEnd < bytes.Length)
        {
            int live = _outputEnd - _outputStart;
            byte[] target = live + bytes.Length <= _output.Length ? _output : new byte[Math.Max(_output.Length * 2, live + bytes.Length)];
            Buffer.BlockCopy(_output, _outputStart, target, 0, live);
            _output = target;
            _outputStart = 0;
            _outputEnd = live;
        }

        bytes.CopyTo(_output.AsSpan(_outputEnd));
        _outputEnd += bytes.Length;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}
