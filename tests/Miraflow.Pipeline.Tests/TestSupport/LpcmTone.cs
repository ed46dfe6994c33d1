using System.Buffers.Binary;

namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>
/// A test audio source: 16-bit little-endian interleaved stereo (what capture APIs deliver and
/// what <see cref="Ts.TsMuxer.WriteAudio"/> takes), a sine per channel at different pitches so a
/// channel swap or a byte-order slip shows up when the decoded samples are compared.
/// </summary>
internal sealed class LpcmTone(int sampleRate = 48_000, double leftHz = 440, double rightHz = 660, double amplitude = 0.25)
{
    /// <summary>Bytes per stereo 16-bit sample frame.</summary>
    public const int BytesPerSampleFrame = 4;

    public int SampleRate { get; } = sampleRate;

    /// <summary>Sample <paramref name="index"/> of channel 0 (left) or 1 (right).</summary>
    public short Sample(long index, int channel)
    {
        double hz = channel == 0 ? leftHz : rightHz;
        return (short)Math.Round(amplitude * short.MaxValue * Math.Sin(2 * Math.PI * hz * index / SampleRate));
    }

    /// <summary>The little-endian bytes of <paramref name="sampleFrames"/> stereo frames starting at <paramref name="firstSample"/>.</summary>
    public byte[] Frame(long firstSample, int sampleFrames)
    {
        var bytes = new byte[sampleFrames * BytesPerSampleFrame];
        for (int i = 0; i < sampleFrames; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 4), Sample(firstSample + i, 0));
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan((i * 4) + 2), Sample(firstSample + i, 1));
        }

        return bytes;
    }
}
