using System.Runtime.ExceptionServices;
using System.Threading.Tasks.Dataflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Diagnostics;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Transport;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Flow;

/// <summary>
/// The frame path of one session as linked TPL Dataflow blocks, one message per picture, access
/// unit or audio frame (design.md "Data flow of one frame", house rules 12–15):
/// <code>
/// Post(frame) ──drop newest when full──► encode (TransformBlock, capacity 2, MaxDOP 1, own thread)
///                                           │ EncodeStage.Process: raw ⇒ H.264, GPU unit ⇒ pass-through
///                                           ▼ (linked, PropagateCompletion)
/// PostAudio / SendAudioAsync ───────────► send (ActionBlock, capacity 6, MaxDOP 1)
/// PSI heartbeat (timer, PSI interval / 4) ─►  [IPipelineStage…] ⇒ TsMuxer ⇒ RtpPacketizer ⇒ DatagramBatch ⇒ UdpMediaSender
/// </code>
/// The heartbeat posts an empty message when the send block has nothing queued, so PAT, PMT and
/// a PCR go out on their own when no unit has carried them for half the PSI interval.
/// After any lost picture (a drop at the capture edge) and after a resume, the send block
/// discards queued non-IDR units until the encoder's recovery IDR arrives: the sink gets the
/// IDR as early as possible instead of pictures that are stale by the length of the stall.
/// </summary>
/// <remarks>
/// <para>
/// Ownership: every frame handed to the pipeline belongs to it, accepted or not; it is disposed
/// after it is sent, when it is dropped, and — for the items Dataflow drops undisposed on a fault
/// or cancellation — by a sweep once the blocks have ended (<see cref="OutstandingLeases"/>).
/// </para>
/// <para>
/// Errors: a fault in either block cancels the pipeline token (so nothing waits on a dead block),
/// faults the head, and ends <see cref="Completion"/> with the exception. Network errors are not
/// faults: the sender counts them.
/// </para>
/// <para>
/// The pipeline does not own the stage, muxer, packetizer, sender or clock: the session disposes
/// them after the pipeline. The muxer and packetizer must not be used by anyone else meanwhile.
/// </para>
/// </remarks>
public sealed partial class MediaPipeline : IAsyncDisposable
{
    private readonly EncodeStage _stage;
    private readonly TsMuxer _muxer;
    private readonly RtpPacketizer _packetizer;
    private readonly UdpMediaSender _sender;
    private readonly MediaClock _clock;
    private readonly IPipelineObserver? _observer;
    private readonly IPipelineStage[] _stages;
    private readonly MiraflowMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly TimeSpan _stopBudget;
    private readonly DatagramBatch _batch = new();
    private readonly CancellationTokenSource _cancellation = new();
    private readonly SingleThreadTaskScheduler? _encodeThread;
    private readonly TransformBlock<MediaFrame, EncodedFrame?> _encode;
    private readonly ActionBlock<MediaFrame?> _send;
    private readonly LeaseRegistry _leases = new();
    private readonly LatencyHistogram _latency = new();
    private readonly Task _completion;
    private readonly ITimer? _heartbeat;

    private long _framesIn;
    private long _framesDropped;
    private long _framesEncoded;
    private long _framesSkipped;
    private long _videoSent;
    private long _idrSent;
    private long _audioSent;
    private long _discarded;
    private volatile bool _paused;
    private volatile bool _waitForIdr;
    private volatile bool _completing;
    private int _disposed;
    private int _faultReported;

