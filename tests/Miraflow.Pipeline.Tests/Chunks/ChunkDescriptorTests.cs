using Miraflow.Pipeline.Chunks;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Tests.Chunks;

[Trait("Category", "unit")]
public sealed class ChunkDescriptorTests
{
    private static readonly ChunkDescriptor s_raw = new()
    {
        Payload = ChunkPayload.RawPicture,
        PixelFormat = PixelFormat.Nv12,
        Width = 64,
        Height = 32,
        LumaStride = 80,
        ChromaStride = 80,
        FirstRow = 0,
        RowCount = 32,
        PartCount = 1,
        CaptureTimestamp = 0x0102030405060708,
        Slot = 3,
        Offset = 16,
        Length = 80 * 48,
    };

    [Fact]
    public void Chunk_id_packs_frame_in_the_low_40_bits_and_part_in_the_high_24()
    {
        var id = new ChunkId(frameNumber: 101, partNumber: 2);

        Assert.Equal(101UL | (2UL << 40), id.Value);
        Assert.Equal((101UL, 2U), (new ChunkId(id.Value).FrameNumber, new ChunkId(id.Value).PartNumber));
        Assert.Equal((ChunkId.MaxFrameNumber, ChunkId.MaxPartNumber), (new ChunkId(ulong.MaxValue).FrameNumber, new ChunkId(ulong.MaxValue).PartNumber));
    }

    [Fact]
    public void Descriptor_layout_is_the_documented_one()
    {
        var bytes = new byte[ChunkDescriptor.Size];

        s_raw.Write(bytes);

        Assert.Equal(
            "4D464B50" + "0100" + "0100" + "48000000" + // 'MFKP', version 1, type 1, size 72
            "0100" + "0100" + "40000000" + "20000000" + // raw, NV12, 64×32
            "50000000" + "50000000" + "00000000" + "20000000" + "01000000" + "00000000" +
            "0807060504030201" + "03000000" + "10000000" + "000F0000" + "00000000",
            Convert.ToHexString(bytes));
    }

    [Fact]
    public void Reads_back_what_it_wrote()
    {
        var bytes = new byte[ChunkDescriptor.Size];
        s_raw.Write(bytes);

        Assert.Equal(KernelMessageError.None, ChunkDescriptor.TryRead(bytes, out ChunkDescriptor read, out _));
        Assert.Equal(s_raw, read);
    }

    [Theory]
    [InlineData(0, 0x00, KernelMessageError.BadMagic)]
    [InlineData(4, 0x02, KernelMessageError.UnsupportedVersion)]
    [InlineData(6, 0x10, KernelMessageError.WrongType)]
    [InlineData(8, 0x20, KernelMessageError.BadSize)]
    [InlineData(8, 0xFF, KernelMessageError.Truncated)]
    [InlineData(12, 0x07, KernelMessageError.BadField)]   // unknown payload
    [InlineData(16, 0x41, KernelMessageError.BadField)]   // odd width
    [InlineData(24, 0x20, KernelMessageError.BadField)]   // stride narrower than the row
    [InlineData(36, 0x22, KernelMessageError.BadField)]   // rows beyond the picture
    [InlineData(40, 0x00, KernelMessageError.BadField)]   // no parts
    [InlineData(65, 0x00, KernelMessageError.BadField)]   // length shorter than the picture
    public void Refuses_a_descriptor_with_one_bad_byte(int offset, byte value, KernelMessageError expected)
    {
        var bytes = new byte[ChunkDescriptor.Size];
        s_raw.Write(bytes);
        bytes[offset] = value;

        Assert.Equal(expected, ChunkDescriptor.TryRead(bytes, out _, out string? detail));
        Assert.False(string.IsNullOrEmpty(detail));
    }

    [Fact]
    public void Refuses_short_input() =>
        Assert.Equal(KernelMessageError.Truncated, ChunkDescriptor.TryRead(new byte[11], out _, out _));
}
