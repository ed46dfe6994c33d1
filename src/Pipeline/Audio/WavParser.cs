using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Miraflow.Pipeline.Audio;

/// <summary>Where a WAV file's samples are and what they are.</summary>
/// <param name="SampleRate">Sample frames per second.</param>
/// <param name="Channels">Channels in the file (1 or 2).</param>
/// <param name="DataOffset">The file offset of the first sample.</param>
/// <param name="DataLength">The size of the samples in bytes (whole sample frames, not zero).</param>
internal readonly record struct WavLayout(int SampleRate, int Channels, long DataOffset, long DataLength)
{
    /// <summary>Bytes per sample frame.</summary>
    public int BlockAlign => Channels * AudioFrame.BytesPerSample;
}

/// <summary>
/// Reads the header of a RIFF/WAVE file as untrusted input: every chunk is bounds-checked
/// against the RIFF form before it is read, unknown chunks are skipped, odd-sized chunks are
/// followed by a pad byte.
/// </summary>
/// <remarks>
/// <code>
/// offset 0   "RIFF" | riff size (LE u32, bytes after this field) | "WAVE"
/// offset 12  chunk id (4 ASCII) | chunk size (LE u32) | body | pad byte when the size is odd
///            ... repeated up to 8 + riff size
///
/// "fmt " body (WAVEFORMATEX, 16 bytes, or WAVEFORMATEXTENSIBLE, 40):
///  0 wFormatTag (1 = PCM, 0xFFFE = extensible)   2 nChannels   4 nSamplesPerSec
///  8 nAvgBytesPerSec   12 nBlockAlign   14 wBitsPerSample
/// 16 cbSize (≥ 22)   18 wValidBitsPerSample   20 dwChannelMask   24 SubFormat GUID (16 bytes)
/// </code>
/// A missing pad byte after the last chunk, at the very end of the form, is tolerated.
/// </remarks>
internal static class WavParser
{
    private const int PcmTag = 1;
    private const int ExtensibleTag = 0xFFFE;

