using System.Buffers.Binary;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Chunks;

/// <summary>What a chunk carries.</summary>
public enum ChunkPayload : ushort
{
    /// <summary>A colour-converted raw picture (or rows of one).</summary>
    RawPicture = 1,

    /// <summary>H.264 Annex-B bitstream from a GPU encoder.</summary>
    Bitstream = 2,
}

/// <summary>
/// The chunk private data of the reference kernel-driver protocol (type 1, 72 bytes,
/// docs/kernel-protocol.md): what a chunk holds and where in the frame store it lies.
/// </summary>
/// <remarks>
/// <code>
///  0 header (12)        12 Payload u16   14 PixelFormat u16  16 Width    20 Height
/// 24 LumaStride         28 ChromaStride  32 FirstRow         36 RowCount 40 PartCount
/// 44 Flags (bit 0 IDR)  48 CaptureTime i64 (QPC ticks)       56 Slot     60 Offset
/// 64 Length             68 reserved
/// </code>
/// </remarks>
public readonly record struct ChunkDescriptor
{
    /// <summary>The size of a version-1 descriptor.</summary>
    public const int Size = 72;

    /// <summary>The largest number of parts in one frame.</summary>
    public const int MaxPartCount = 1024;

    /// <summary>What the chunk carries.</summary>
    public ChunkPayload Payload { get; init; }

    /// <summary>The raw picture's layout (raw pictures only).</summary>
    public PixelFormat PixelFormat { get; init; }

    /// <summary>Picture width.</summary>
    public int Width { get; init; }

    /// <summary>Picture height.</summary>
    public int Height { get; init; }

    /// <summary>Bytes per Y row in the slot (raw pictures).</summary>
    public int LumaStride { get; init; }

    /// <summary>Bytes per chroma row in the slot (raw pictures).</summary>
    public int ChromaStride { get; init; }

    /// <summary>The first luma row this part covers (raw pictures).</summary>
    public int FirstRow { get; init; }

    /// <summary>The luma rows this part covers (raw pictures).</summary>
    public int RowCount { get; init; }

    /// <summary>Parts in this frame (at least 1).</summary>
    public int PartCount { get; init; }

    /// <summary>Whether the bitstream part belongs to an IDR picture.</summary>
    public bool IsIdr { get; init; }

    /// <summary>Capture time of the desktop frame, in the timestamp units of the session clock's provider (QPC on Windows).</summary>
    public long CaptureTimestamp { get; init; }

    /// <summary>The frame-store slot holding the bytes.</summary>
    public int Slot { get; init; }

    /// <summary>Where the bytes start in the slot.</summary>
    public int Offset { get; init; }

    /// <summary>How many bytes.</summary>
    public int Length { get; init; }

    /// <summary>The bytes of a whole raw picture with this geometry.</summary>
    public long PictureBytes => ((long)LumaStride * Height) + ((PixelFormat == PixelFormat.I420 ? 2L : 1L) * ChromaStride * (Height / 2));

    /// <summary>Reads and checks a descriptor; on failure <paramref name="detail"/> says why.</summary>
    public static KernelMessageError TryRead(ReadOnlySpan<byte> data, out ChunkDescriptor descriptor, out string? detail)
    {
        descriptor = default;
        detail = null;
        KernelMessageError error = KernelMessage.CheckHeader(data, KernelMessageType.ChunkDescriptor, Size, out _);
        if (error != KernelMessageError.None)
        {
            detail = $"chunk private data: {error}";
            return error;
        }

        ushort payload = BinaryPrimitives.ReadUInt16LittleEndian(data[12..]);
        ushort format = BinaryPrimitives.ReadUInt16LittleEndian(data[14..]);
        descriptor = new ChunkDescriptor
        {
            Payload = (ChunkPayload)payload,
            PixelFormat = format == 1 ? PixelFormat.Nv12 : PixelFormat.I420,
            Width = ReadInt(data, 16),
            Height = ReadInt(data, 20),
            LumaStride = ReadInt(data, 24),
            ChromaStride = ReadInt(data, 28),
            FirstRow = ReadInt(data, 32),
            RowCount = ReadInt(data, 36),
            PartCount = ReadInt(data, 40),
            IsIdr = (BinaryPrimitives.ReadUInt32LittleEndian(data[44..]) & 1) != 0,
            CaptureTimestamp = BinaryPrimitives.ReadInt64LittleEndian(data[48..]),
            Slot = ReadInt(data, 56),
            Offset = ReadInt(data, 60),
            Length = ReadInt(data, 64),
        };

        detail = descriptor.Check(format);
        return detail is null ? KernelMessageError.None : KernelMessageError.BadField;
    }

    /// <summary>Writes the descriptor (the kernel-driver emulator's side).</summary>
    public void Write(Span<byte> destination)
    {
        KernelMessage.WriteHeader(destination, KernelMessageType.ChunkDescriptor, Size);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[12..], (ushort)Payload);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[14..], Payload == ChunkPayload.RawPicture ? (PixelFormat == PixelFormat.Nv12 ? (ushort)1 : (ushort)2) : (ushort)0);
        WriteInt(destination, 16, Width);
        WriteInt(destination, 20, Height);
        WriteInt(destination, 24, LumaStride);
        WriteInt(destination, 28, ChromaStride);
        WriteInt(destination, 32, FirstRow);
        WriteInt(destination, 36, RowCount);
        WriteInt(destination, 40, PartCount);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[44..], IsIdr ? 1u : 0u);
        BinaryPrimitives.WriteInt64LittleEndian(destination[48..], CaptureTimestamp);
        WriteInt(destination, 56, Slot);
        WriteInt(destination, 60, Offset);
        WriteInt(destination, 64, Length);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[68..], 0);
    }

    private string? Check(ushort format)
    {
        if (Payload is not (ChunkPayload.RawPicture or ChunkPayload.Bitstream))
        {
            return $"unknown payload kind {(ushort)Payload}";
        }

        if (Width is <= 0 or > 8192 || Height is <= 0 or > 8192 || (Width & 1) != 0 || (Height & 1) != 0)
        {
            return $"picture size {Width}×{Height} is not even and at most 8192×8192";
        }

        if (PartCount is < 1 or > MaxPartCount)
        {
            return $"part count {PartCount} is not 1 to {MaxPartCount}";
        }

        if (Slot < 0 || Offset < 0 || Length <= 0)
        {
            return $"slot {Slot}, offset {Offset}, length {Length}: negative or empty";
        }

        if (Payload == ChunkPayload.Bitstream)
        {
            return null;
        }

        if (format is not (1 or 2))
        {
            return $"unknown pixel format {format}";
        }

        int minChroma = PixelFormat == PixelFormat.I420 ? Width / 2 : Width;
        if (LumaStride < Width || ChromaStride < minChroma)
        {
            return $"strides {LumaStride}/{ChromaStride} are narrower than a {Width}-pixel {PixelFormat} row";
        }

        if (RowCount < 2 || (FirstRow & 1) != 0 || (RowCount & 1) != 0 || FirstRow < 0 || (long)FirstRow + RowCount > Height)
        {
            return $"rows {FirstRow}+{RowCount} are not an even range within {Height}";
        }

        return Length < PictureBytes ? $"length {Length} is less than the {PictureBytes} bytes of the picture" : null;
    }

    private static int ReadInt(ReadOnlySpan<byte> data, int offset)
    {
        uint value = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
        return value > int.MaxValue ? -1 : (int)value;
    }

    private static void WriteInt(Span<byte> data, int offset, int value) =>
        BinaryPrimitives.WriteUInt32LittleEndian(data[offset..], (uint)value);
}
