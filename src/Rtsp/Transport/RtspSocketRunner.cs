using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Miraflow.Rtsp.Sessions;

namespace Miraflow.Rtsp.Transport;

/// <summary>
/// Binds one sans-IO session (<see cref="SourceSession"/> or <see cref="SinkSession"/>) to a
/// connected TCP <see cref="Socket"/>. One loop owns the session: received bytes, timer ticks
/// and commands from other threads (<see cref="InvokeAsync"/>) are queued to it, and after each
/// step it sends the session's pending output and forwards its events to <see cref="Events"/>.
/// The runner <b>never closes or disposes the socket</b> it was handed — on Windows the OS owns
/// the RTSP socket (contract doc §2.4); the caller closes it.
/// </summary>
/// <typeparam name="TSession">The session type.</typeparam>
public sealed class RtspSocketRunner<TSession> : IAsyncDisposable
    where TSession : class, IRtspSession
{
    private const int ReceiveBufferSize = 4096;

    /// <summary>Received buffers queued to the loop at most: 8 × 4 KiB, so a fast peer cannot grow memory.</summary>
    private const int MaxBuffersInFlight = 8;

    private readonly Socket _socket;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Channel<Input> _inputs = Channel.CreateUnbounded<Input>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<SessionEvent> _events = Channel.CreateUnbounded<SessionEvent>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = true });
    private readonly SemaphoreSlim _buffersInFlight = new(MaxBuffersInFlight, MaxBuffersInFlight);
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _timer;
    private Task? _run;
    private int _disposed;

    public RtspSocketRunner(Socket socket, TSession session, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(session);
        _socket = socket;
        Session = session;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _timer = _timeProvider.CreateTimer(static state => ((RtspSocketRunner<TSession>)state!).OnTimerFired(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The session. Touch it only through <see cref="InvokeAsync"/> while the runner runs.</summary>
    public TSession Session { get; }

    /// <summary>The session's events, in order; completed when the runner stops.</summary>
    public ChannelReader<SessionEvent> Events => _events.Reader;

    /// <summary>Completes when the runner has stopped (session ended, connection lost, or disposed).</summary>
    public Task Completion => _run ?? Task.CompletedTask;

    /// <summary>Binds the session to the socket's addresses, starts it and begins reading. Call once.</summary>
    public void Start()
    {
        if (_run is not null)
        {
            throw new InvalidOperationException("The runner has already started.");
        }

        Session.Bind(_socket.LocalEndPoint, _socket.RemoteEndPoint);
        _run = Task.Run(RunAsync);
    }

    /// <summary>
    /// Runs <paramref name="command"/> on the session inside the runner's loop (e.g.
    /// <c>s =&gt; s.TriggerTeardown()</c>) and completes when it has run and its output was sent.
    /// Throws <see cref="InvalidOperationException"/> once the runner has stopped.
    /// </summary>
    public Task InvokeAsync(Action<TSession> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inputs.Writer.TryWrite(new Input(InputKind.Command, null, 0, command, done)))
        {
            done.SetException(new InvalidOperationException("The RTSP runner has stopped."));
        }

        return done.Task;
    }

    /// <summary>Stops the loop (without touching the socket) and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _inputs.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _timer.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _buffersInFlight.Dispose();
    }

    private async Task RunAsync()
    {
        Task receive = Task.Run(ReceiveLoopAsync);
        try
        {
            Session.Start();
            await FlushAsync().ConfigureAwait(false);
            while (!Session.IsEnded && await _inputs.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (!Session.IsEnded && _inputs.Reader.TryRead(out Input input))
                {
                    Apply(input);
                    await FlushAsync().ConfigureAwait(false);
                    input.Done?.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (SocketException ex)
        {
            Session.ConnectionFailed(ex.Message);
            ForwardEvents();
        }
        finally
        {
            _inputs.Writer.TryComplete();
            await _stop.CancelAsync().ConfigureAwait(false);
            await receive.ConfigureAwait(false);
            while (_inputs.Reader.TryRead(out Input left))
            {
                left.Done?.TrySetException(new InvalidOperationException("The RTSP runner has stopped."));
                ReturnBuffer(left);
            }

            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _events.Writer.TryComplete();
        }
    }

    private void Apply(Input input)
    {
        try
        {
            switch (input.Kind)
            {
                case InputKind.Data:
                    Session.Receive(input.Buffer.AsSpan(0, input.Count));
                    break;
                case InputKind.EndOfStream:
                    Session.ReceiveEndOfStream();
                    break;
                case InputKind.Failed:
                    Session.ConnectionFailed(input.Detail ?? "receive failed");
                    break;
                case InputKind.Timer:
                    Session.OnTimer();
                    break;
                case InputKind.Command:
                    input.Command!(Session);
                    break;
            }
        }
        catch (Exception ex) when (input.Kind == InputKind.Command)
        {
            input.Done?.TrySetException(ex);
        }
        finally
        {
            ReturnBuffer(input);
        }
    }

    private async Task FlushAsync()
    {
        ReadOnlyMemory<byte> output = Session.PendingOutput;
        while (!output.IsEmpty)
        {
            int sent = await _socket.SendAsync(output, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            Session.AdvanceOutput(sent);
            output = Session.PendingOutput;
        }

        ForwardEvents();
        ScheduleTimer();
    }

    private void ForwardEvents()
    {
        while (Session.TryDequeueEvent(out SessionEvent? sessionEvent))
        {
            _events.Writer.TryWrite(sessionEvent);
        }
    }

    private void ScheduleTimer()
    {
        if (Session.NextTimerDue is not { } due)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        TimeSpan delay = due - _timeProvider.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            // Already due: queue the tick ourselves rather than rely on a zero-delay timer.
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            OnTimerFired();
            return;
        }

        _timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private void OnTimerFired() => _inputs.Writer.TryWrite(new Input(InputKind.Timer, null, 0, null, null));

    private async Task ReceiveLoopAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            byte[]? buffer = null;
            int count;
            try
            {
                await _buffersInFlight.WaitAsync(stop).ConfigureAwait(false);
                buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferSize);
                count = await _socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Release(buffer);
                return;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                Release(buffer);
                RuntimeLog.ReceiveFailed(_logger, ex.Message);
                _inputs.Writer.TryWrite(new Input(InputKind.Failed, null, 0, null, null, ex.Message));
                return;
            }

            if (count == 0)
            {
                Release(buffer);
                _inputs.Writer.TryWrite(new Input(InputKind.EndOfStream, null, 0, null, null));
                return;
            }

            if (!_inputs.Writer.TryWrite(new Input(InputKind.Data, buffer, count, null, null)))
            {
                Release(buffer);
                return;
            }
        }

        void Release(byte[]? rented)
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
                _buffersInFlight.Release();
            }
        }
    }

    private void ReturnBuffer(Input input)
    {
        if (input.Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(input.Buffer);
            _buffersInFlight.Release();
        }
    }

    private enum InputKind
    {
        Data,
        EndOfStream,
        Failed,
        Timer,
        Command,
    }

    private readonly record struct Input(InputKind Kind, byte[]? Buffer, int Count, Action<TSession>? Command, TaskCompletionSource? Done, string? Detail = null);
}

/// <summary>Source-generated log messages of the socket runner.</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(100, LogLevel.Information, "RTSP receive failed: {Reason}")]
    public static partial void ReceiveFailed(ILogger logger, string reason);
}
