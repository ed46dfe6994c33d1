using Miraflow.Exports.Interop;

namespace Miraflow.Exports.Tests.Interop;

/// <summary>
/// The bit-field accessors of <see cref="MIRACAST_CHUNK_ID"/> (40/24) and
/// <see cref="MIRACAST_SESSION_INFO"/> (1/1/30), at their exact boundaries.
/// </summary>
[Trait("Category", "unit")]
public sealed class BitFieldTests
{
    private const ulong FrameMask = 0xFF_FFFF_FFFFUL;   // 40 bits
    private const ulong PartMask = 0xFF_FFFFUL;         // 24 bits

    [Fact]
    public void Chunk_id_splits_its_value_40_24_from_the_least_significant_bit()
    {
        var id = new MIRACAST_CHUNK_ID { Value = 0xABCD_EF12_3456_789AUL };

        Assert.Equal(0x12_3456_789AUL, id.FrameNumber);
        Assert.Equal(0xAB_CDEFUL, id.PartNumber);
        Assert.Equal(id.Value, id.Anonymous._bitfield);
    }

    [Fact]
    public void Chunk_id_composes_value_as_frame_or_part_shifted_by_40()
    {
        const ulong frame = 1_099_511_627_775;   // the largest 40-bit number
        const ulong part = 16_777_215;           // the largest 24-bit number

        var id = new MIRACAST_CHUNK_ID { FrameNumber = frame, PartNumber = part };
        Assert.Equal(ulong.MaxValue, id.Value);

        id = new MIRACAST_CHUNK_ID { FrameNumber = 7, PartNumber = 3 };
        Assert.Equal(7UL | (3UL << 40), id.Value);
    }

    [Theory]
    [InlineData(0UL, 0UL)]
    [InlineData(1UL, 0UL)]
    [InlineData(0UL, 1UL)]
    [InlineData(FrameMask, 0UL)]
    [InlineData(0UL, PartMask)]
    [InlineData(0x80_0000_0000UL, 0x80_0000UL)]   // the top bit of each field
    [InlineData(123_456_789UL, 42UL)]
    public void Chunk_id_round_trips_through_value(ulong frame, ulong part)
    {
        var written = new MIRACAST_CHUNK_ID { FrameNumber = frame, PartNumber = part };
        var read = new MIRACAST_CHUNK_ID { Value = written.Value };

        Assert.Equal(frame, read.FrameNumber);
        Assert.Equal(part, read.PartNumber);
    }

    [Fact]
    public void Chunk_id_setters_keep_only_their_bits_and_leave_the_other_field_alone()
    {
        var id = new MIRACAST_CHUNK_ID { PartNumber = 0x12_3456UL };
        id.FrameNumber = ulong.MaxValue;                       // 64 bits into a 40-bit field
        Assert.Equal(FrameMask, id.FrameNumber);
        Assert.Equal(0x12_3456UL, id.PartNumber);

        id.FrameNumber = FrameMask + 1;                        // bit 40 only: stores 0
        Assert.Equal(0UL, id.FrameNumber);
        Assert.Equal(0x12_3456UL, id.PartNumber);

        id = new MIRACAST_CHUNK_ID { FrameNumber = 0x12_3456_789AUL };
        id.PartNumber = ulong.MaxValue;                        // 64 bits into a 24-bit field
        Assert.Equal(PartMask, id.PartNumber);
        Assert.Equal(0x12_3456_789AUL, id.FrameNumber);

        id.PartNumber = PartMask + 1;                          // bit 24 only: stores 0
        Assert.Equal(0UL, id.PartNumber);
        Assert.Equal(0x12_3456_789AUL, id.FrameNumber);
    }

    [Fact]
    public void Session_info_bits_sit_at_their_masks()
    {
        Assert.Equal(0x1u, new MIRACAST_SESSION_INFO { MonitorConnected = 1 }.Value);
        Assert.Equal(0x2u, new MIRACAST_SESSION_INFO { ReducedModeListDueToBandwidth = 1 }.Value);
        Assert.Equal(0x4u, new MIRACAST_SESSION_INFO { Reserved = 1 }.Value);
        Assert.Equal(0xFFFF_FFFCu, new MIRACAST_SESSION_INFO { Reserved = 0x3FFF_FFFFu }.Value);

        var all = new MIRACAST_SESSION_INFO { Value = uint.MaxValue };
        Assert.Equal(1u, all.MonitorConnected);
        Assert.Equal(1u, all.ReducedModeListDueToBandwidth);
        Assert.Equal(0x3FFF_FFFFu, all.Reserved);
    }

    [Fact]
    public void Session_info_setters_keep_only_their_bits_and_leave_the_others_alone()
    {
        var info = new MIRACAST_SESSION_INFO { Value = 0xFFFF_FFFCu };   // Reserved all ones
        info.MonitorConnected = 0xFFFF_FFFFu;
        Assert.Equal(0xFFFF_FFFDu, info.Value);

        info.ReducedModeListDueToBandwidth = 2;                            // bit 1 of 2 is 0
        Assert.Equal(0u, info.ReducedModeListDueToBandwidth);
        Assert.Equal(0xFFFF_FFFDu, info.Value);

        info.Reserved = 0;
        Assert.Equal(0x1u, info.Value);
    }
}
