namespace Miraflow.Pipeline.Tests.Sources;

/// <summary>Writes H.264 syntax bit by bit and escapes it into Annex-B NAL units, for hand-made streams.</summary>
internal sealed class H264BitWriter
{
    private readonly List<byte> _bytes = [];
    private int _bit;

    public H264BitWriter Bits(int count, uint value)
    {
        for (int i = count - 1; i >= 0; i--)
        {
            if (_bit == 0)
            {
                _bytes.Add(0);
            }

            _bytes[^1] |= (byte)(((value >> i) & 1) << (7 - _bit));
            _bit = (_bit + 1) & 7;
        }

        return this;
    }

    public H264BitWriter Ue(uint value)
    {
        ulong code = value + 1UL;
        int length = 64 - (int)ulong.LeadingZeroCount(code);
        Bits(length - 1, 0);
        for (int i = length - 1; i >= 0; i--)
        {
            Bits(1, (uint)(code >> i) & 1);
        }

        return this;
    }

    public H264BitWriter Se(int value) => Ue(value > 0 ? (uint)((2 * value) - 1) : (uint)(-2 * value));

    /// <summary>rbsp_trailing_bits, then the NAL unit with a 4-byte start code, its header and the escaped payload.</summary>
    public byte[] ToNalUnit(byte header, int extraBytes = 0)
    {
        Bits(1, 1);
        while (_bit != 0)
        {
            Bits(1, 0);
        }

        for (int i = 0; i < extraBytes; i++)
        {
            _bytes.Add((byte)(0x80 | (i & 0x7F)));
        }

        return [0, 0, 0, 1, header, .. Escape(_bytes)];
    }

    public static byte[] Escape(IEnumerable<byte> rbsp)
    {
        var escaped = new List<byte>();
        int zeros = 0;
        foreach (byte value in rbsp)
        {
            if (zeros >= 2 && value <= 3)
            {
                escaped.Add(3);
                zeros = 0;
            }

            escaped.Add(value);
            zeros = value == 0 ? zeros + 1 : 0;
        }

        return [.. escaped];
    }
}

/// <summary>Hand-made NAL units for the splitter tests.</summary>
internal static class H264TestStreams
{
    public static readonly byte[] Aud = [0, 0, 0, 1, 0x09, 0xF0];
    public static readonly byte[] Pps = [0, 0, 0, 1, 0x68, 0xCE, 0x3C, 0x80];
    public static readonly byte[] Sei = [0, 0, 1, 0x06, 0x05, 0x01, 0xAA, 0x80];

    /// <summary>A Constrained Baseline SPS for <paramref name="widthInMbs"/>×<paramref name="heightInMbs"/> macroblocks, cropped at the bottom.</summary>
    public static byte[] BaselineSps(uint widthInMbs, uint heightInMbs, uint cropBottom = 0) =>
        new H264BitWriter()
            .Bits(8, 66).Bits(8, 0xC0).Bits(8, 31).Ue(0) // profile, constraints, level, sps id
            .Ue(0).Ue(2) // log2_max_frame_num_minus4, pic_order_cnt_type 2
            .Ue(1).Bits(1, 0) // max_num_ref_frames, gaps
            .Ue(widthInMbs - 1).Ue(heightInMbs - 1)
            .Bits(1, 1).Bits(1, 1) // frame_mbs_only, direct_8x8_inference
            .Bits(1, cropBottom > 0 ? 1u : 0u)
            .Then(w => cropBottom > 0 ? w.Ue(0).Ue(0).Ue(0).Ue(cropBottom) : w)
            .Bits(1, 0) // vui_parameters_present_flag
            .ToNalUnit(0x67);

    /// <summary>A slice NAL unit (IDR when <paramref name="idr"/>) whose header starts with <paramref name="firstMb"/>.</summary>
    public static byte[] Slice(bool idr, uint firstMb, int size = 40) =>
        new H264BitWriter().Ue(firstMb).Ue(idr ? 7u : 5u).Ue(0).ToNalUnit(idr ? (byte)0x65 : (byte)0x41, size);

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static H264BitWriter Then(this H264BitWriter writer, Func<H264BitWriter, H264BitWriter> next) => next(writer);
}