    /// <summary>KSDATAFORMAT_SUBTYPE_PCM, 00000001-0000-0010-8000-00aa00389b71, as stored (little-endian fields).</summary>
    private static ReadOnlySpan<byte> PcmSubFormat => [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    public static WavLayout Parse(SafeFileHandle file, string name)
    {
        long fileLength = RandomAccess.GetLength(file);
        Span<byte> riff = stackalloc byte[12];
        if (fileLength < riff.Length)
        {
            throw new WavFormatException(WavError.NotRiffWave, $"'{name}' is {fileLength} bytes, shorter than a RIFF/WAVE header.");
        }

        ReadExactly(file, riff, 0, name);
        if (!riff[..4].SequenceEqual("RIFF"u8) || !riff[8..].SequenceEqual("WAVE"u8))
        {
            throw new WavFormatException(WavError.NotRiffWave, $"'{name}' does not start with 'RIFF' .... 'WAVE'.");
        }

        long riffSize = BinaryPrimitives.ReadUInt32LittleEndian(riff[4..]);
        if (riffSize < 4 || riffSize > fileLength - 8)
        {
            throw new WavFormatException(WavError.RiffSizeBeyondFile, $"'{name}' claims a RIFF form of {riffSize} bytes, but {fileLength - 8} follow the size field.");
        }

        long end = 8 + riffSize;
        long offset = 12;
        Span<byte> chunk = stackalloc byte[8];
        Span<byte> format = stackalloc byte[40];
        int formatLength = -1;
        long dataOffset = -1, dataLength = 0;
        while (offset < end)
        {
            if (end - offset < chunk.Length)
            {
                throw new WavFormatException(WavError.TruncatedChunkHeader, $"'{name}' has {end - offset} bytes at offset {offset}, too few for a chunk header.");
            }

            ReadExactly(file, chunk, offset, name);
            ReadOnlySpan<byte> id = chunk[..4];
            long size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            long body = offset + chunk.Length;
            if (size > end - body)
            {
                throw new WavFormatException(WavError.ChunkBeyondFile, $"'{name}': the chunk '{Describe(id)}' at offset {offset} claims {size} bytes; only {end - body} remain in the RIFF form.");
            }

            if (id.SequenceEqual("fmt "u8))
            {
                if (formatLength >= 0)
                {
                    throw new WavFormatException(WavError.DuplicateChunk, $"'{name}' has a second 'fmt ' chunk at offset {offset}.");
                }

                formatLength = (int)Math.Min(size, format.Length);
                ReadExactly(file, format[..formatLength], body, name);
                formatLength = (int)Math.Min(size, int.MaxValue);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (dataOffset >= 0)
                {
                    throw new WavFormatException(WavError.DuplicateChunk, $"'{name}' has a second 'data' chunk at offset {offset}.");
                }

                dataOffset = body;
                dataLength = size;
            }

            offset = body + size + (size & 1);
        }

        if (formatLength < 0)
        {
            throw new WavFormatException(WavError.MissingFormat, $"'{name}' has no 'fmt ' chunk.");
        }

        (int sampleRate, int channels) = ParseFormat(format[..Math.Min(formatLength, format.Length)], formatLength, name);
        if (dataOffset < 0)
        {
            throw new WavFormatException(WavError.MissingData, $"'{name}' has no 'data' chunk.");
        }

        int blockAlign = channels * AudioFrame.BytesPerSample;
        if (dataLength % blockAlign != 0)
        {
            throw new WavFormatException(WavError.PartialSampleFrame, $"'{name}' has {dataLength} bytes of samples, not a whole number of {blockAlign}-byte sample frames.");
        }

        if (dataLength == 0)
        {
            throw new WavFormatException(WavError.NoSamples, $"'{name}' has an empty 'data' chunk.");
        }

        return new WavLayout(sampleRate, channels, dataOffset, dataLength);
    }

    /// <summary>Reads exactly <paramref name="destination"/>'s length at <paramref name="offset"/>; a short file is <see cref="WavError.Truncated"/>.</summary>
    public static void ReadExactly(SafeFileHandle file, Span<byte> destination, long offset, string name)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int read = RandomAccess.Read(file, destination[done..], offset + done);
            if (read <= 0)
            {
                throw new WavFormatException(WavError.Truncated, $"'{name}' ended at offset {offset + done}, inside what its header announced: it shrank after it was opened.");
            }

            done += read;
        }
    }

    private static (int SampleRate, int Channels) ParseFormat(ReadOnlySpan<byte> format, int size, string name)
    {
        if (size < 16)
        {
            throw new WavFormatException(WavError.FormatTooShort, $"'{name}': the 'fmt ' chunk holds {size} bytes; WAVEFORMAT needs 16.");
        }

        int tag = BinaryPrimitives.ReadUInt16LittleEndian(format);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(format[2..]);
        long sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(format[4..]);
        long byteRate = BinaryPrimitives.ReadUInt32LittleEndian(format[8..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(format[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(format[14..]);
        if (tag == ExtensibleTag)
        {
            if (size < 40 || BinaryPrimitives.ReadUInt16LittleEndian(format[16..]) < 22)
            {
                throw new WavFormatException(WavError.FormatTooShort, $"'{name}': a WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk needs 40 bytes with cbSize ≥ 22; it holds {size}.");
            }

            if (!format.Slice(24, 16).SequenceEqual(PcmSubFormat))
            {
                throw new WavFormatException(WavError.UnsupportedEncoding, $"'{name}' is WAVE_FORMAT_EXTENSIBLE with a subformat other than PCM.");
            }

            int validBits = BinaryPrimitives.ReadUInt16LittleEndian(format[18..]);
            if (validBits is not (0 or 16))
            {
                throw new WavFormatException(WavError.UnsupportedBitsPerSample, $"'{name}' has {validBits} valid bits per sample; only 16-bit PCM is read.");
            }
        }
        else if (tag != PcmTag)
        {
            throw new WavFormatException(WavError.UnsupportedEncoding, $"'{name}' has format tag 0x{tag:X4}; only PCM (1) and WAVE_FORMAT_EXTENSIBLE (0xFFFE) with PCM are read.");
        }

        if (bits != 16)
        {
            throw new WavFormatException(WavError.UnsupportedBitsPerSample, $"'{name}' has {bits}-bit samples; only 16-bit PCM is read.");
        }

        if (channels is not (1 or 2))
        {
            throw new WavFormatException(WavError.UnsupportedChannels, $"'{name}' has {channels} channels; 1 or 2 are read.");
        }

        if (sampleRate is not (44_100 or 48_000))
        {
            throw new WavFormatException(WavError.UnsupportedSampleRate, $"'{name}' is sampled at {sampleRate} Hz; WFD LPCM takes 44 100 or 48 000 Hz.");
        }

        if (blockAlign != channels * 2 || byteRate != sampleRate * blockAlign)
        {
            throw new WavFormatException(WavError.InconsistentFormat, $"'{name}': block alignment {blockAlign} and byte rate {byteRate} do not match {channels} channels of 16-bit samples at {sampleRate} Hz.");
        }

        return ((int)sampleRate, channels);
    }

    private static string Describe(ReadOnlySpan<byte> id)
    {
        Span<char> text = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            text[i] = id[i] is >= 0x20 and < 0x7F ? (char)id[i] : '?';
        }

        return new string(text);
    }
}
