namespace Miraflow.Pipeline.Sources;

/// <summary>
/// The little of H.264 syntax the Annex-B file source reads: <c>first_mb_in_slice</c> of a slice
/// header and the picture size of a sequence parameter set (ITU-T H.264 §7.3.2.1.1, §7.3.3).
/// </summary>
/// <remarks>
/// NAL unit payloads are escaped: the encoder inserts <c>0x03</c> after any two zero bytes
/// (emulation prevention, §7.4.1), which is removed before the bits are read.
/// </remarks>
internal static class H264Syntax
{
    /// <summary>
    /// Reads <c>first_mb_in_slice</c>, the first ue(v) of a slice header, from a slice NAL unit
    /// (starting at its header byte); false when the unit is too short.
    /// </summary>
    public static bool TryReadFirstMbInSlice(ReadOnlySpan<byte> nalUnit, out uint firstMbInSlice)
    {
        Span<byte> rbsp = stackalloc byte[16];
        int length = Unescape(nalUnit.Length > 1 ? nalUnit[1..] : default, rbsp);
        var reader = new BitReader(rbsp[..length]);
        return reader.TryReadUe(out firstMbInSlice);
    }

    /// <summary>
    /// Reads the cropped picture size from a sequence parameter set NAL unit (starting at its
    /// header byte); false when it is truncated or malformed.
    /// </summary>
    /// <remarks>
    /// <code>
    /// profile_idc u(8)  constraint_flags u(8)  level_idc u(8)  seq_parameter_set_id ue(v)
    /// [high profiles: chroma_format_idc, separate_colour_plane, bit depths, scaling lists]
    /// log2_max_frame_num_minus4 ue(v)  pic_order_cnt_type ue(v) [+ its fields]
    /// max_num_ref_frames ue(v)  gaps_in_frame_num_value_allowed_flag u(1)
    /// pic_width_in_mbs_minus1 ue(v)  pic_height_in_map_units_minus1 ue(v)
    /// frame_mbs_only_flag u(1) [mb_adaptive_frame_field_flag u(1)]
    /// direct_8x8_inference_flag u(1)  frame_cropping_flag u(1) [4 × ue(v) offsets]
    /// </code>
    /// </remarks>
    public static bool TryReadPictureSize(ReadOnlySpan<byte> spsNalUnit, out int width, out int height)
    {
        width = height = 0;
        Span<byte> rbsp = stackalloc byte[256];
        int length = Unescape(spsNalUnit.Length > 1 ? spsNalUnit[1..] : default, rbsp);
        var reader = new BitReader(rbsp[..length]);
        if (!reader.TryReadBits(8, out uint profile) || !reader.TryReadBits(16, out _) || !reader.TryReadUe(out _))
        {
            return false;
        }

        uint chromaFormat = 1;
        bool separateColourPlane = false;
        if (profile is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135)
        {
            if (!reader.TryReadUe(out chromaFormat) || chromaFormat > 3)
            {
                return false;
            }

            if (chromaFormat == 3)
            {
                if (!reader.TryReadBits(1, out uint separate))
                {
                    return false;
                }

                separateColourPlane = separate == 1;
            }

            if (!reader.TryReadUe(out _) || !reader.TryReadUe(out _) || !reader.TryReadBits(1, out _) || !reader.TryReadBits(1, out uint scalingMatrix))
            {
                return false;
            }

            if (scalingMatrix == 1)
            {
                for (int i = 0; i < (chromaFormat == 3 ? 12 : 8); i++)
                {
                    if (!reader.TryReadBits(1, out uint present) || (present == 1 && !SkipScalingList(ref reader, i < 6 ? 16 : 64)))
                    {
                        return false;
                    }
                }
            }
        }

        if (!reader.TryReadUe(out _) || !reader.TryReadUe(out uint pocType))
        {
            return false;
        }

        if (pocType == 0)
        {
            if (!reader.TryReadUe(out _))
            {
                return false;
            }
        }
        else if (pocType == 1)
        {
            if (!reader.TryReadBits(1, out _) || !reader.TryReadSe(out _) || !reader.TryReadSe(out _) || !reader.TryReadUe(out uint cycle) || cycle > 255)
            {
                return false;
            }

            for (uint i = 0; i < cycle; i++)
            {
                if (!reader.TryReadSe(out _))
                {
                    return false;
                }
            }
        }

        if (!reader.TryReadUe(out _) || !reader.TryReadBits(1, out _)
            || !reader.TryReadUe(out uint widthInMbs) || !reader.TryReadUe(out uint heightInMapUnits)
            || !reader.TryReadBits(1, out uint frameMbsOnly)
            || (frameMbsOnly == 0 && !reader.TryReadBits(1, out _))
            || !reader.TryReadBits(1, out _) || !reader.TryReadBits(1, out uint cropping))
        {
            return false;
        }

        uint cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (cropping == 1 && (!reader.TryReadUe(out cropLeft) || !reader.TryReadUe(out cropRight) || !reader.TryReadUe(out cropTop) || !reader.TryReadUe(out cropBottom)))
        {
            return false;
        }

        // Table 6-1: SubWidthC/SubHeightC; no chroma (4:0:0 or separate planes) crops in luma samples.
        uint chromaArrayType = separateColourPlane ? 0 : chromaFormat;
        long cropUnitX = chromaArrayType is 1 or 2 ? 2 : 1;
        long cropUnitY = (chromaArrayType == 1 ? 2 : 1) * (2 - frameMbsOnly);
        long w = ((widthInMbs + 1L) * 16) - (cropUnitX * (cropLeft + (long)cropRight));
        long h = ((heightInMapUnits + 1L) * 16 * (2 - frameMbsOnly)) - (cropUnitY * (cropTop + (long)cropBottom));
        if (w <= 0 || h <= 0 || w > 16384 || h > 16384)
        {
            return false;
        }

        (width, height) = ((int)w, (int)h);
        return true;
    }

