namespace Miraflow.Pipeline.Chunks;

/// <summary>
/// The identity of a chunk: <c>MIRACAST_CHUNK_ID</c>, a 40-bit frame number and a 24-bit part
/// number in one 64-bit value (contract doc §1.3; MSVC allocates bit-fields from bit 0).
/// </summary>
/// <remarks>
/// <code>
///  63                40 39                                       0
/// +--------------------+------------------------------------------+
/// |  PartNumber (24)   |            FrameNumber (40)              |
/// +--------------------+------------------------------------------+
/// </code>
/// All chunks of a desktop frame share its frame number; the last part of a frame is part 0.
/// </remarks>
public readonly record struct ChunkId(ulong Value)
{
    /// <summary>The largest frame number (2^40 − 1).</summary>
    public const ulong MaxFrameNumber = (1UL << 40) - 1;

    /// <summary>The largest part number (2^24 − 1).</summary>
    public const uint MaxPartNumber = (1U << 24) - 1;

    /// <summary>Composes an identity.</summary>
    public ChunkId(ulong frameNumber, uint partNumber)
        : this((frameNumber & MaxFrameNumber) | ((ulong)(partNumber & MaxPartNumber) << 40))
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frameNumber, MaxFrameNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(partNumber, MaxPartNumber);
    }

    /// <summary>The desktop frame.</summary>
    public ulong FrameNumber => Value & MaxFrameNumber;

    /// <summary>The part within the frame; 0 is the last part.</summary>
    public uint PartNumber => (uint)(Value >> 40);

    /// <inheritdoc/>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"frame {FrameNumber} part {PartNumber}");
}
