namespace Miraflow.Pipeline.Tests.Encoders;

/// <summary>Reads NAL units out of an Annex-B access unit (test side, independent of the encoder's own scan).</summary>
internal static class AnnexBNals
{
    public const int Slice = 1;
    public const int IdrSlice = 5;
    public const int Sps = 7;
    public const int Pps = 8;

    /// <summary>Each NAL unit's bytes, header byte first, start code removed.</summary>
    public static List<byte[]> Split(ReadOnlySpan<byte> annexB)
    {
        var nals = new List<byte[]>();
        int start = -1;
        int i = 0;
        while (i + 2 < annexB.Length)
        {
            if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1)
            {
                if (start >= 0)
                {
                    int end = i;
                    while (end > start && annexB[end - 1] == 0)
                    {
                        end--;
                    }

                    nals.Add(annexB[start..end].ToArray());
                }

                i += 3;
                start = i;
                continue;
            }

            i++;
        }

        if (start >= 0 && start < annexB.Length)
        {
            nals.Add(annexB[start..].ToArray());
        }

        return nals;
    }

    public static int Type(byte[] nal) => nal[0] & 0x1F;

    public static List<int> Types(ReadOnlySpan<byte> annexB) => Split(annexB).ConvertAll(Type);

    /// <summary>profile_idc, the constraint-flag byte and level_idc: the three bytes after the SPS NAL header (H.264 §7.3.2.1.1).</summary>
    public static (int Profile, int Constraints, int Level) SpsProfileLevel(ReadOnlySpan<byte> annexB)
    {
        byte[] sps = Split(annexB).Find(n => Type(n) == Sps) ?? throw new InvalidDataException("No SPS.");
        return (sps[1], sps[2], sps[3]);
    }

    /// <summary>entropy_coding_mode_flag of the first PPS: the third Exp-Golomb-coded field's bit (pps_id and sps_id are 0 here).</summary>
    public static bool PpsUsesCabac(ReadOnlySpan<byte> annexB)
    {
        byte[] pps = Split(annexB).Find(n => Type(n) == Pps) ?? throw new InvalidDataException("No PPS.");
        int bit = 0;
        SkipExpGolomb(pps.AsSpan(1), ref bit); // pic_parameter_set_id
        SkipExpGolomb(pps.AsSpan(1), ref bit); // seq_parameter_set_id
        return ReadBit(pps.AsSpan(1), bit) == 1;
    }

    private static int ReadBit(ReadOnlySpan<byte> data, int bit) => (data[bit / 8] >> (7 - (bit % 8))) & 1;

    private static void SkipExpGolomb(ReadOnlySpan<byte> data, ref int bit)
    {
        int zeros = 0;
        while (ReadBit(data, bit) == 0)
        {
            zeros++;
            bit++;
        }

        bit += 1 + zeros;
    }
}
