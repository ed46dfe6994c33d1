using Miraflow.Pipeline.Ts;

namespace Miraflow.Benchmarks;

/// <summary>An Annex-B H.264 file in memory and where each access unit lies in it.</summary>
internal sealed class AccessUnitStream
{
    private AccessUnitStream(string path, byte[] bytes, (int Offset, int Length)[] units)
    {
        Path = path;
        Bytes = bytes;
        Units = units;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The whole file.</summary>
    public byte[] Bytes { get; }

    /// <summary>The access units, in order, as ranges of <see cref="Bytes"/>.</summary>
    public (int Offset, int Length)[] Units { get; }

    /// <summary>The number of access units.</summary>
    public int Count => Units.Length;

    /// <summary>Access unit <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            (int offset, int length) = Units[index];
            return Bytes.AsSpan(offset, length);
        }
    }

    /// <summary>Reads and splits a file.</summary>
    /// <exception cref="InvalidDataException">The file holds no access unit.</exception>
    public static AccessUnitStream Load(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        (int Offset, int Length)[] units = Split(bytes);
        if (units.Length == 0)
        {
            throw new InvalidDataException($"{path} holds no H.264 access unit (no Annex-B start code).");
        }

        return new AccessUnitStream(path, bytes, units);
    }

    /// <summary>Copies every access unit into its own array (what an encoder would hand over).</summary>
    public byte[][] ToArrays()
    {
        var arrays = new byte[Count][];
        for (int i = 0; i < arrays.Length; i++)
        {
            arrays[i] = this[i].ToArray();
        }

        return arrays;
    }

    /// <summary>
    /// Splits an Annex-B byte stream into access units; each starts at the start code of its
    /// first NAL unit (bytes before the first start code are skipped). See <see cref="FindNextUnit"/>.
    /// </summary>
    public static (int Offset, int Length)[] Split(ReadOnlySpan<byte> stream)
    {
        var units = new List<(int Offset, int Length)>();
        if (AccessUnitLayout.NextNalUnit(stream, 0, out int position) < 0)
        {
            return [];
        }

        while (position < stream.Length)
        {
            int next = FindNextUnit(stream[position..]);
            int length = next < 0 ? stream.Length - position : next;
            units.Add((position, length));
            position += length;
        }

        return [.. units];
    }

    /// <summary>
    /// Where the access unit after the one that starts <paramref name="data"/> begins (the
    /// offset of its first start code), or -1 when <paramref name="data"/> does not show it yet
    /// (at the end of a stream: the rest is the last unit). ITU-T H.264 §7.4.1.2.3.
    /// </summary>
    /// <remarks>
    /// Once a unit holds a slice, the next unit begins at an access unit delimiter (type 9, which
    /// x264 writes with <c>aud=1</c>), an SEI, SPS or PPS (6, 7, 8), types 14–18, or a slice whose
    /// <c>first_mb_in_slice</c> is 0 (its ue(v) code is the single bit 1, the top bit of the byte
    /// after the NAL header). A delimiter always begins a unit. Streams without delimiters are
    /// therefore split too, as long as every picture's first slice starts at macroblock 0.
    /// </remarks>
    public static int FindNextUnit(ReadOnlySpan<byte> data)
    {
        int nal = AccessUnitLayout.NextNalUnit(data, 0, out int startCode);
        bool hasSlice = false;
        bool first = true;
        while (nal >= 0)
        {
            if (nal + 1 >= data.Length)
            {
                return -1; // the NAL header, or the byte that says whether a slice starts a picture, is not here yet
            }

            int type = data[nal] & 0x1F;
            bool slice = type is >= NalUnitType.NonIdrSlice and <= NalUnitType.IdrSlice;
            bool firstSliceOfPicture = slice && (data[nal + 1] & 0x80) != 0;
            bool begins = type == NalUnitType.AccessUnitDelimiter
                || (hasSlice && (type is NalUnitType.Sei or NalUnitType.Sps or NalUnitType.Pps or (>= 14 and <= 18) || firstSliceOfPicture));
            if (begins && !first)
            {
                return startCode;
            }

            hasSlice |= slice;
            first = false;
            nal = AccessUnitLayout.NextNalUnit(data, nal + 1, out startCode);
        }

        return -1;
    }
}
