using System.Runtime.CompilerServices;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;

namespace Miraflow.Pipeline.Audio;

/// <summary>
/// The sample schedule shared by the built-in audio sources (see <see cref="IAudioSource"/> for
/// the rules). Not thread-safe: a source has one reader.
/// </summary>
/// <remarks>
/// Times are computed from the sample index (<see cref="MediaTime.FromSampleIndex"/>), never
/// accumulated; a wait is rounded up to the next 100 ns so a timer never wakes before the
/// frame's last sample is due.
/// </remarks>
internal sealed class AudioPacer
{
    private readonly MediaClock _clock;
    private readonly FramePacing _pacing;
    private readonly int _sampleRate;
    private readonly int _samplesPerFrame;
    private MediaTime _start;
    private bool _started;
    private long _next;

    public AudioPacer(MediaClock clock, int sampleRate, int samplesPerFrame, FramePacing pacing)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (pacing is not (FramePacing.RealTime or FramePacing.Unpaced))
        {
            throw new ArgumentOutOfRangeException(nameof(pacing));
        }

        _clock = clock;
        _pacing = pacing;
        _sampleRate = sampleRate;
        _samplesPerFrame = samplesPerFrame;
    }

    /// <summary>The index the next frame will get.</summary>
    public long NextIndex => _next;

    /// <summary>The time of the first sample of frame <paramref name="index"/>.</summary>
    public MediaTime StartOf(long index) => new(_start.Ticks + MediaTime.FromSampleIndex(index * _samplesPerFrame, _sampleRate).Ticks);

    /// <summary>How long to wait until the next frame's end is due; zero when it is (or unpaced). Starts the schedule on the first call.</summary>
    public TimeSpan Delay()
    {
        if (_pacing == FramePacing.Unpaced)
        {
            return TimeSpan.Zero;
        }

        MediaTime now = _clock.Now;
        if (!_started)
        {
            _started = true;
            _start = now;
        }

        long remaining = StartOf(_next + 1).Ticks - now.Ticks;
        return remaining <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(((remaining * 10) + 26) / 27);
    }

    /// <summary>
    /// Waits until the next frame is due, then has <paramref name="source"/> make it. A read that
    /// needs no wait completes synchronously, without an async state machine (which would
    /// allocate per read, in Debug builds always).
    /// </summary>
    public ValueTask<AudioFrame?> ReadAsync(IPacedAudioSource source, CancellationToken cancellationToken)
    {
        TimeSpan delay = Delay();
        if (delay <= TimeSpan.Zero)
        {
            return new ValueTask<AudioFrame?>(source.NextFrame());
        }

        return WaitThenReadAsync(Task.Delay(delay, _clock.TimeProvider, cancellationToken), source);
    }

    /// <summary>Takes the next frame's slot: returns its first sample's time and its index.</summary>
    public MediaTime Take(out long index)
    {
        index = _next++;
        return StartOf(index);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<AudioFrame?> WaitThenReadAsync(Task wait, IPacedAudioSource source)
    {
        await wait.ConfigureAwait(false);
        source.ThrowIfDisposed();
        return source.NextFrame();
    }
}

/// <summary>An audio source read through <see cref="AudioPacer.ReadAsync"/>.</summary>
internal interface IPacedAudioSource
{
    /// <summary>Makes the frame that is now due (it takes its slot from the pacer); null at the end.</summary>
    AudioFrame? NextFrame();

    /// <summary>Throws <see cref="ObjectDisposedException"/> when the source was disposed during the wait.</summary>
    void ThrowIfDisposed();
}