    /// <summary>Builds and starts the pipeline.</summary>
    /// <param name="stage">The encode stage (raw pictures and GPU-encoded units).</param>
    /// <param name="muxer">The stream's TS muxer.</param>
    /// <param name="packetizer">The stream's RTP packetizer.</param>
    /// <param name="sender">The UDP sender to the sink's RTP port.</param>
    /// <param name="clock">The session clock: capture times, PCR, RTP timestamps and latency.</param>
    /// <param name="options">Capacities and threads; defaults when null.</param>
    /// <param name="observer">Told about drops, sends and faults; may be null.</param>
    /// <param name="stages">Custom steps between encode and send, in order; none when null.</param>
    /// <param name="metrics">Where the counters and the latency histogram are also published; may be null.</param>
    /// <param name="logger">Logs faults and losses; none when null.</param>
    public MediaPipeline(
        EncodeStage stage,
        TsMuxer muxer,
        RtpPacketizer packetizer,
        UdpMediaSender sender,
        MediaClock clock,
        MediaPipelineOptions? options = null,
        IPipelineObserver? observer = null,
        IReadOnlyList<IPipelineStage>? stages = null,
        MiraflowMetrics? metrics = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(muxer);
        ArgumentNullException.ThrowIfNull(packetizer);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(clock);
        options ??= new MediaPipelineOptions();
        options.Validate();
        _stage = stage;
        _muxer = muxer;
        _packetizer = packetizer;
        _sender = sender;
        _clock = clock;
        _observer = observer;
        _stages = stages is null ? [] : [.. stages];
        _metrics = metrics;
        _logger = logger ?? NullLogger.Instance;
        _stopBudget = options.StopBudget;

        CancellationToken token = _cancellation.Token;
        var encodeOptions = new ExecutionDataflowBlockOptions
        {
            BoundedCapacity = options.EncodeCapacity,
            MaxDegreeOfParallelism = 1,
            EnsureOrdered = true,
            CancellationToken = token,
            NameFormat = "encode {1}",
        };
        if (options.DedicatedEncodeThread)
        {
            _encodeThread = new SingleThreadTaskScheduler("Miraflow encode");
            encodeOptions.TaskScheduler = _encodeThread;
        }

        _encode = new TransformBlock<MediaFrame, EncodedFrame?>(Encode, encodeOptions);
        _send = new ActionBlock<MediaFrame?>(Send, new ExecutionDataflowBlockOptions
        {
            BoundedCapacity = options.SendCapacity,
            MaxDegreeOfParallelism = 1,
            CancellationToken = token,
            NameFormat = "send {1}",
        });

        // The one linear link; audio enters the send block directly and is gated by _completing.
        // Null outputs (skipped pictures) go through too, so no predicate can clog the link.
        _encode.LinkTo(_send, new DataflowLinkOptions { PropagateCompletion = true });
        _ = _encode.Completion.ContinueWith(OnBlockEnded, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        _ = _send.Completion.ContinueWith(OnBlockEnded, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        // PSI must not wait for the next unit: when nothing is queued for sending, a tick every
        // quarter of the PSI interval lets the muxer send PAT/PMT/PCR on their own once they are
        // half an interval old (WritePsiIfStale). It stops with the blocks.
        if (options.PsiHeartbeat)
        {
            TimeSpan tick = muxer.PsiInterval / 4;
            _heartbeat = clock.TimeProvider.CreateTimer(static state => ((MediaPipeline)state!).OnHeartbeat(), this, tick, tick);
        }

        _completion = RunCompletionAsync();
    }

    /// <summary>
    /// Ends when both blocks have ended: normally after <see cref="Complete"/> and the drain,
    /// faulted with the first block's exception, or cancelled after a stop past its budget.
    /// </summary>
    public Task Completion => _completion;

    /// <summary>
    /// Whether the send block drops (and counts) units instead of sending them: the session is
    /// paused or in standby. Set with <see cref="Pause"/> and <see cref="Resume"/>.
    /// </summary>
    public bool Paused => _paused;

    /// <summary>How long a stop or dispose waits for the drain before cancelling (the options' <see cref="MediaPipelineOptions.StopBudget"/>).</summary>
    public TimeSpan StopBudget => _stopBudget;

    /// <summary>Frames the pipeline holds right now (accepted and not yet disposed).</summary>
    public int OutstandingLeases => _leases.Count;

    /// <summary>A snapshot of the counters.</summary>
    public MediaPipelineStatistics Statistics
    {
        get
        {
            UdpSenderStatistics sender = _sender.Statistics;
            return new MediaPipelineStatistics(
                Interlocked.Read(ref _framesIn),
                Interlocked.Read(ref _framesDropped),
                Interlocked.Read(ref _framesEncoded),
                Interlocked.Read(ref _framesSkipped),
                Interlocked.Read(ref _videoSent),
                Interlocked.Read(ref _idrSent),
                Interlocked.Read(ref _audioSent),
                Interlocked.Read(ref _discarded),
                sender.DatagramsSent,
                sender.BytesSent);
        }
    }

    /// <summary>Capture-to-wire latency of the video frames sent so far.</summary>
    public LatencyStatistics Latency => _latency.Snapshot();

    /// <summary>
    /// The capture edge: offers one raw picture or GPU-encoded access unit and never blocks.
    /// The pipeline owns <paramref name="frame"/> from here on, accepted or not. When the encode
    /// block is full (or the pipeline is ending) the frame is the one dropped: it is disposed,
    /// counted, reported to the observer, and the encoder is told a picture was lost so that the
    /// next picture is an IDR.
    /// </summary>
    /// <returns>Whether the frame was accepted.</returns>
    public bool Post(MediaFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!_completing)
        {
            _leases.Add(frame);
            if (_encode.Post(frame))
            {
                Interlocked.Increment(ref _framesIn);
                _metrics?.RecordFramesIn();
                return true;
            }

            _leases.Remove(frame);
        }

        ulong frameNumber = frame.FrameNumber;
        frame.Dispose();
        if (Interlocked.Increment(ref _framesDropped) == 1)
        {
            LogFirstDrop(_logger, frameNumber);
        }

        _waitForIdr = true;
        _stage.OnPictureLost();
        _metrics?.RecordFramesDropped();
        _observer?.OnFrameDropped(frameNumber);
        return false;
    }

    /// <summary>
    /// Offers one audio frame to the send block without waiting. The pipeline owns
    /// <paramref name="frame"/> from here on; when the send block is full or ending, it is
    /// disposed and false returned (the caller decides whether that is a loss to report).
    /// </summary>
    public bool PostAudio(AudioFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!_completing)
        {
            _leases.Add(frame);
            if (_send.Post(frame))
            {
                return true;
            }

            _leases.Remove(frame);
        }

        frame.Dispose();
        return false;
    }

