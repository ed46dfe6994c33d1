using System.Net;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Control;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Encoders.OpenH264;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Transport;
using Miraflow.Pipeline.Ts;
using Miraflow.Rtsp.Negotiation;

namespace Miraflow.Pipeline.Composition;

/// <summary>What one session's pipeline is made for.</summary>
/// <param name="SinkRtpEndPoint">The sink's RTP address and port.</param>
/// <param name="Format">The negotiated format.</param>
/// <param name="Bitrate">The encoder's starting bitrate in bit/s; 0 for <see cref="MiraflowOptions.DefaultBitrate"/>.</param>
/// <param name="Observer">Told about drops, sends and faults of the pipeline (the session controller); may be null.</param>
public sealed record PipelineRequest(IPEndPoint SinkRtpEndPoint, NegotiatedFormat Format, int Bitrate = 0, IPipelineObserver? Observer = null);

/// <summary>Makes one <see cref="MediaSession"/> per WFD session; pipelines are never singletons (house style §7).</summary>
public interface IMediaPipelineFactory
{
    /// <summary>Creates and starts a session's pipeline (sources are created, not read until <see cref="MediaSession.Start"/>).</summary>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    /// <exception cref="InvalidOperationException">No encoder is registered under <see cref="MiraflowOptions.EncoderKey"/>.</exception>
    MediaSession Create(PipelineRequest request);
}

/// <summary>
/// Owns one session's media objects, created in order by <see cref="IMediaPipelineFactory"/> and
/// disposed in reverse order, and reads the sources into <see cref="Pipeline"/> once
/// <see cref="Start"/> is called:
/// <code>
/// FrameSource ──"Miraflow capture" thread: ReadFrameAsync ⇒ Pipeline.Post (drops, never blocks)
/// AudioSource ──pool thread: ReadFrameAsync ⇒ await Pipeline.SendAudioAsync (waits, never drops)
/// </code>
/// </summary>
/// <remarks>
/// The video pump runs on a thread of its own, so a source that blocks (a chunk queue waiting in
/// GetNextChunkData) never holds a pool thread. A mid-session format change
/// (<see cref="ChangeFormat"/>) swaps in a new frame source, encoder and bitrate controller; the
/// muxer follows the new SPS by itself.
/// </remarks>
public sealed class MediaSession : IAsyncDisposable
{
    private readonly MediaPipelineFactory _factory;
    private readonly CancellationTokenSource _pumps = new();
    private readonly Lock _formatLock = new();
    private SingleThreadTaskScheduler? _captureThread;
    private IFrameSource _frameSource;
    private IFrameSource? _pendingFrameSource;
    private Task _videoPump = Task.CompletedTask;
    private Task _audioPump = Task.CompletedTask;
    private int _started;
    private int _disposed;

    internal MediaSession(
        MediaPipelineFactory factory,
        PipelineRequest request,
        string encoderKey,
        MediaClock clock,
        IFrameSource frameSource,
        IAudioSource? audioSource,
        IVideoEncoder? encoder,
        EncodeStage stage,
        TsMuxer muxer,
        RtpPacketizer packetizer,
        UdpMediaSender sender,
        MediaPipeline pipeline,
        BitrateController bitrateController,
        IReadOnlyList<IPipelineStage> stages)
    {
        _factory = factory;
        Request = request;
        Format = request.Format;
        EncoderKey = encoderKey;
        Clock = clock;
        _frameSource = frameSource;
        AudioSource = audioSource;
        Encoder = encoder;
        EncodeStage = stage;
        Muxer = muxer;
        Packetizer = packetizer;
        Sender = sender;
        Pipeline = pipeline;
        BitrateController = bitrateController;
        Stages = stages;
    }

    /// <summary>What the session was made for.</summary>
    public PipelineRequest Request { get; }

    /// <summary>The format streamed now (the request's, until <see cref="ChangeFormat"/>).</summary>
    public NegotiatedFormat Format { get; private set; }

    /// <summary>The key of the encoder factory used.</summary>
    public string EncoderKey { get; }

    /// <summary>The session clock.</summary>
    public MediaClock Clock { get; }

    /// <summary>Where pictures come from (after a format change, the new source once the pump has switched to it).</summary>
    public IFrameSource FrameSource => Volatile.Read(ref _frameSource);

    /// <summary>Where audio comes from; null when the session has no audio.</summary>
    public IAudioSource? AudioSource { get; }

    /// <summary>The encoder the session was created with; null for pass-through.</summary>
    public IVideoEncoder? Encoder { get; }

    /// <summary>The encode stage (encoder and pass-through).</summary>
    public EncodeStage EncodeStage { get; }

    /// <summary>The TS muxer.</summary>
    public TsMuxer Muxer { get; }

    /// <summary>The RTP packetizer.</summary>
    public RtpPacketizer Packetizer { get; }

    /// <summary>The UDP sender to the sink.</summary>
    public UdpMediaSender Sender { get; }

    /// <summary>The running pipeline.</summary>
    public MediaPipeline Pipeline { get; }

    /// <summary>The bitrate controller of the current format (feed it the OS's data-rate samples).</summary>
    public BitrateController BitrateController { get; private set; }

    /// <summary>The stages added with <c>AddBlock</c>, run by the pipeline between encode and send.</summary>
    public IReadOnlyList<IPipelineStage> Stages { get; }

    /// <summary>
    /// Completes when the frame source has ended (a finite file), or faults with the source's
    /// exception; runs until disposal otherwise. Completed before <see cref="Start"/>.
    /// </summary>
    public Task SourceCompletion => _videoPump;

