using System.Runtime.CompilerServices;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Sources;

/// <summary>
/// The frame schedule shared by the built-in sources (see <see cref="FramePacing"/> for the
/// rules). Not thread-safe: a source has one reader.
/// </summary>
/// <remarks>
/// The schedule is kept in 27 MHz ticks from an anchor (a frame index and its time), so frame
/// times do not drift at rates whose period is not a whole number of ticks; a wait is rounded
/// up to the next 100 ns so a timer never wakes before the frame is due (a coarse timer that
/// fires early is accepted: the frame keeps its scheduled time).
/// </remarks>
internal sealed class FramePacer
{
    private readonly MediaClock _clock;
    private readonly double _frameRate;
    private readonly FramePacing _pacing;
    private readonly long _periodTicks;
    private long _next;
    private long _anchorIndex;
    private MediaTime _anchorTime;
    private bool _started;

    public FramePacer(MediaClock clock, double frameRate, FramePacing pacing)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (!double.IsFinite(frameRate) || frameRate <= 0 || frameRate > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(frameRate), frameRate, "The frame rate must be above 0 and at most 1000 frames per second.");
        }

        if (pacing is not (FramePacing.RealTime or FramePacing.Unpaced))
        {
            throw new ArgumentOutOfRangeException(nameof(pacing));
        }

        _clock = clock;
        _frameRate = frameRate;
        _pacing = pacing;
        _periodTicks = Offset(1);
    }

    /// <summary>The clock the frames are stamped on.</summary>
    public MediaClock Clock => _clock;

    /// <summary>The index the next frame will get.</summary>
    public long NextIndex => _next;

    /// <summary>Times a reader was more than a period late and the schedule restarted.</summary>
    public long LateFrames { get; private set; }

    /// <summary>How long to wait until the next frame is due; zero when it is due (or unpaced).</summary>
    public TimeSpan Delay()
    {
        if (_pacing == FramePacing.Unpaced || !_started)
        {
            return TimeSpan.Zero;
        }

        long remaining = Due(_next) - _clock.Now.Ticks;
        return remaining <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(((remaining * 10) + 26) / 27);
    }

    /// <summary>Waits until the next frame is due (no wait, and no allocation, when it is).</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan delay = Delay();
        return delay > TimeSpan.Zero
            ? new ValueTask(Task.Delay(delay, _clock.TimeProvider, cancellationToken))
            : ValueTask.CompletedTask;
    }

    /// <summary>
    /// Waits until the next frame is due, then has <paramref name="source"/> make it. A read that
    /// needs no wait completes synchronously, without an async state machine (which would
    /// allocate per read, in Debug builds always).
    /// </summary>
    public ValueTask<MediaFrame?> ReadAsync(IPacedSource source, CancellationToken cancellationToken)
    {
        ValueTask wait = WaitAsync(cancellationToken);
        if (wait.IsCompletedSuccessfully)
        {
            wait.GetAwaiter().GetResult();
            return new ValueTask<MediaFrame?>(source.NextFrame());
        }

        return WaitThenReadAsync(wait, source);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<MediaFrame?> WaitThenReadAsync(ValueTask wait, IPacedSource source)
    {
        await wait.ConfigureAwait(false);
        source.ThrowIfDisposed();
        return source.NextFrame();
    }

    /// <summary>Takes the next frame's slot: returns its capture time and index.</summary>
    public MediaTime Take(out long index)
    {
        index = _next++;
        if (_pacing == FramePacing.Unpaced)
        {
            return new MediaTime(Offset(index));
        }

        MediaTime now = _clock.Now;
        if (_started)
        {
            long due = Due(index);
            if (now.Ticks - due < _periodTicks)
            {
                return new MediaTime(due);
            }

            LateFrames++;
        }

        _started = true;
        _anchorIndex = index;
        _anchorTime = now;
        return now;
    }

    private long Due(long index) => _anchorTime.Ticks + Offset(index - _anchorIndex);

    private long Offset(long frames) => (long)Math.Round(frames * (double)MediaTime.TicksPerSecond / _frameRate);
}

/// <summary>A source read through <see cref="FramePacer.ReadAsync"/>.</summary>
internal interface IPacedSource
{
    /// <summary>Makes the frame that is now due (it takes its slot from the pacer).</summary>
    MediaFrame NextFrame();

    /// <summary>Throws <see cref="ObjectDisposedException"/> when the source was disposed during the wait.</summary>
    void ThrowIfDisposed();
}
