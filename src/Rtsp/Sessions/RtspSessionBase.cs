using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging;
using Miraflow.Rtsp.Messages;

namespace Miraflow.Rtsp.Sessions;

/// <summary>
/// What <see cref="SourceSession"/> and <see cref="SinkSession"/> share: the sans-IO surface of
/// <see cref="IRtspSession"/> over an <see cref="RtspEndpoint"/>, the receive loop (requests and
/// matched responses dispatched to the subclass, malformed input ending the session), the timer
/// prologue (message and answer timeouts), and the helpers that build requests and answers with
/// our product header.
/// </summary>
public abstract class RtspSessionBase : IRtspSession
{
    private readonly string _productHeader;
    private readonly string _productName;

    private protected RtspSessionBase(RtspLimits limits, TimeProvider timeProvider, ILogger logger, int timerCount, string productHeader, string productName)
    {
        Logger = logger;
        Endpoint = new RtspEndpoint(limits, timeProvider, logger, timerCount);
        _productHeader = productHeader;
        _productName = productName;
    }

    public bool IsEnded => Endpoint.IsEnded;

    /// <summary>Why the session ended, once it has.</summary>
    public SessionEndReason? EndReason => Endpoint.EndReason;

    public DateTimeOffset? NextTimerDue => Endpoint.NextTimerDue;

    public ReadOnlyMemory<byte> PendingOutput => Endpoint.PendingOutput;

    private protected RtspEndpoint Endpoint { get; }

    private protected ILogger Logger { get; }

    /// <summary>"sink" or "source": who is at the other end, for log and end details.</summary>
    private protected abstract string Peer { get; }

    public virtual void Bind(EndPoint? localEndPoint, EndPoint? remoteEndPoint)
    {
    }

    public abstract void Start();

    public void Receive(ReadOnlySpan<byte> data)
    {
        if (IsEnded)
        {
            return;
        }

        try
        {
            Endpoint.Append(data);
            while (!IsEnded && Endpoint.TryReadMessage(out RtspMessage? message))
            {
                OnMessage(message);
                if (message.IsRequest)
                {
                    HandleRequest(message);
                }
                else if (Endpoint.TryMatchResponse(message, out PendingRequest? request))
                {
                    HandleResponse(message, request);
                }
                else
                {
                    SessionLog.UnmatchedResponse(Logger, message);
                }
            }
        }
        catch (RtspParseException ex)
        {
            End(SessionEndReason.CriticalError, $"malformed RTSP from the {Peer} ({ex.Error}): {ex.Message}");
        }
    }

    public abstract void ReceiveEndOfStream();

    public void ConnectionFailed(string detail) => End(SessionEndReason.CriticalError, $"RTSP connection failed: {detail}");

    public void OnTimer()
    {
        if (IsEnded)
        {
            return;
        }

        try
        {
            Endpoint.CheckMessageTimeout();
        }
        catch (RtspParseException ex)
        {
            End(SessionEndReason.CriticalError, $"the {Peer}'s message did not complete in time ({ex.Error})");
            return;
        }

        while (!IsEnded && Endpoint.TryTakeOverdueRequest(out PendingRequest? overdue))
        {
            OnAnswerTimeout(overdue);
        }

        if (!IsEnded)
        {
            OnTimersDue();
        }
    }

    public void AdvanceOutput(int count) => Endpoint.AdvanceOutput(count);

    public bool TryDequeueEvent([NotNullWhen(true)] out SessionEvent? sessionEvent) => Endpoint.TryDequeueEvent(out sessionEvent);

    /// <summary>Called for every whole message before it is dispatched (liveness bookkeeping).</summary>
    private protected virtual void OnMessage(RtspMessage message)
    {
    }

    /// <summary>A request from the peer.</summary>
    private protected abstract void HandleRequest(RtspMessage request);

    /// <summary>The peer's answer to <paramref name="request"/>.</summary>
    private protected abstract void HandleResponse(RtspMessage response, PendingRequest request);

    /// <summary>No answer to <paramref name="request"/> arrived in time.</summary>
    private protected abstract void OnAnswerTimeout(PendingRequest request);

    /// <summary>Runs the subclass's own timers that are due.</summary>
    private protected abstract void OnTimersDue();

    /// <summary>The value of our <c>Session</c> header on answers, or null before SETUP.</summary>
    private protected abstract string? SessionHeader { get; }

    /// <summary>Ends the session once (the subclass moves its state to Ended in <see cref="OnEnded"/>).</summary>
    private protected void End(SessionEndReason reason, string detail)
    {
        if (!IsEnded)
        {
            OnEnded();
            Endpoint.End(reason, detail);
        }
    }

    /// <summary>The session is ending.</summary>
    private protected abstract void OnEnded();

    private protected RtspMessage NewRequest(RtspMethod method, string uri)
    {
        RtspMessage request = RtspMessage.CreateRequest(method, uri);
        request.Headers.Add(_productHeader, _productName);
        return request;
    }

    /// <summary>Answers with <paramref name="status"/>, plus our Session header when asked and set up.</summary>
    private protected void Answer(RtspMessage request, int status, bool withSession = false)
    {
        RtspMessage response = RtspMessage.CreateResponse(status);
        if (withSession && SessionHeader is { } session)
        {
            response.Headers.Add("Session", session);
        }

        Send(request, response);
    }

    private protected void Send(RtspMessage request, RtspMessage response)
    {
        response.Headers.Add(_productHeader, _productName);
        Endpoint.SendResponse(request, response);
    }
}
