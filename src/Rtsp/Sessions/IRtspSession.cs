using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Miraflow.Rtsp.Sessions;

/// <summary>
/// A sans-IO WFD RTSP session: bytes in (<see cref="Receive"/>), bytes out
/// (<see cref="PendingOutput"/>), events out (<see cref="TryDequeueEvent"/>) and timers
/// (<see cref="NextTimerDue"/> / <see cref="OnTimer"/>) read from an injected
/// <see cref="TimeProvider"/>. Not thread-safe: one caller at a time (the socket runner
/// serialises everything on its loop).
/// </summary>
public interface IRtspSession
{
    /// <summary>True once the session has ended (a <see cref="SessionEnded"/> event was queued).</summary>
    bool IsEnded { get; }

    /// <summary>When <see cref="OnTimer"/> must next be called, or null when no timer runs.</summary>
    DateTimeOffset? NextTimerDue { get; }

    /// <summary>Bytes waiting to be sent, in order.</summary>
    ReadOnlyMemory<byte> PendingOutput { get; }

    /// <summary>Tells the session the connection's addresses (before <see cref="Start"/>).</summary>
    void Bind(EndPoint? localEndPoint, EndPoint? remoteEndPoint);

    /// <summary>Begins the protocol (the source sends M1; the sink waits for it).</summary>
    void Start();

    /// <summary>Bytes received from the peer, in any split.</summary>
    void Receive(ReadOnlySpan<byte> data);

    /// <summary>The peer closed its side of the connection.</summary>
    void ReceiveEndOfStream();

    /// <summary>The connection failed (reset, send error).</summary>
    void ConnectionFailed(string detail);

    /// <summary>Runs every timer that is due at the provider's current time.</summary>
    void OnTimer();

    /// <summary>Marks <paramref name="count"/> bytes of <see cref="PendingOutput"/> as sent.</summary>
    void AdvanceOutput(int count);

    /// <summary>Takes the next queued event.</summary>
    bool TryDequeueEvent([NotNullWhen(true)] out SessionEvent? sessionEvent);
}