    /// <summary>
    /// Hands one audio frame to the send block, waiting while it is full (the encoded edge: no
    /// data is dropped silently). The pipeline owns <paramref name="frame"/> from here on; false
    /// means the pipeline is ending or has ended, and the frame was disposed.
    /// </summary>
    public async ValueTask<bool> SendAudioAsync(AudioFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (!_completing)
        {
            _leases.Add(frame);
            bool accepted = false;
            try
            {
                accepted = await _send.SendAsync(frame, _cancellation.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            if (accepted)
            {
                return true;
            }

            _leases.Remove(frame);
        }

        frame.Dispose();
        return false;
    }

    /// <summary>Stops sending: units reaching the send block are dropped and counted until <see cref="Resume"/>.</summary>
    public void Pause() => _paused = true;

    /// <summary>
    /// Sends again. The sink missed pictures while paused, so the encoder is asked for an IDR
    /// and video units still queued are dropped until one arrives; audio flows at once.
    /// </summary>
    public void Resume()
    {
        if (!_paused)
        {
            return;
        }

        _waitForIdr = true;
        _paused = false;
        _stage.OnPictureLost();
    }

    /// <summary>Takes no more frames; what is queued is encoded and sent, then <see cref="Completion"/> ends.</summary>
    public void Complete()
    {
        _completing = true;
        _encode.Complete();
    }

    /// <summary>
    /// Completes the pipeline and waits for the drain; past <paramref name="budget"/> cancels
    /// it (queued frames are disposed undelivered) and waits for the blocks to end.
    /// </summary>
    /// <returns>True when everything queued was sent; false when the budget ran out or the pipeline was already cancelled.</returns>
    /// <exception cref="Exception">The pipeline faulted: the block's exception.</exception>
    public async Task<bool> StopAsync(TimeSpan budget)
    {
        Complete();
        bool drained = true;
        try
        {
            await _completion.WaitAsync(budget).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            drained = false;
            await _cancellation.CancelAsync().ConfigureAwait(false);
            await _completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        catch (OperationCanceledException)
        {
            drained = false;
        }
        finally
        {
            SweepIfEnded();
        }

        if (_completion.IsFaulted)
        {
            await _completion.ConfigureAwait(false);
        }

        return drained;
    }

    /// <summary>Completes the pipeline and waits for the drain within the options' stop budget (3 s by default).</summary>
    /// <inheritdoc cref="StopAsync(TimeSpan)"/>
    public Task<bool> StopAsync() => StopAsync(_stopBudget);

    /// <summary>
    /// Stops within the stop budget (cancelling past it), disposes every frame still held and
    /// frees the pipeline's own resources. Faults are not thrown here; read <see cref="Completion"/>.
    /// Idempotent.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopAsync(_stopBudget).ConfigureAwait(false);
        }
        catch (Exception) when (_completion.IsCompleted)
        {
            // The fault is in Completion for whoever owns the session.
        }

        SweepIfEnded();
        if (_completion.IsCompleted)
        {
            _batch.Dispose();
            _encodeThread?.Dispose();
        }

        _cancellation.Dispose();
    }

    private static void OnBlockEnded(Task completion, object? state)
    {
        var pipeline = (MediaPipeline)state!;
        if (completion.IsFaulted)
        {
            Exception error = RootFault(completion)!;
            pipeline._completing = true;
            ((IDataflowBlock)pipeline._encode).Fault(error);
            try
            {
                pipeline._cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }

            if (Interlocked.Exchange(ref pipeline._faultReported, 1) == 0)
            {
                LogFault(pipeline._logger, error, error.Message);
                pipeline._observer?.OnFault(error);
            }
        }
    }

    /// <summary>The first block's root exception when a block faulted (a propagated fault wraps the original one).</summary>
    private static Exception? RootFault(Task completion) =>
        completion.IsFaulted && completion.Exception is { } error ? error.Flatten().InnerExceptions[0] : null;

    /// <summary>Both blocks' end; a fault surfaces as the exception that caused it, not a wrapper.</summary>
    private async Task RunCompletionAsync()
    {
        try
        {
            await Task.WhenAll(_encode.Completion, _send.Completion).ConfigureAwait(false);
        }
        catch (Exception) when ((RootFault(_encode.Completion) ?? RootFault(_send.Completion)) is { } root)
        {
            ExceptionDispatchInfo.Throw(root);
        }
        finally
        {
            _heartbeat?.Dispose();
        }
    }

    /// <summary>The PSI tick (a timer thread): an empty message for the send block when it has nothing queued.</summary>
    private void OnHeartbeat()
    {
        if (!_paused && _send.InputCount == 0)
        {
            _ = _send.Post(null); // refused when full or completed: then units or nothing are coming
        }
    }

    private void SweepIfEnded()
    {
        if (_completion.IsCompleted)
        {
            _leases.Sweep();
        }
    }

    private EncodedFrame? Encode(MediaFrame frame)
    {
        EncodedFrame? unit = null;
        try
        {
            unit = _stage.Process(frame);
            if (unit is null)
            {
                Interlocked.Increment(ref _framesSkipped);
                _observer?.OnFrameDiscarded(frame.FrameNumber);
            }
            else
            {
                Interlocked.Increment(ref _framesEncoded);
                _metrics?.RecordFramesEncoded();
                if (!ReferenceEquals(unit, frame))
                {
                    _leases.Add(unit);
                }
            }

            return unit;
        }
        finally
        {
            if (!ReferenceEquals(unit, frame))
            {
                // A raw picture stays the caller's in Process, and an encoded unit that was
                // rewritten, held back or failed has been (or must now be) disposed: a second
                // Dispose of a lease is ignored.
                _leases.Remove(frame);
                frame.Dispose();
            }
        }
    }

    private void Send(MediaFrame? frame)
    {
        if (frame is null)
        {
            SendPsiIfStale(); // a heartbeat, or a picture the encoder skipped
            return;
        }

        try
        {
            if (_paused)
            {
                Interlocked.Increment(ref _discarded);
                return;
            }

            if (frame is EncodedFrame unit)
            {
                // Each stage takes ownership of the current unit and hands back the next owner
                // (null: dropped); frame always names what the finally must dispose.
                EncodedFrame? current = unit;
                for (int i = 0; i < _stages.Length && current is not null; i++)
                {
                    current = RunStage(_stages[i], current);
                    frame = current;
                }

                if (current is not null)
                {
                    SendVideo(current);
                }
            }
            else if (frame is AudioFrame audio)
            {
                SendAudio(audio);
            }
            else
            {
                throw new ArgumentException($"The send block takes encoded video and audio, not {frame.GetType().Name}.", nameof(frame));
            }
        }
        finally
        {
            if (frame is not null)
            {
                _leases.Remove(frame);
                frame.Dispose();
            }
        }
    }

    /// <summary>Runs one custom stage; returns the unit to go on with (null: dropped), having disposed the input if it was replaced.</summary>
    private EncodedFrame? RunStage(IPipelineStage stage, EncodedFrame unit)
    {
        EncodedFrame? output = stage.Process(unit);
        if (!ReferenceEquals(output, unit))
        {
            if (output is not null)
            {
                _leases.Add(output);
            }

            _leases.Remove(unit);
            unit.Dispose();
        }

        return output;
    }

    private void SendVideo(EncodedFrame unit)
    {
        if (_waitForIdr)
        {
            if (!unit.IsIdr)
            {
                Interlocked.Increment(ref _discarded);
                _observer?.OnFrameDiscarded(unit.FrameNumber);
                return;
            }

            _waitForIdr = false;
        }

        MediaTime now = _clock.Now;
        RtpPacketizer packetizer = _packetizer;
        _batch.Clear();
        packetizer.Begin(_batch, now);
        _muxer.WriteVideo(ref packetizer, unit.Data, unit.CaptureTime, unit.DecodeTime ?? unit.CaptureTime, now);
        _observer?.OnUnitSending(unit);
        _sender.Send(_batch);
        int bytes = _batch.Length;
        _batch.Clear();
        long latencyMicroseconds = unchecked(_clock.Now.Ticks - unit.CaptureTime.Ticks) / 27;
        _latency.Record(latencyMicroseconds);
        Interlocked.Increment(ref _videoSent);
        if (unit.IsIdr)
        {
            Interlocked.Increment(ref _idrSent);
        }

        if (_metrics is { } metrics)
        {
            metrics.RecordFramesSent();
            metrics.RecordBytesSent(bytes);
            metrics.RecordPipelineLatency(latencyMicroseconds / 1000.0);
            if (unit.IsIdr)
            {
                metrics.RecordIdrFrames();
            }
        }
    }

    /// <summary>Sends PAT, PMT and a PCR on their own when the last ones are half an interval old (see <see cref="TsMuxer.WritePsiIfStale"/>).</summary>
    private void SendPsiIfStale()
    {
        if (_paused)
        {
            return;
        }

        MediaTime now = _clock.Now;
        RtpPacketizer packetizer = _packetizer;
        _batch.Clear();
        packetizer.Begin(_batch, now);
        if (_muxer.WritePsiIfStale(ref packetizer, now))
        {
            _sender.Send(_batch);
            _metrics?.RecordBytesSent(_batch.Length);
        }

        _batch.Clear();
    }

    private void SendAudio(AudioFrame audio)
    {
        MediaTime now = _clock.Now;
        RtpPacketizer packetizer = _packetizer;
        _batch.Clear();
        packetizer.Begin(_batch, now);
        _muxer.WriteAudio(ref packetizer, audio.Data, audio.CaptureTime, now);
        _sender.Send(_batch);
        _metrics?.RecordBytesSent(_batch.Length);
        _batch.Clear();
        Interlocked.Increment(ref _audioSent);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The encoder fell behind: picture {FrameNumber} was dropped at the capture edge; the next picture will be an IDR (later drops are counted, not logged)")]
    private static partial void LogFirstDrop(ILogger logger, ulong frameNumber);

    [LoggerMessage(Level = LogLevel.Error, Message = "The media pipeline faulted: {Reason}")]
    private static partial void LogFault(ILogger logger, Exception exception, string reason);
}
