using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Miraflow.Pipeline.Ts;

/// <summary>
/// WFD LPCM in a PES packet (protocol doc §3.5): a 4-byte private header, then 16-bit
/// big-endian interleaved samples.
/// </summary>
/// <remarks>
/// <code>
/// A0 | frames | 00 | qq fff ccc
///  |     |      |    qq  quantisation (00 = 16 bit)
///  |     |      |    fff sampling frequency (010 = 48 kHz, 001 = 44.1 kHz)
///  |     |      |    ccc channel assignment (001 = stereo)
///  |     |      reserved / emphasis off
///  |     number_of_frame_header: 80-sample audio frames that start in this PES
///  sub_stream_id
/// </code>
/// 16-bit 48 kHz stereo gives <c>A0 06 00 11</c> for Android's 10 ms packets (480 sample
/// frames, 1920 bytes).
/// </remarks>
public static class LpcmAudio
{
    /// <summary>The size of the private header.</summary>
    public const int HeaderSize = 4;

    /// <summary>Sample frames per LPCM audio frame.</summary>
    public const int SamplesPerAudioFrame = 80;

    /// <summary>Bytes per stereo 16-bit sample frame.</summary>
    public const int BytesPerSampleFrame = 4;

    /// <summary>Writes the 4-byte header for <paramref name="sampleFrames"/> stereo 16-bit sample frames.</summary>
    public static void WriteHeader(Span<byte> destination, int sampleRate, int sampleFrames)
    {
        int audioFrames = Math.Clamp((sampleFrames + SamplesPerAudioFrame - 1) / SamplesPerAudioFrame, 1, 255);
        int frequency = sampleRate == 44_100 ? 1 : 2;
        destination[3] = (byte)((frequency << 3) | 0x01);
        destination[2] = 0x00;
        destination[1] = (byte)audioFrames;
        destination[0] = 0xA0;
    }

    /// <summary>
    /// Copies 16-bit little-endian samples (the order capture APIs give) into network byte
    /// order. Both spans have the same, even, length.
    /// </summary>
    public static void CopyToBigEndian(ReadOnlySpan<byte> littleEndian, Span<byte> destination)
    {
        ReadOnlySpan<short> source = MemoryMarshal.Cast<byte, short>(littleEndian);
        Span<short> target = MemoryMarshal.Cast<byte, short>(destination);
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(source, target);
        }
        else
        {
            source.CopyTo(target);
        }
    }
}
