using Miraflow.Pipeline.Sources;

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
    /// Splits an Annex-B byte stream into access units with the product's splitter
    /// (<see cref="AccessUnitSplitter"/>, H.264 §7.4.1.2.3); empty when it is not Annex-B.
    /// </summary>
    public static (int Offset, int Length)[] Split(ReadOnlySpan<byte> stream)
    {
        try
        {
            return [.. AccessUnitSplitter.Split(stream).Select(u => (u.Start, u.Length))];
        }
        catch (InvalidDataException)
        {
            return [];
        }
    }
}