    /// <summary>Starts reading the sources into the pipeline. Call once.</summary>
    /// <exception cref="InvalidOperationException">Already started, or disposed.</exception>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The media session has already started.");
        }

        CancellationToken token = _pumps.Token;
        _captureThread = new SingleThreadTaskScheduler("Miraflow capture");
        _videoPump = Task.Factory.StartNew(() => PumpVideoAsync(token), CancellationToken.None, TaskCreationOptions.DenyChildAttach, _captureThread).Unwrap();
        if (AudioSource is { } audio)
        {
            _audioPump = Task.Run(() => PumpAudioAsync(audio, Pipeline, token), CancellationToken.None);
        }
    }

    /// <summary>
    /// Switches to a new format mid-session (after the sink accepted a mid-session M4): a new frame
    /// source (the pump switches at its next picture), a new encoder that replaces the old one at
    /// the first picture of the new size (its first unit is an IDR with the new SPS, which makes
    /// the muxer send a new PMT version) and a bitrate controller for the new mode and level.
    /// The audio format is kept.
    /// </summary>
    /// <exception cref="ArgumentException">The format cannot be encoded (e.g. its level caps the current bitrate out of range).</exception>
    public void ChangeFormat(NegotiatedFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_formatLock)
        {
            int bitrate = Math.Min(BitrateController.Target, OpenH264Encoder.LevelMaxBitrate(format.Level));
            IFrameSource source = _factory.CreateFrameSource(Clock, format);
            IVideoEncoder? encoder;
            try
            {
                encoder = Encoder is null ? null : _factory.CreateEncoder(EncoderKey, format, bitrate);
            }
            catch
            {
                _ = source.DisposeAsync().AsTask();
                throw;
            }

            if (encoder is not null)
            {
                EncodeStage.ReplaceEncoder(encoder);
            }

            BitrateController = new BitrateController(new EncodeStageBitrateTarget(EncodeStage), format, bitrate, options: null, _factory.TimeProvider);
            Format = format;
            if (Interlocked.Exchange(ref _pendingFrameSource, source) is { } superseded)
            {
                _ = superseded.DisposeAsync().AsTask();
            }

            if (Volatile.Read(ref _started) == 0 && SwitchFrameSourceIfPending() is { } replaced)
            {
                _ = replaced.DisposeAsync().AsTask();
            }
        }
    }

    /// <summary>
    /// Stops reading the sources and drains the pipeline within <paramref name="budget"/>
    /// (cancelling past it); call <see cref="DisposeAsync"/> afterwards to release everything.
    /// </summary>
    /// <returns>True when everything queued was sent.</returns>
    /// <exception cref="Exception">The pipeline faulted: the block's exception.</exception>
    public async Task<bool> StopAsync(TimeSpan budget)
    {
        long start = Clock.TimeProvider.GetTimestamp();
        await StopPumpsAsync(budget).ConfigureAwait(false);
        TimeSpan left = budget - Clock.TimeProvider.GetElapsedTime(start);
        return await Pipeline.StopAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)).ConfigureAwait(false);
    }

    /// <summary>Stops the pumps, stops the pipeline (within its stop budget) and disposes everything in reverse order. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopPumpsAsync(Pipeline.StopBudget).ConfigureAwait(false);

        // BitrateController, RtpPacketizer and TsMuxer hold nothing to free.
        await Pipeline.DisposeAsync().ConfigureAwait(false);
        Sender.Dispose();
        EncodeStage.Dispose();
        if (AudioSource is not null)
        {
            await AudioSource.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _pendingFrameSource, null) is { } pending)
        {
            await pending.DisposeAsync().ConfigureAwait(false);
        }

        await FrameSource.DisposeAsync().ConfigureAwait(false);
        _captureThread?.Dispose();
        _pumps.Dispose();
    }

    /// <summary>Cancels the pumps and waits for them, at most <paramref name="budget"/> (a source stuck in a read past it is left behind; the pipeline is cut anyway).</summary>
    private async Task StopPumpsAsync(TimeSpan budget)
    {
        await _pumps.CancelAsync().ConfigureAwait(false);

        // Suppressing also covers the timeout: past the budget the stop goes on without the pump.
        await Task.WhenAll(_videoPump, _audioPump).WaitAsync(budget, Clock.TimeProvider).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>The video pump, on the capture thread: continuations come back to it (ConfigureAwait(true)).</summary>
    private async Task PumpVideoAsync(CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                await SwitchFrameSourceIfPendingAsync().ConfigureAwait(true);
                MediaFrame? frame = await _frameSource.ReadFrameAsync(token).ConfigureAwait(true);
                if (frame is null)
                {
                    return; // a finite source ended
                }

                Pipeline.Post(frame); // owns the frame from here, accepted or not
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private static async Task PumpAudioAsync(IAudioSource source, MediaPipeline pipeline, CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                AudioFrame? frame = await source.ReadFrameAsync(token).ConfigureAwait(false);
                if (frame is null || !await pipeline.SendAudioAsync(frame).ConfigureAwait(false))
                {
                    return; // the source ended, or the pipeline is ending
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private ValueTask SwitchFrameSourceIfPendingAsync() =>
        Volatile.Read(ref _pendingFrameSource) is null ? ValueTask.CompletedTask : SwitchFrameSourceAsync();

    private async ValueTask SwitchFrameSourceAsync()
    {
        IFrameSource? old = SwitchFrameSourceIfPending();
        if (old is not null)
        {
            await old.DisposeAsync().ConfigureAwait(true);
        }
    }

    /// <summary>Makes the pending source current; returns the one it replaced (the caller disposes it).</summary>
    private IFrameSource? SwitchFrameSourceIfPending()
    {
        IFrameSource? next = Interlocked.Exchange(ref _pendingFrameSource, null);
        return next is null ? null : Interlocked.Exchange(ref _frameSource, next);
    }
}
