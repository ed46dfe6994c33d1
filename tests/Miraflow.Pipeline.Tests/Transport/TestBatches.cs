using Miraflow.Pipeline.Rtp;

namespace Miraflow.Pipeline.Tests.Transport;

/// <summary>Datagram batches whose every datagram is distinguishable: its index, then a pattern seeded by it.</summary>
internal static class TestBatches
{
    public const int Full = 1328;

    public static DatagramBatch Make(params int[] sizes)
    {
        var batch = new DatagramBatch();
        for (int i = 0; i < sizes.Length; i++)
        {
            batch.Add(Datagram(i, sizes[i]));
        }

        return batch;
    }

    /// <summary><paramref name="count"/> full-size datagrams, then the given tail sizes.</summary>
    public static DatagramBatch FullThen(int count, params int[] tail)
    {
        var sizes = new int[count + tail.Length];
        Array.Fill(sizes, Full, 0, count);
        tail.CopyTo(sizes, count);
        return Make(sizes);
    }

    public static byte[] Datagram(int index, int size)
    {
        var bytes = new byte[size];
        for (int j = 0; j < size; j++)
        {
            bytes[j] = unchecked((byte)((index * 31) + (j * 7) + (j >> 8)));
        }

        bytes[0] = (byte)index;
        bytes[1] = (byte)(index >> 8);
        return bytes;
    }

    /// <summary>Asserts that <paramref name="received"/> are exactly the batch's datagrams, in order.</summary>
    public static void AssertSame(DatagramBatch batch, IReadOnlyList<byte[]> received)
    {
        Assert.Equal(batch.Count, received.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            Assert.True(batch[i].SequenceEqual(received[i]), $"Datagram {i}: sent {batch[i].Length} bytes, received {received[i].Length} bytes that differ.");
        }
    }
}
