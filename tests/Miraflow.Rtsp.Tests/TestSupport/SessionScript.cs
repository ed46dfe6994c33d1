using Miraflow.Rtsp.Messages;
using Miraflow.Rtsp.Sessions;

namespace Miraflow.Rtsp.Tests.TestSupport;

/// <summary>Helpers for driving a sans-IO session by hand: what it sent, what it reported.</summary>
internal static class SessionScript
{
    /// <summary>Takes everything the session wants to send and parses it into messages.</summary>
    public static List<RtspMessage> Drain(IRtspSession session)
    {
        var decoder = new RtspMessageDecoder();
        decoder.Append(session.PendingOutput.Span);
        session.AdvanceOutput(session.PendingOutput.Length);
        var messages = new List<RtspMessage>();
        while (decoder.TryReadMessage(out RtspMessage? message))
        {
            messages.Add(message);
        }

        decoder.Complete();
        return messages;
    }

    /// <summary>Takes every event the session has queued.</summary>
    public static List<SessionEvent> Events(IRtspSession session)
    {
        var events = new List<SessionEvent>();
        while (session.TryDequeueEvent(out SessionEvent? e))
        {
            events.Add(e);
        }

        return events;
    }
}
