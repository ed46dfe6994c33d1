namespace Miraflow.Fuzz;

/// <summary>Generic byte-level mutations: flips, interesting bytes, inserts, deletes, duplicated ranges, truncation.</summary>
internal static class ByteMutator
{
    /// <summary>Longest input the engine makes: well past every RTSP limit, small enough to stay fast.</summary>
    public const int MaxInputBytes = 64 * 1024;

    private static readonly byte[] s_interesting = [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x2C, 0x2D, 0x2F, 0x30, 0x39, 0x3A, 0x3B, 0x3D, 0x41, 0x46, 0x5C, 0x66, 0x7E, 0x7F, 0x80, 0xC3, 0xFF];

    public static byte[] Mutate(byte[] input, FuzzRandom random)
    {
        var bytes = new List<byte>(input);
        int count = random.Next(1, random.OneIn(4) ? 16 : 4);
        for (int i = 0; i < count; i++)
        {
            MutateOnce(bytes, random);
        }

        if (bytes.Count > MaxInputBytes)
        {
            bytes.RemoveRange(MaxInputBytes, bytes.Count - MaxInputBytes);
        }

        return [.. bytes];
    }

    private static void MutateOnce(List<byte> bytes, FuzzRandom random)
    {
        int at = random.Next(bytes.Count + 1);
        switch (random.Next(9))
        {
            case 0 when bytes.Count > 0:
                at = Math.Min(at, bytes.Count - 1);
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                at = Math.Min(at, bytes.Count - 1);
                bytes[at] = random.Pick(s_interesting);
                break;
            case 2:
                bytes.Insert(at, random.Pick(s_interesting));
                break;
            case 3:
                bytes.Insert(at, (byte)random.Next(256));
                break;
            case 4 when bytes.Count > 0:
                {
                    at = Math.Min(at, bytes.Count - 1);
                    int length = Math.Min(random.Size(64), bytes.Count - at);
                    bytes.RemoveRange(at, length);
                    break;
                }

            case 5 when bytes.Count > 0:
                {
                    // Duplicate a range somewhere else (repeats headers, lines, whole messages).
                    int from = random.Next(bytes.Count);
                    int length = Math.Min(random.Size(256), bytes.Count - from);
                    byte[] copy = bytes.GetRange(from, length).ToArray();
                    int times = random.OneIn(8) ? random.Size(64) : 1;
                    for (int t = 0; t < times && bytes.Count + copy.Length <= ByteMutator.MaxInputBytes; t++)
                    {
                        bytes.InsertRange(Math.Min(at, bytes.Count), copy);
                    }

                    break;
                }

            case 6:
                // Truncate anywhere.
                if (at < bytes.Count)
                {
                    bytes.RemoveRange(at, bytes.Count - at);
                }

                break;
            case 7 when bytes.Count > 1:
                {
                    int a = random.Next(bytes.Count);
                    int b = random.Next(bytes.Count);
                    (bytes[a], bytes[b]) = (bytes[b], bytes[a]);
                    break;
                }

            default:
                {
                    // A run of one byte (long lines, NUL floods, line-end floods).
                    byte value = random.Pick(s_interesting);
                    int length = random.Size(4096);
                    bytes.InsertRange(at, Enumerable.Repeat(value, Math.Min(length, MaxInputBytes - Math.Min(bytes.Count, MaxInputBytes))));
                    break;
                }
        }
    }
}