    /// <summary>Removes emulation prevention bytes, up to <paramref name="destination"/>'s size; returns the bytes written.</summary>
    internal static int Unescape(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int written = 0, zeros = 0;
        foreach (byte value in source)
        {
            if (written == destination.Length)
            {
                break;
            }

            if (zeros >= 2 && value == 3)
            {
                zeros = 0;
                continue;
            }

            destination[written++] = value;
            zeros = value == 0 ? zeros + 1 : 0;
        }

        return written;
    }

    private static bool SkipScalingList(ref BitReader reader, int size)
    {
        int last = 8, next = 8;
        for (int j = 0; j < size; j++)
        {
            if (next != 0)
            {
                if (!reader.TryReadSe(out int delta))
                {
                    return false;
                }

                next = (last + delta + 256) % 256;
            }

            last = next == 0 ? last : next;
        }

        return true;
    }

    /// <summary>Reads bits most significant first, and Exp-Golomb codes (§9.1).</summary>
    internal ref struct BitReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public bool TryReadBits(int count, out uint value)
        {
            value = 0;
            if (count is < 0 or > 32 || _position + count > _data.Length * 8)
            {
                return false;
            }

            for (int i = 0; i < count; i++, _position++)
            {
                value = (value << 1) | (uint)((_data[_position >> 3] >> (7 - (_position & 7))) & 1);
            }

            return true;
        }

        /// <summary>ue(v): leading zeros n, a one, then n bits; the value is 2^n − 1 + those bits.</summary>
        public bool TryReadUe(out uint value)
        {
            value = 0;
            int zeros = 0;
            while (true)
            {
                if (!TryReadBits(1, out uint bit))
                {
                    return false;
                }

                if (bit == 1)
                {
                    break;
                }

                if (++zeros > 31)
                {
                    return false;
                }
            }

            if (!TryReadBits(zeros, out uint rest))
            {
                return false;
            }

            value = (uint)((1UL << zeros) - 1 + rest);
            return true;
        }

        /// <summary>se(v): ue(v) k mapped to (−1)^(k+1) × ⌈k ÷ 2⌉.</summary>
        public bool TryReadSe(out int value)
        {
            value = 0;
            if (!TryReadUe(out uint code))
            {
                return false;
            }

            value = (code & 1) == 1 ? (int)((code + 1) / 2) : -(int)(code / 2);
            return true;
        }
    }
}
