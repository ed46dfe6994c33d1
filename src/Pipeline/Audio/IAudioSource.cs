using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Audio;

/// <summary>What an audio source produces.</summary>
/// <param name="SampleRate">Sample frames per second.</param>
/// <param name="Channels">Interleaved channels of its frames.</param>
/// <param name="SamplesPerFrame">Sample frames per <see cref="AudioFrame"/> (480 = 10 ms at 48 kHz by default).</param>
public readonly record struct AudioSourceInfo(int SampleRate, int Channels, int SamplesPerFrame)
{
    /// <summary>The time one frame covers (rounded down to 100 ns; exact on the 27 MHz clock for 48 and 44.1 kHz at 10 ms).</summary>
    public TimeSpan FrameDuration => MediaTime.FromSampleIndex(SamplesPerFrame, SampleRate).ToTimeSpan();

    /// <summary>Bytes per frame: 16-bit samples × channels × sample frames.</summary>
    public int BytesPerFrame => SamplesPerFrame * Channels * AudioFrame.BytesPerSample;
}

/// <summary>
/// Where audio comes from: a test tone, a WAV file or a capture API. Frames are 16-bit
/// little-endian interleaved PCM with sample-accurate timestamps on the session's
/// <see cref="MediaClock"/>.
/// </summary>
/// <remarks>
/// <para>Frame k holds sample frames k × n to (k + 1) × n − 1 (n = <see cref="AudioSourceInfo.SamplesPerFrame"/>)
/// and its <see cref="MediaFrame.CaptureTime"/> is <c>start + MediaTime.FromSampleIndex(k × n, rate)</c>:
/// computed from the sample count, never accumulated, so it does not drift even when a frame is
/// not a whole number of 27 MHz ticks (44.1 kHz).</para>
/// <para><c>start</c> is the clock's time of the first read when paced in real time, and the
/// clock's epoch (zero) when unpaced, the same rule as the video sources'
/// (<see cref="Sources.FramePacing"/>). So an audio and a video source created on the same clock
/// and read from the same moment (or both unpaced) stamp simultaneous content with the same
/// time: they are lip-synced through the PTS the muxer derives from those stamps.</para>
/// <para>Paced in real time, a read waits (on the clock's <see cref="TimeProvider"/>) until the
/// frame's <em>end</em> is due, when all its samples would exist on a real capture device; the
/// first read therefore waits one frame duration. A reader that falls behind gets the overdue
/// frames at once, still on the sample schedule (audio timestamps never jump: a gap would be an
/// audible glitch at the sink). Unpaced reads return at once.</para>
/// </remarks>
public interface IAudioSource : IAsyncDisposable
{
    /// <summary>What the source produces.</summary>
    AudioSourceInfo Info { get; }

    /// <summary>
    /// Waits for the next frame and returns it (the caller owns and disposes it); null at the end
    /// of a finite source.
    /// </summary>
    ValueTask<AudioFrame?> ReadFrameAsync(CancellationToken cancellationToken);
}
