using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Transport;

namespace Miraflow.Pipeline.Tests.Transport;

/// <summary>The send path allocates nothing per batch (house style §5.3 item 8).</summary>
[Trait("Category", "integration")]
public sealed class UdpMediaSenderAllocationTests
{
    [Theory]
    [InlineData(SegmentationOffloadMode.Auto)]
    [InlineData(SegmentationOffloadMode.Off)]
    public void Send_allocates_nothing_in_steady_state(SegmentationOffloadMode mode)
    {
        // The receiver is never read: once its buffer is full the kernel drops silently.
        using var receiver = new LoopbackReceiver();
        using var sender = new UdpMediaSender(receiver.EndPoint, new UdpSenderOptions { SegmentationOffload = mode });
        using DatagramBatch frame = TestBatches.FullThen(12, 400);
        using DatagramBatch mixed = TestBatches.Make(200, 200, 1328, 700, 1328);

        for (int i = 0; i < 100; i++)
        {
            sender.Send(frame);
            sender.Send(mixed);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            sender.Send(i % 4 == 0 ? mixed : frame);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(0, sender.Statistics.SendErrors);
        Assert.Equal(mode == SegmentationOffloadMode.Auto && OperatingSystem.IsLinux(), sender.UsesSegmentationOffload);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SendAsync_below_the_pacing_threshold_completes_synchronously_and_allocates_nothing(bool pacing)
    {
        using var receiver = new LoopbackReceiver();
        var options = new UdpSenderOptions();
        options.Pacing.Enabled = pacing;
        using var sender = new UdpMediaSender(receiver.EndPoint, options);
        using DatagramBatch frame = TestBatches.FullThen(pacing ? options.Pacing.ThresholdDatagrams : 150);

        for (int i = 0; i < 100; i++)
        {
            Assert.True(ValueTasks.CompletedSynchronously(sender.SendAsync(frame)));
        }

        using var cts = new CancellationTokenSource();
        long before = GC.GetAllocatedBytesForCurrentThread();
        bool allSynchronous = true;
        for (int i = 0; i < 1000; i++)
        {
            allSynchronous &= ValueTasks.CompletedSynchronously(sender.SendAsync(frame, cts.Token));
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allSynchronous);
        Assert.Equal(0, allocated);
    }
}
