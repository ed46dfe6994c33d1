using Miraflow.Pipeline.Rtp;

namespace Miraflow.Pipeline.Tests.Rtp;

[Trait("Category", "unit")]
public sealed class DatagramBatchTests
{
    [Fact]
    public void Holds_datagrams_back_to_back()
    {
        using var batch = new DatagramBatch(initialBytes: 1024);

        batch.Add([1, 2, 3]);
        batch.Add([4, 5]);

        Assert.Equal(2, batch.Count);
        Assert.Equal(5, batch.Length);
        Assert.Equal((3, 2), batch.GetRange(1));
        Assert.Equal([4, 5], batch[1].ToArray());
        Assert.Equal([1, 2, 3, 4, 5], batch.Bytes.ToArray());
    }

    [Fact]
    public void Grows_beyond_its_first_buffer_and_keeps_the_content()
    {
        using var batch = new DatagramBatch(initialBytes: 2000);
        var datagram = new byte[1328];

        for (int i = 0; i < 500; i++)
        {
            datagram[0] = unchecked((byte)i);
            batch.Add(datagram);
        }

        Assert.Equal(500, batch.Count);
        Assert.Equal(500 * 1328, batch.Length);
        Assert.All(Enumerable.Range(0, 500), i => Assert.Equal(unchecked((byte)i), batch[i][0]));
    }

    [Fact]
    public void Clear_keeps_the_storage_so_reuse_allocates_nothing()
    {
        using var batch = new DatagramBatch();
        var datagram = new byte[1328];
        for (int i = 0; i < 50; i++)
        {
            batch.Add(datagram);
        }

        batch.Clear();

        // A real per-call allocation shows in every pass; a one-off (the JIT promoting the loop
        // while it runs) shows in one at most, so the best of three must be exactly zero.
        long best = long.MaxValue;
        for (int pass = 0; pass < 3 && best != 0; pass++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < 100; round++)
            {
                for (int i = 0; i < 50; i++)
                {
                    batch.Add(datagram);
                }

                batch.Clear();
            }

            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, best);
    }

    [Fact]
    public void Misuse_gives_clear_errors()
    {
        var batch = new DatagramBatch();

        Assert.Throws<ArgumentOutOfRangeException>(() => batch.GetRange(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.BeginDatagram(DatagramBatch.MaxDatagramSize + 1));
        Assert.Throws<InvalidOperationException>(() => batch.CommitDatagram(10));
        batch.BeginDatagram(100);
        Assert.Throws<InvalidOperationException>(() => batch.BeginDatagram(100));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.CommitDatagram(101));
        batch.Dispose();
        Assert.Throws<ObjectDisposedException>(() => batch.Add([1]));
    }
}
