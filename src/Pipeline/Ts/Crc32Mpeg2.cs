namespace Miraflow.Pipeline.Ts;

/// <summary>
/// CRC-32/MPEG-2, the checksum of every PSI section (ISO/IEC 13818-1 Annex A): polynomial
/// 0x04C11DB7, initial value 0xFFFFFFFF, no reflection, no final XOR. The check value of the
/// ASCII string "123456789" is 0x0376E6E7.
/// </summary>
public static class Crc32Mpeg2
{
    private static readonly uint[] s_table = CreateTable();

    /// <summary>The CRC of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint[] table = s_table;
        uint crc = 0xFFFF_FFFF;
        foreach (byte b in data)
        {
            crc = (crc << 8) ^ table[(int)((crc >> 24) ^ b)];
        }

        return crc;
    }

    private static uint[] CreateTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i << 24;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 0x8000_0000) != 0 ? (c << 1) ^ 0x04C1_1DB7 : c << 1;
            }

            table[i] = c;
        }

        return table;
    }
}
