namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>The access-unit splitter the integration tests rely on, on hand-made Annex-B streams.</summary>
[Trait("Category", "unit")]
public sealed class H264TestStreamTests
{
    // NAL units with 4-byte start codes: header byte, then one payload byte. For slices the
    // first payload bit is first_mb_in_slice's ue(v): 1 means 0 (a new picture), 0 means more.
    private static readonly byte[] s_aud = [0, 0, 0, 1, 0x09, 0xF0];
    private static readonly byte[] s_sps = [0, 0, 0, 1, 0x67, 0x42, 0xC0, 0x1F];
    private static readonly byte[] s_pps = [0, 0, 0, 1, 0x68, 0xCE];
    private static readonly byte[] s_sei = [0, 0, 0, 1, 0x06, 0x05];
    private static readonly byte[] s_idr = [0, 0, 0, 1, 0x65, 0x88, 0x84];
    private static readonly byte[] s_p = [0, 0, 0, 1, 0x41, 0x9A, 0x02];
    private static readonly byte[] s_pSecondSlice = [0, 0, 1, 0x41, 0x40, 0x12]; // 3-byte start code, first_mb_in_slice = 1

    [Fact]
    public void Splits_at_parameter_sets_and_at_first_slices()
    {
        byte[] stream = [.. s_sps, .. s_pps, .. s_sei, .. s_idr, .. s_p, .. s_p, .. s_sps, .. s_pps, .. s_idr];

        List<byte[]> units = H264TestStream.SplitAccessUnits(stream);

        Assert.Equal(4, units.Count);
        Assert.Equal([.. s_sps, .. s_pps, .. s_sei, .. s_idr], units[0]);
        Assert.Equal(s_p, units[1]);
        Assert.Equal(s_p, units[2]);
        Assert.Equal([.. s_sps, .. s_pps, .. s_idr], units[3]);
    }

    [Fact]
    public void Splits_at_every_delimiter()
    {
        byte[] stream = [.. s_aud, .. s_sps, .. s_pps, .. s_idr, .. s_aud, .. s_p, .. s_aud, .. s_p];

        List<byte[]> units = H264TestStream.SplitAccessUnits(stream);

        Assert.Equal([[9, 7, 8, 5], [9, 1], [9, 1]], units.Select(u => H264TestStream.NalTypes(u)));
    }

    [Fact]
    public void Keeps_a_later_slice_of_the_same_picture_in_its_unit()
    {
        byte[] stream = [.. s_p, .. s_pSecondSlice, .. s_p];

        List<byte[]> units = H264TestStream.SplitAccessUnits(stream);

        Assert.Equal(2, units.Count);
        Assert.Equal([.. s_p, .. s_pSecondSlice], units[0]);
    }

    [Fact]
    public void Nal_units_keep_three_and_four_byte_start_codes_with_the_unit_they_open()
    {
        byte[] stream = [.. s_p, .. s_pSecondSlice];

        List<NalUnit> nals = H264TestStream.NalUnits(stream);

        Assert.Equal([new NalUnit(0, 4, 7, 1), new NalUnit(7, 10, 13, 1)], nals);
        Assert.Equal([[0x41, 0x9A, 0x02], [0x41, 0x40, 0x12]], H264TestStream.NalPayloads(stream));
    }

    [Fact]
    public void Removes_nal_types()
    {
        byte[] unit = [.. s_sps, .. s_pps, .. s_idr];

        Assert.Equal(s_idr, H264TestStream.WithoutNalTypes(unit, 7, 8));
    }
}
