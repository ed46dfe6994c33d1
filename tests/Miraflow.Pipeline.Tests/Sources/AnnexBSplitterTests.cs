using Miraflow.Pipeline.Sources;
using static Miraflow.Pipeline.Tests.Sources.H264TestStreams;

namespace Miraflow.Pipeline.Tests.Sources;

[Trait("Category", "unit")]
public sealed class AnnexBSplitterTests
{
    [Fact]
    public void A_slice_with_first_mb_zero_after_a_picture_starts_the_next_unit()
    {
        byte[] sps = BaselineSps(20, 15);
        byte[] idr0 = Slice(idr: true, 0), idr1 = Slice(idr: true, 150);
        byte[] p0 = Slice(idr: false, 0), p1 = Slice(idr: false, 150), p2 = Slice(idr: false, 299);
        byte[] stream = Concat(sps, Pps, Sei, idr0, idr1, p0, p1, p2, p0);

        List<AccessUnitRange> units = AccessUnitSplitter.Split(stream);

        Assert.Equal(
            [
                new AccessUnitRange(0, sps.Length + Pps.Length + Sei.Length + idr0.Length + idr1.Length, true),
                new AccessUnitRange(stream.Length - (2 * p0.Length) - p1.Length - p2.Length, p0.Length + p1.Length + p2.Length, false),
                new AccessUnitRange(stream.Length - p0.Length, p0.Length, false),
            ],
            units);
    }

    [Fact]
    public void Delimiters_parameter_sets_and_SEI_after_a_picture_start_the_next_unit()
    {
        byte[] sps = BaselineSps(20, 15);
        byte[][] parts =
        [
            Aud, sps, Pps, Slice(true, 0),           // AU 0: starts at the stream's first byte
            Aud, Slice(false, 0),                    // AU 1: the delimiter starts it
            Sei, Slice(false, 0),                    // AU 2: SEI after a picture
            sps, Pps, Slice(true, 0), Slice(true, 5), // AU 3: SPS after a picture; second slice stays
            Pps, Slice(false, 0), [0, 0, 0, 1, 0x0B], // AU 4: PPS starts it; end of stream stays with it
        ];
        byte[] stream = Concat(parts);

        List<AccessUnitRange> units = AccessUnitSplitter.Split(stream);

        int[] expectedLengths =
        [
            Aud.Length + sps.Length + Pps.Length + parts[3].Length,
            Aud.Length + parts[5].Length,
            Sei.Length + parts[7].Length,
            sps.Length + Pps.Length + parts[10].Length + parts[11].Length,
            Pps.Length + parts[13].Length + 5,
        ];
        Assert.Equal(expectedLengths, units.Select(u => u.Length));
        Assert.Equal([true, false, false, true, false], units.Select(u => u.IsIdr));
        AssertCoversStream(units, stream.Length);
    }

    [Fact]
    public void Bytes_before_the_first_start_code_and_trailing_SEI_stay_in_the_outer_units()
    {
        byte[] stream = Concat([0xFF, 0x00], Slice(true, 0), Slice(false, 0), Sei);

        List<AccessUnitRange> units = AccessUnitSplitter.Split(stream);

        Assert.Equal(2, units.Count);
        Assert.Equal(0, units[0].Start);
        Assert.Equal(stream.Length, units[1].Start + units[1].Length);
        AssertCoversStream(units, stream.Length);
    }

    [Fact]
    public void First_mb_in_slice_is_read_through_emulation_prevention()
    {
        // first_mb_in_slice = 0 is the single bit 1; 2^22 - 1 is 22 zero bits, a one and 22 more
        // bits, so its bytes start 00 00 02 and are escaped to 00 00 03 02: it must read back as
        // 4194303, not as 0 (a new picture) or garbage.
        byte[] big = Slice(false, 4_194_303);
        Assert.Equal([0, 0, 3, 2], big.AsSpan(5, 4).ToArray());
        Assert.True(H264Syntax.TryReadFirstMbInSlice(big.AsSpan(4), out uint firstMb));
        Assert.Equal(4_194_303u, firstMb);

        byte[] stream = Concat(Slice(true, 0), big, Slice(false, 0));
        Assert.Equal(2, AccessUnitSplitter.Split(stream).Count);
    }

