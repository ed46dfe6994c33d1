using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Miraflow.Pipeline.Composition;
using Miraflow.Pipeline.Control;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Tests.TestSupport;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Sessions;
using Miraflow.Rtsp.Transport;

namespace Miraflow.Pipeline.Tests.Control;

/// <summary>
/// A <see cref="SessionController"/> (our source) against our <see cref="SinkSession"/> over a
/// real loopback TCP connection, the sink dialling the source as in WFD, with the sink's RTP port
/// on a <see cref="LoopbackReceiver"/> that keeps every datagram.
/// </summary>
internal sealed class ControllerRig : IAsyncDisposable
{
    /// <summary>A sink that takes only 1280×720p30 CBP 3.1 and 48 kHz stereo LPCM.</summary>
    public static readonly string Sink720p30 = TestSinks.Sink720p30;

    /// <summary>The same sink with AAC as its only audio codec.</summary>
    public static readonly string Sink720p30AacOnly = TestSinks.Sink720p30AacOnly;

    private readonly Socket _sourceSocket;
    private readonly Socket _sinkSocket;

    private ControllerRig(Socket sourceSocket, Socket sinkSocket, LoopbackReceiver receiver, RtspSocketRunner<SinkSession> sink, SessionController controller, SessionRecorder recorder)
    {
        _sourceSocket = sourceSocket;
        _sinkSocket = sinkSocket;
        Receiver = receiver;
        Sink = sink;
        Controller = controller;
        Recorder = recorder;
    }

    public LoopbackReceiver Receiver { get; }

    public RtspSocketRunner<SinkSession> Sink { get; }

    public SessionController Controller { get; }

    public SessionRecorder Recorder { get; }

    /// <summary>A provider from <c>AddMiraflow</c>, validated as the driver does.</summary>
    public static ServiceProvider Compose(Action<IMiraflowBuilder>? configure = null, Action<MiraflowOptions>? options = null)
    {
        var services = new ServiceCollection();
        IMiraflowBuilder builder = services.AddMiraflow(options);
        configure?.Invoke(builder);
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }

    public static async Task<ControllerRig> StartAsync(IMediaPipelineFactory factory, string? sinkCapabilities = null, SessionControllerOptions? options = null)
    {
        sinkCapabilities ??= Sink720p30;
        var receiver = new LoopbackReceiver();
        (Socket sourceSocket, Socket sinkSocket) = await LoopbackTcp.ConnectPairAsync();

        var sink = new RtspSocketRunner<SinkSession>(
            sinkSocket,
            new SinkSession(new SinkSessionOptions { Capabilities = SinkCapabilities.Parse(sinkCapabilities), RtpPort = receiver.EndPoint.Port }));
        var recorder = new SessionRecorder();
        var controller = new SessionController(sourceSocket, factory, options, recorder);
        sink.Start();
        controller.Start();
        return new ControllerRig(sourceSocket, sinkSocket, receiver, sink, controller, recorder);
    }

    /// <summary>Waits until media flows (PLAY handled) and returns the media session.</summary>
    public async Task<MediaSession> WaitUntilStreamingAsync()
    {
        await Recorder.Streaming.WaitAsync(TimeSpan.FromSeconds(20));
        return Controller.Media ?? throw new InvalidOperationException("Streaming started but no media session is running.");
    }

    /// <summary>
    /// The MPEG-TS the sink received once every datagram <paramref name="media"/> sent has arrived: the RTP payloads in arrival order. Throws when a datagram is
    /// not RTP or a sequence number was skipped (loopback must not lose anything).
    /// </summary>
    public async Task<byte[]> CaptureTsAsync(MediaSession media)
    {
        // The kernel has every datagram once they are sent; the receiver may not have read them all yet.
        await Receiver.WaitForCountAsync(media.Pipeline.Statistics.DatagramsSent, TimeSpan.FromSeconds(10));

        using var ts = new MemoryStream();
        int? expected = null;
        foreach (byte[] datagram in Receiver.Snapshot())
        {
            Assert.True(RtpHeader.TryRead(datagram, out RtpHeader header, out int payloadOffset, out int payloadLength));
            if (expected is { } sequence)
            {
                Assert.Equal(sequence, header.SequenceNumber);
            }

            expected = (header.SequenceNumber + 1) & 0xFFFF;
            ts.Write(datagram, payloadOffset, payloadLength);
        }

        return ts.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await Sink.DisposeAsync();
        _sourceSocket.Dispose();
        _sinkSocket.Dispose();
        Receiver.Dispose();
    }
}

/// <summary>Records what a <see cref="SessionController"/> reports.</summary>
internal sealed class SessionRecorder : ISessionObserver
{
    private readonly TaskCompletionSource _streaming = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _dropped;
    private long _idrRequests;

    public Task Streaming => _streaming.Task;

    public long FramesDropped => Interlocked.Read(ref _dropped);

    public long IdrRequests => Interlocked.Read(ref _idrRequests);

    /// <summary>Every unit sent: frame number, IDR or not, and when (stopwatch ticks).</summary>
    public ConcurrentQueue<(ulong FrameNumber, bool Idr, long Timestamp)> Sent { get; } = new();

    public ConcurrentQueue<string> Events { get; } = new();

    public SessionOutcome? Outcome { get; private set; }

    public void OnNegotiated(SessionNegotiated negotiated) => Events.Enqueue($"negotiated {negotiated.Format}");

    public void OnStreamingStarted(NegotiatedFormat format, IPEndPoint sink)
    {
        Events.Enqueue($"streaming {format}");
        _streaming.TrySetResult();
    }

    public void OnPaused(bool standby) => Events.Enqueue(standby ? "standby" : "paused");

    public void OnResumed() => Events.Enqueue("resumed");

    public void OnIdrRequested() => Interlocked.Increment(ref _idrRequests);

    public void OnFormatChanged(NegotiatedFormat format) => Events.Enqueue($"format {format}");

    public void OnFrameDropped(ulong frameNumber) => Interlocked.Increment(ref _dropped);

    public void OnUnitSending(EncodedFrame unit) => Sent.Enqueue((unit.FrameNumber, unit.IsIdr, System.Diagnostics.Stopwatch.GetTimestamp()));

    public void OnEnded(SessionOutcome outcome)
    {
        Outcome = outcome;
        Events.Enqueue($"ended {outcome.Reason}");
    }
}
