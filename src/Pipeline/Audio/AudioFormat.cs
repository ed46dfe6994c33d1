using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Audio;

/// <summary>The checks shared by audio frames, pools and sources.</summary>
internal static class AudioFormat
{
    /// <summary>The lowest sample rate accepted.</summary>
    public const int MinSampleRate = 8_000;

    /// <summary>The highest sample rate accepted.</summary>
    public const int MaxSampleRate = 192_000;

    /// <summary>The largest frame in sample frames for <paramref name="channels"/> channels: what one LPCM PES can carry.</summary>
    public static int MaxSampleFrames(int channels) => TsMuxer.MaxAudioFrameSize / (channels * AudioFrame.BytesPerSample);

    public static void Validate(int sampleRate, int channels, int sampleFrames)
    {
        if (sampleRate is < MinSampleRate or > MaxSampleRate)
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"The sample rate must be {MinSampleRate} to {MaxSampleRate} Hz.");
        }

        if (channels is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "Audio frames hold 1 or 2 channels.");
        }

        if (sampleFrames <= 0 || sampleFrames > MaxSampleFrames(channels))
        {
            throw new ArgumentOutOfRangeException(
                nameof(sampleFrames),
                sampleFrames,
                $"A frame holds 1 to {MaxSampleFrames(channels)} sample frames ({TsMuxer.MaxAudioFrameSize} bytes, one LPCM PES) of {channels}-channel 16-bit audio.");
        }
    }

    /// <summary>
    /// The sample frames per frame: <paramref name="samplesPerFrame"/>, or 10 ms' worth (Android's
    /// LPCM packet) when it is 0; validated.
    /// </summary>
    public static int ResolveFrameSize(int sampleRate, int channels, int samplesPerFrame)
    {
        if (samplesPerFrame == 0)
        {
            if (sampleRate % 100 != 0)
            {
                throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "10 ms is not a whole number of sample frames at this rate; give the frame size.");
            }

            samplesPerFrame = sampleRate / 100;
        }

        Validate(sampleRate, channels, samplesPerFrame);
        return samplesPerFrame;
    }
}
