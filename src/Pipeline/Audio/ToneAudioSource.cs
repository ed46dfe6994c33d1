using System.Buffers.Binary;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;

namespace Miraflow.Pipeline.Audio;

/// <summary>
/// A test tone: a sine on each channel of 16-bit stereo PCM, by default 1 kHz left and 1.5 kHz
/// right at a quarter of full scale, so a swapped channel or byte order shows up at the sink.
/// </summary>
/// <remarks>
/// <para>Sample i of a channel at f Hz is
/// <c>round(amplitude × 32767 × sin(2π × ((f × i) mod rate) / rate))</c>: it depends only on i,
/// so the tone is phase-continuous across frames and two sources give identical samples.
/// Frequencies are whole hertz, which makes each channel periodic in rate / gcd(f, rate) samples;
/// one period is computed once, so a frame costs a table copy.</para>
/// <para>Timestamps and pacing follow <see cref="IAudioSource"/>. Once the pool is warm a read
/// allocates nothing but, when it waits, the <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>.
/// One reader at a time.</para>
/// </remarks>
public sealed class ToneAudioSource : IAudioSource, IPacedAudioSource
{
    /// <summary>The default left-channel frequency.</summary>
    public const int DefaultLeftHz = 1_000;

    /// <summary>The default right-channel frequency.</summary>
    public const int DefaultRightHz = 1_500;

    /// <summary>The default amplitude (−12 dBFS).</summary>
    public const double DefaultAmplitude = 0.25;

    private readonly AudioPacer _pacer;
    private readonly AudioFramePool _pool;
    private readonly short[] _left;
    private readonly short[] _right;
    private bool _disposed;

    /// <summary>Creates a tone source.</summary>
    /// <param name="clock">The session's clock: timestamps and pacing.</param>
    /// <param name="sampleRate">48 000 or 44 100 (the WFD LPCM rates).</param>
    /// <param name="leftHz">Left-channel frequency, whole hertz, 1 to rate / 2.</param>
    /// <param name="rightHz">Right-channel frequency, whole hertz, 1 to rate / 2.</param>
    /// <param name="amplitude">Peak level as a fraction of full scale, 0 to 1.</param>
    /// <param name="samplesPerFrame">Sample frames per frame; 0 for 10 ms (480 at 48 kHz, 441 at 44.1 kHz).</param>
    /// <param name="pacing">Real time, or as fast as read.</param>
    /// <param name="pool">Where frames come from; one of this format and size is created when null.</param>
    public ToneAudioSource(
        MediaClock clock,
        int sampleRate = 48_000,
        int leftHz = DefaultLeftHz,
        int rightHz = DefaultRightHz,
        double amplitude = DefaultAmplitude,
        int samplesPerFrame = 0,
        FramePacing pacing = FramePacing.RealTime,
        AudioFramePool? pool = null)
    {
        if (sampleRate is not (48_000 or 44_100))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "WFD LPCM is 48 000 or 44 100 Hz.");
        }

        CheckFrequency(leftHz, sampleRate, nameof(leftHz));
        CheckFrequency(rightHz, sampleRate, nameof(rightHz));
        if (!double.IsFinite(amplitude) || amplitude is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(amplitude), amplitude, "The amplitude is a fraction of full scale, 0 to 1.");
        }

        samplesPerFrame = AudioFormat.ResolveFrameSize(sampleRate, 2, samplesPerFrame);
        _pacer = new AudioPacer(clock, sampleRate, samplesPerFrame, pacing);
        _pool = pool ?? new AudioFramePool(sampleRate, 2, samplesPerFrame);
        if (_pool.SampleRate != sampleRate || _pool.Channels != 2 || _pool.SampleFrames != samplesPerFrame)
        {
            throw new ArgumentException($"The pool makes {_pool.SampleFrames}-sample {_pool.Channels}-channel {_pool.SampleRate} Hz frames, not {samplesPerFrame}-sample stereo {sampleRate} Hz.", nameof(pool));
        }

        _left = Period(leftHz, sampleRate, amplitude);
        _right = Period(rightHz, sampleRate, amplitude);
        Info = new AudioSourceInfo(sampleRate, 2, samplesPerFrame);
    }

    /// <inheritdoc/>
    public AudioSourceInfo Info { get; }

    /// <summary>Frames delivered so far.</summary>
    public long FramesRead => _pacer.NextIndex;

    /// <summary>Sample <paramref name="index"/> of channel 0 (left) or 1 (right), as the frames carry it.</summary>
    public short Sample(long index, int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        short[] period = channel switch
        {
            0 => _left,
            1 => _right,
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "The tone is stereo: channel 0 or 1."),
        };
        return period[(int)(index % period.Length)];
    }

    /// <inheritdoc/>
    /// <remarks>Never ends: the result is never null. A read that needs no wait completes synchronously, without an async state machine.</remarks>
    public ValueTask<AudioFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        return _pacer.ReadAsync(this, cancellationToken);
    }

    /// <inheritdoc/>
    void IPacedAudioSource.ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <inheritdoc/>
    AudioFrame? IPacedAudioSource.NextFrame()
    {
        MediaTime start = _pacer.Take(out long index);
        AudioFrame frame = _pool.Rent();
        long first = index * Info.SamplesPerFrame;
        int left = (int)(first % _left.Length);
        int right = (int)(first % _right.Length);
        Span<byte> data = frame.Data;
        for (int i = 0; i < data.Length; i += 4)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data[i..], _left[left]);
            BinaryPrimitives.WriteInt16LittleEndian(data[(i + 2)..], _right[right]);
            if (++left == _left.Length)
            {
                left = 0;
            }

            if (++right == _right.Length)
            {
                right = 0;
            }
        }

        frame.CaptureTime = start;
        frame.FrameNumber = (ulong)index;
        frame.PartNumber = 0;
        return frame;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private static void CheckFrequency(int hz, int sampleRate, string name)
    {
        if (hz < 1 || hz > sampleRate / 2)
        {
            throw new ArgumentOutOfRangeException(name, hz, $"A tone at {sampleRate} Hz is 1 to {sampleRate / 2} Hz (Nyquist).");
        }
    }

    /// <summary>One period of the tone: rate / gcd(f, rate) samples.</summary>
    private static short[] Period(int hz, int sampleRate, double amplitude)
    {
        int a = hz, b = sampleRate;
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        var period = new short[sampleRate / a];
        double peak = amplitude * short.MaxValue;
        for (int i = 0; i < period.Length; i++)
        {
            long phase = (long)hz * i % sampleRate;
            period[i] = (short)Math.Round(peak * Math.Sin(2 * Math.PI * phase / sampleRate));
        }

        return period;
    }
}