    [Fact]
    public void Streams_without_start_codes_or_slices_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => AccessUnitSplitter.Split(new byte[100]));
        Assert.Throws<InvalidDataException>(() => AccessUnitSplitter.Split(Concat(BaselineSps(20, 15), Pps)));
    }

    [Theory]
    [InlineData(20u, 15u, 0u, 320, 240)]
    [InlineData(80u, 45u, 0u, 1280, 720)]
    [InlineData(120u, 68u, 4u, 1920, 1080)]
    [InlineData(1u, 1u, 0u, 16, 16)]
    public void The_picture_size_comes_from_the_SPS(uint widthInMbs, uint heightInMbs, uint cropBottom, int width, int height)
    {
        byte[] sps = BaselineSps(widthInMbs, heightInMbs, cropBottom);

        Assert.True(H264Syntax.TryReadPictureSize(sps.AsSpan(4), out int actualWidth, out int actualHeight));
        Assert.Equal((width, height), (actualWidth, actualHeight));
        Assert.False(H264Syntax.TryReadPictureSize(sps.AsSpan(4, 4), out _, out _));
    }

    [Fact]
    public void A_High_profile_SPS_with_scaling_lists_interlace_and_poc_type_1_is_read()
    {
        var sps = new H264BitWriter()
            .Bits(8, 100).Bits(8, 0).Bits(8, 40).Ue(0)
            .Ue(1).Ue(0).Ue(0).Bits(1, 0) // 4:2:0, 8-bit, no bypass
            .Bits(1, 1); // seq_scaling_matrix_present_flag
        for (int i = 0; i < 8; i++)
        {
            sps.Bits(1, i % 2 == 0 ? 1u : 0u);
            if (i % 2 == 0)
            {
                int size = i < 6 ? 16 : 64;
                for (int j = 0; j < size; j++)
                {
                    sps.Se(j == 0 ? 8 : 1);
                }
            }
        }

        sps.Ue(0).Ue(1) // log2_max_frame_num_minus4, pic_order_cnt_type 1
            .Bits(1, 0).Se(-2).Se(3).Ue(2).Se(1).Se(-1)
            .Ue(4).Bits(1, 0)
            .Ue(119).Ue(33) // 120 macroblocks wide, 34 map units (68 rows of macroblocks as fields)
            .Bits(1, 0).Bits(1, 1) // frame_mbs_only 0, mb_adaptive_frame_field 1
            .Bits(1, 1).Bits(1, 1).Ue(0).Ue(0).Ue(0).Ue(2) // crop 2 × 4 rows at the bottom
            .Bits(1, 0);

        Assert.True(H264Syntax.TryReadPictureSize(sps.ToNalUnit(0x67).AsSpan(4), out int width, out int height));
        Assert.Equal((1920, 1080), (width, height));
    }

    private static void AssertCoversStream(List<AccessUnitRange> units, int length)
    {
        int at = 0;
        foreach (AccessUnitRange unit in units)
        {
            Assert.Equal(at, unit.Start);
            at += unit.Length;
        }

        Assert.Equal(length, at);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(100_000)]
    public void Reading_piece_by_piece_finds_the_same_units_as_splitting_the_whole(int chunk)
    {
        byte[] sps = BaselineSps(20, 15);
        byte[] stream = Concat(Aud, sps, Pps, Sei, Slice(true, 0), Slice(true, 150), Aud, Slice(false, 0), Slice(false, 0), sps, Pps, Slice(true, 0));
        List<AccessUnitRange> whole = AccessUnitSplitter.Split(stream);

        // A reader that sees the stream grow chunk by chunk, as the benchmark's file reader does.
        var found = new List<(int Start, int Length)>();
        int start = 0, visible = 0;
        while (start < stream.Length)
        {
            int next = AccessUnitSplitter.FindNextUnit(stream.AsSpan(start, visible - start));
            if (next > 0)
            {
                found.Add((start, next));
                start += next;
            }
            else if (visible < stream.Length)
            {
                visible = Math.Min(stream.Length, visible + chunk);
            }
            else
            {
                found.Add((start, stream.Length - start));
                start = stream.Length;
            }
        }

        Assert.Equal(whole.Select(u => (u.Start, u.Length)), found);
    }
}
