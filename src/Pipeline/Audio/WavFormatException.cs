namespace Miraflow.Pipeline.Audio;

/// <summary>Why a WAV file was refused.</summary>
public enum WavError
{
    /// <summary>The file does not start with a RIFF header (<c>RIFF</c>, size, <c>WAVE</c>), or is shorter than one.</summary>
    NotRiffWave,

    /// <summary>The RIFF size claims more bytes than the file holds, or fewer than the form type.</summary>
    RiffSizeBeyondFile,

    /// <summary>A chunk header is cut off by the end of the RIFF form.</summary>
    TruncatedChunkHeader,

    /// <summary>A chunk's size reaches beyond the end of the RIFF form.</summary>
    ChunkBeyondFile,

    /// <summary>No <c>fmt </c> chunk.</summary>
    MissingFormat,

    /// <summary>No <c>data</c> chunk.</summary>
    MissingData,

    /// <summary>A second <c>fmt </c> or <c>data</c> chunk.</summary>
    DuplicateChunk,

    /// <summary>The <c>fmt </c> chunk is shorter than its format needs (16 bytes; 40 for WAVE_FORMAT_EXTENSIBLE).</summary>
    FormatTooShort,

    /// <summary>The format tag is neither PCM (1) nor WAVE_FORMAT_EXTENSIBLE (0xFFFE), or the extensible subformat is not PCM.</summary>
    UnsupportedEncoding,

    /// <summary>Samples are not 16-bit.</summary>
    UnsupportedBitsPerSample,

    /// <summary>Neither 1 nor 2 channels.</summary>
    UnsupportedChannels,

    /// <summary>Neither 44 100 nor 48 000 Hz.</summary>
    UnsupportedSampleRate,

    /// <summary>The block alignment or byte rate contradicts the channels, rate and sample size.</summary>
    InconsistentFormat,

    /// <summary>The data size is not a whole number of sample frames (blocks).</summary>
    PartialSampleFrame,

    /// <summary>The data chunk holds no samples.</summary>
    NoSamples,

    /// <summary>The file ended before the samples its header announced (it shrank after it was opened).</summary>
    Truncated,
}

/// <summary>
/// A WAV file that cannot be read: malformed, or in a format the source does not take. An
/// <see cref="IOException"/> (<see cref="InvalidDataException"/> is sealed), so code that handles
/// unreadable files catches it.
/// </summary>
public sealed class WavFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    public WavFormatException(WavError reason, string message)
        : base(message) => Reason = reason;

    /// <summary>Creates the exception without a reason (<see cref="WavError.NotRiffWave"/>).</summary>
    public WavFormatException()
        : this(WavError.NotRiffWave, "The file is not a RIFF/WAVE file.")
    {
    }

    /// <summary>Creates the exception without a reason (<see cref="WavError.NotRiffWave"/>).</summary>
    public WavFormatException(string message)
        : this(WavError.NotRiffWave, message)
    {
    }

    /// <summary>Creates the exception without a reason (<see cref="WavError.NotRiffWave"/>).</summary>
    public WavFormatException(string message, Exception innerException)
        : base(message, innerException) => Reason = WavError.NotRiffWave;

    /// <summary>Why the file was refused.</summary>
    public WavError Reason { get; }
}
