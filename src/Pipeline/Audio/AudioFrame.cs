using System.Buffers;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Audio;

/// <summary>
/// A block of raw audio in one pooled buffer: 16-bit little-endian signed samples, channels
/// interleaved (what capture APIs deliver and what <see cref="Ts.TsMuxer.WriteAudio"/> takes).
/// </summary>
/// <remarks>
/// <code>
/// stereo: | L0 lo | L0 hi | R0 lo | R0 hi | L1 lo | L1 hi | R1 lo | R1 hi | ...
///         |<-------- sample frame 0 ----->|<-------- sample frame 1 ----->|
/// </code>
/// <see cref="MediaFrame.CaptureTime"/> is the time of the first sample frame and
/// <see cref="MediaFrame.FrameNumber"/> the running index of the frame in its source. Rent frames
/// from an <see cref="AudioFramePool"/>; <see cref="MediaFrame.Dispose"/> returns them.
/// </remarks>
public sealed class AudioFrame : MediaFrame
{
    /// <summary>Bytes per sample (16-bit PCM).</summary>
    public const int BytesPerSample = 2;

    private readonly AudioFramePool? _pool;
    private byte[] _buffer;

    internal AudioFrame(AudioFramePool? pool, int sampleRate, int channels, int sampleFrames)
    {
        _pool = pool;
        SampleRate = sampleRate;
        Channels = channels;
        SampleFrames = sampleFrames;
        Length = sampleFrames * channels * BytesPerSample;
        _buffer = ArrayPool<byte>.Shared.Rent(Length);
    }

    /// <summary>Sample frames per second.</summary>
    public int SampleRate { get; }

    /// <summary>Interleaved channels (1 or 2).</summary>
    public int Channels { get; }

    /// <summary>Sample frames (one sample per channel each) in the frame.</summary>
    public int SampleFrames { get; }

    /// <summary>The size of the samples in bytes: <see cref="SampleFrames"/> × <see cref="Channels"/> × 2.</summary>
    public int Length { get; }

    /// <summary>The samples: 16-bit little-endian, interleaved.</summary>
    public Span<byte> Data => _buffer.AsSpan(0, Length);

    /// <summary>The samples as memory.</summary>
    public Memory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>The time the frame's samples cover.</summary>
    public TimeSpan Duration => MediaTime.FromSampleIndex(SampleFrames, SampleRate).ToTimeSpan();

    /// <summary>Creates a frame outside any pool (for tools and tests); disposing it frees its buffer.</summary>
    public static AudioFrame Create(int sampleRate, int channels, int sampleFrames)
    {
        AudioFormat.Validate(sampleRate, channels, sampleFrames);
        var frame = new AudioFrame(null, sampleRate, channels, sampleFrames);
        frame.Lease();
        return frame;
    }

    internal void Lease() => MarkLeased();

    private protected override void Release()
    {
        if (_pool is null || !_pool.Return(this))
        {
            byte[] buffer = _buffer;
            _buffer = [];
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
