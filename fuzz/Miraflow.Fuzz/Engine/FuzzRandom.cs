namespace Miraflow.Fuzz;

/// <summary>
/// A small deterministic generator (SplitMix64): the same seed gives the same inputs on every
/// machine and runtime, which <see cref="System.Random"/> does not promise.
/// </summary>
internal sealed class FuzzRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        // Wrapping arithmetic is the algorithm (Debug builds check overflow elsewhere).
        unchecked
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A value in [0, <paramref name="maxExclusive"/>); 0 when the bound is not positive.</summary>
    public int Next(int maxExclusive) => maxExclusive <= 0 ? 0 : (int)(NextUInt64() % (ulong)maxExclusive);

    /// <summary>A value in [<paramref name="min"/>, <paramref name="maxExclusive"/>).</summary>
    public int Next(int min, int maxExclusive) => maxExclusive <= min ? min : min + Next(maxExclusive - min);

    /// <summary>True with probability 1/<paramref name="n"/>.</summary>
    public bool OneIn(int n) => Next(n) == 0;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>Small sizes often, large ones sometimes (powers of two, edges around them).</summary>
    public int Size(int max)
    {
        int bits = Next(1, 1 + Math.Max(1, (int)Math.Log2(Math.Max(2, max))));
        int value = Next(1 << (bits - 1), 1 << bits) + Next(-1, 2);
        return Math.Clamp(value, 0, max);
    }

    /// <summary>The seed of input <paramref name="index"/> of a run with seed <paramref name="runSeed"/>: inputs can be regenerated one at a time.</summary>
    public static ulong Derive(ulong runSeed, long index)
    {
        var r = new FuzzRandom(unchecked(runSeed ^ (0xD1B54A32D192ED03UL * (ulong)(index + 1))));
        return r.NextUInt64();
    }
}
