using System.Net;
using System.Net.Sockets;
using Miraflow.Rtsp.Sessions;
using Miraflow.Rtsp.Transport;

namespace Miraflow.Rtsp.Tests.TestSupport;

/// <summary>
/// Our source and our sink state machines over a real loopback TCP connection, each behind its
/// own <see cref="RtspSocketRunner{TSession}"/>, sharing one manual clock. The sink dials the
/// source, as in WFD.
/// </summary>
internal sealed class LoopbackSession : IAsyncDisposable
{
    private readonly Socket _sourceSocket;
    private readonly Socket _sinkSocket;

    private LoopbackSession(Socket sourceSocket, Socket sinkSocket, SourceSession source, SinkSession sink, ManualTimeProvider clock)
    {
        _sourceSocket = sourceSocket;
        _sinkSocket = sinkSocket;
        Clock = clock;
        Source = new RtspSocketRunner<SourceSession>(sourceSocket, source, clock);
        Sink = new RtspSocketRunner<SinkSession>(sinkSocket, sink, clock);
        SourceEvents = new EventLog(Source.Events);
        SinkEvents = new EventLog(Sink.Events);
    }

    public ManualTimeProvider Clock { get; }

    public RtspSocketRunner<SourceSession> Source { get; }

    public RtspSocketRunner<SinkSession> Sink { get; }

    public EventLog SourceEvents { get; }

    public EventLog SinkEvents { get; }

    public static async Task<LoopbackSession> StartAsync(SourceSessionOptions? sourceOptions = null, SinkSessionOptions? sinkOptions = null)
    {
        var clock = new ManualTimeProvider();
        (Socket sourceSocket, Socket sinkSocket) = await LoopbackTcp.ConnectPairAsync();

        var session = new LoopbackSession(
            sourceSocket,
            sinkSocket,
            new SourceSession(sourceOptions ?? new SourceSessionOptions { Random = new Random(7) }, clock),
            new SinkSession(sinkOptions, clock),
            clock);
        session.Sink.Start();
        session.Source.Start();
        return session;
    }

    /// <summary>Waits until both sides are streaming (M1–M7 done).</summary>
    public async Task<PlayStarted> WaitUntilPlayingAsync()
    {
        PlayStarted play = await SourceEvents.WaitFor<PlayStarted>();
        await SinkEvents.WaitFor<SinkPlaying>();
        return play;
    }

    /// <summary>Both sockets: true once the peer has closed or the socket was closed here.</summary>
    public bool SourceSocketConnected => _sourceSocket.Connected;

    public async ValueTask DisposeAsync()
    {
        await Source.DisposeAsync();
        await Sink.DisposeAsync();
        _sourceSocket.Dispose();
        _sinkSocket.Dispose();
    }
}
