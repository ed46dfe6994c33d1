using System.Net;
using System.Net.Sockets;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Transport;

namespace Miraflow.Pipeline.Tests.Transport;

[Trait("Category", "integration")]
public sealed class UdpMediaSenderTests
{
    private static UdpMediaSender Open(LoopbackReceiver receiver, SegmentationOffloadMode mode) =>
        new(receiver.EndPoint, new UdpSenderOptions { SegmentationOffload = mode });

    [Fact]
    public void Offload_sends_a_frame_of_full_datagrams_and_a_short_tail_in_one_call()
    {
        using var receiver = new LoopbackReceiver();
        using var sender = Open(receiver, SegmentationOffloadMode.Auto);
        using DatagramBatch batch = TestBatches.FullThen(40, 500);

        sender.Send(batch);

        TestBatches.AssertSame(batch, receiver.Receive(41));
        Assert.False(receiver.Arrives(TimeSpan.FromMilliseconds(50)));
        UdpSenderStatistics stats = sender.Statistics;
        Assert.Equal(new UdpSenderStatistics(1, 41, (40 * 1328) + 500, stats.SendCalls, 0, 0), stats);
        if (OperatingSystem.IsLinux())
        {
            // Linux 4.18+ has UDP_SEGMENT: 41 datagrams, 53,620 bytes fit one send.
            Assert.True(sender.UsesSegmentationOffload);
            Assert.Equal(1, stats.SendCalls);
        }
    }

    [Fact]
    public void Plain_path_sends_one_call_per_datagram()
    {
        using var receiver = new LoopbackReceiver();
        using var sender = Open(receiver, SegmentationOffloadMode.Off);
        using DatagramBatch batch = TestBatches.FullThen(40, 500);

        sender.Send(batch);

        TestBatches.AssertSame(batch, receiver.Receive(41));
        Assert.False(sender.UsesSegmentationOffload);
        Assert.Equal(new UdpSenderStatistics(1, 41, (40 * 1328) + 500, 41, 0, 0), sender.Statistics);
    }

    [Theory]
    [InlineData(SegmentationOffloadMode.Auto, 2)]
    [InlineData(SegmentationOffloadMode.Off, 5)]
    public void Mixed_sizes_arrive_intact(SegmentationOffloadMode mode, int expectedCallsOnLinux)
    {
        using var receiver = new LoopbackReceiver();
        using var sender = Open(receiver, mode);
        using DatagramBatch batch = TestBatches.Make(1328, 1328, 700, 1328, 200);

        sender.Send(batch);

        TestBatches.AssertSame(batch, receiver.Receive(5));
        if (OperatingSystem.IsLinux())
        {
            // Runs: [1328 1328 700] (the shorter one ends it) and [1328 200].
            Assert.Equal(expectedCallsOnLinux, sender.Statistics.SendCalls);
        }
    }

    [Theory]
    [InlineData(SegmentationOffloadMode.Auto, 4)]
    [InlineData(SegmentationOffloadMode.Off, 150)]
    public void More_datagrams_than_one_segmented_send_takes_arrive_in_order(SegmentationOffloadMode mode, int expectedCallsOnLinux)
    {
        using var receiver = new LoopbackReceiver();
        using var sender = Open(receiver, mode);
        using DatagramBatch batch = TestBatches.FullThen(150);

        sender.Send(batch);

        TestBatches.AssertSame(batch, receiver.Receive(150));
        if (OperatingSystem.IsLinux())
        {
            // 65507 / 1328 = 49 datagrams a send: 49 + 49 + 49 + 3.
            Assert.Equal(expectedCallsOnLinux, sender.Statistics.SendCalls);
        }
    }

    [Fact]
    public void Runs_of_other_sizes_change_the_segment_size_and_back()
    {
        using var receiver = new LoopbackReceiver();
        using var sender = Open(receiver, SegmentationOffloadMode.Auto);
        using DatagramBatch odd = TestBatches.Make(200, 200, 200, 1328, 1328, 1472, 1472, 100, 1472);
        using DatagramBatch usual = TestBatches.FullThen(10, 100);

        sender.Send(odd);
        sender.Send(usual);

        TestBatches.AssertSame(odd, receiver.Receive(odd.Count));
        TestBatches.AssertSame(usual, receiver.Receive(usual.Count));
        if (OperatingSystem.IsLinux())
        {
            // [200 200 200] [1328 1328] [1472 1472 100] [1472], then [1328 × 10, 100].
            Assert.True(sender.UsesSegmentationOffload);
            Assert.Equal(5, sender.Statistics.SendCalls);
        }
    }

    [Fact]
    public void A_single_datagram_larger_than_the_segment_size_is_not_split()
    {
        using var receiver = new LoopbackReceiver();
        using var sender = Open(receiver, SegmentationOffloadMode.Auto);
        using DatagramBatch batch = TestBatches.Make(DatagramBatch.MaxDatagramSize);

        sender.Send(batch);

        TestBatches.AssertSame(batch, receiver.Receive(1));
        Assert.False(receiver.Arrives(TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public void An_empty_batch_sends_nothing()
    {
        using var receiver = new LoopbackReceiver();
        using var sender = Open(receiver, SegmentationOffloadMode.Auto);
        using var batch = new DatagramBatch();

        sender.Send(batch);

        Assert.False(receiver.Arrives(TimeSpan.FromMilliseconds(50)));
        Assert.Equal(new UdpSenderStatistics(1, 0, 0, 0, 0, 0), sender.Statistics);
    }

    [Fact]
    public void Ipv6_loopback_works_with_offload()
    {
        using var receiver = new LoopbackReceiver(AddressFamily.InterNetworkV6);
        using var sender = Open(receiver, SegmentationOffloadMode.Auto);
        using DatagramBatch batch = TestBatches.FullThen(60, 3);

        sender.Send(batch);

        TestBatches.AssertSame(batch, receiver.Receive(61));
    }

    [Fact]
    public void Sends_from_the_configured_local_end_point()
    {
        using var receiver = new LoopbackReceiver();
        IPEndPoint local = LoopbackReceiver.ClosedPort();
        using var sender = new UdpMediaSender(receiver.EndPoint, new UdpSenderOptions { LocalEndPoint = local, Dscp = 34, SendBufferSize = 256 * 1024 });
        using DatagramBatch batch = TestBatches.FullThen(3);

        sender.Send(batch);

        receiver.Receive(out IPEndPoint from);
        Assert.Equal(local, from);
        Assert.Equal(local, sender.LocalEndPoint);
        Assert.Equal(receiver.EndPoint, sender.RemoteEndPoint);
    }

    [Fact]
    public void A_closed_sink_port_never_throws_and_counts_errors()
    {
        IPEndPoint closed = LoopbackReceiver.ClosedPort();
        var logger = new ListLogger();
        using var sender = new UdpMediaSender(closed, null, logger);
        using DatagramBatch batch = TestBatches.FullThen(5, 100);

        // ICMP port unreachable arrives after a send; the next send on the connected socket fails.
        for (int i = 0; i < 10; i++)
        {
            sender.Send(batch);
            Assert.True(ValueTasks.CompletedSynchronously(sender.SendAsync(batch)));
            Thread.Sleep(5);
        }

        UdpSenderStatistics stats = sender.Statistics;
        Assert.Equal(20, stats.Batches);
        Assert.True(stats.SendErrors > 0, $"no send error counted: {stats}");
        Assert.True(stats.DatagramsDropped >= stats.SendErrors);

        Assert.Contains(logger.Entries, e => e.Id.Id == 300);
    }

    [Fact]
    public void Send_errors_are_logged_at_most_once_a_second()
    {
        IPEndPoint closed = LoopbackReceiver.ClosedPort();
        var logger = new ListLogger();
        var time = new TestSupport.ManualTimeProvider();
        using var sender = new UdpMediaSender(closed, null, logger, time);
        using DatagramBatch batch = TestBatches.FullThen(1);

        SendUntilErrors(sender, batch, 5);
        Assert.Single(logger.Entries, e => e.Id.Id == 300);
        time.Advance(TimeSpan.FromMilliseconds(999));
        SendUntilErrors(sender, batch, 10);
        Assert.Single(logger.Entries, e => e.Id.Id == 300);

        time.Advance(TimeSpan.FromMilliseconds(1));
        SendUntilErrors(sender, batch, 11);
        var reports = logger.Entries.Where(e => e.Id.Id == 300).ToList();
        Assert.Equal(2, reports.Count);
        Assert.Contains("ConnectionRefused", reports[1].Message, StringComparison.Ordinal);
        Assert.Contains("; 9 more failed sends", reports[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Delivery_resumes_when_the_sink_port_opens()
    {
        IPEndPoint port = LoopbackReceiver.ClosedPort();
        using var sender = new UdpMediaSender(port);
        using DatagramBatch batch = TestBatches.FullThen(3);
        SendUntilErrors(sender, batch, 1);

        using var receiver = new LoopbackReceiver(port: port.Port);
        bool arrived = false;
        for (int attempt = 0; attempt < 20 && !arrived; attempt++)
        {
            sender.Send(batch);
            arrived = receiver.Arrives(TimeSpan.FromMilliseconds(100));
        }

        Assert.True(arrived);
        Assert.Equal(batch[0].ToArray(), receiver.Receive());
    }

    [Fact]
    public void Refused_socket_option_falls_back_to_plain_sends()
    {
        using var receiver = new LoopbackReceiver();
        var logger = new ListLogger();
        using var sender = new UdpMediaSender(receiver.EndPoint, null, logger, null, new RefusingOffload());
        using DatagramBatch batch = TestBatches.FullThen(10, 100);

        sender.Send(batch);

        Assert.False(sender.UsesSegmentationOffload);
        TestBatches.AssertSame(batch, receiver.Receive(11));
        Assert.Equal(11, sender.Statistics.SendCalls);
        Assert.Single(logger.Entries, e => e.Id.Id == 301);
    }

    [Fact]
    public void A_segmented_send_the_kernel_refuses_falls_back_for_good_and_loses_nothing()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Needs Linux UDP_SEGMENT.
        }

        using var receiver = new LoopbackReceiver();
        var logger = new ListLogger();
        using var sender = new UdpMediaSender(receiver.EndPoint, null, logger, null, new TinySegmentOffload());
        using DatagramBatch batch = TestBatches.FullThen(10, 100);
        Assert.True(sender.UsesSegmentationOffload);

        // 10 × 1328 bytes with a 16-byte segment size is more than 64 segments: EINVAL.
        sender.Send(batch);
        sender.Send(batch);

        Assert.False(sender.UsesSegmentationOffload);
        TestBatches.AssertSame(batch, receiver.Receive(11));
        TestBatches.AssertSame(batch, receiver.Receive(11));
        UdpSenderStatistics stats = sender.Statistics;
        Assert.Equal(0, stats.SendErrors);
        Assert.Equal(22, stats.DatagramsSent);
        Assert.Equal(1 + 22, stats.SendCalls);
        Assert.Single(logger.Entries, e => e.Id.Id == 302);
    }

    [Fact]
    public void Send_after_dispose_throws_and_dispose_is_idempotent()
    {
        using var receiver = new LoopbackReceiver();
        var sender = Open(receiver, SegmentationOffloadMode.Auto);
        using DatagramBatch batch = TestBatches.FullThen(1);

        sender.Dispose();
        sender.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sender.Send(batch));
        Assert.Throws<ObjectDisposedException>(() => ValueTasks.CompletedSynchronously(sender.SendAsync(batch)));
    }

    [Fact]
    public void Constructor_rejects_port_zero_null_and_mixed_families()
    {
        Assert.Throws<ArgumentNullException>(() => new UdpMediaSender(null!));
        Assert.Throws<ArgumentException>(() => new UdpMediaSender(new IPEndPoint(IPAddress.Loopback, 0)));
        var options = new UdpSenderOptions { LocalEndPoint = new IPEndPoint(IPAddress.IPv6Loopback, 0) };
        Assert.Throws<ArgumentException>(() => new UdpMediaSender(new IPEndPoint(IPAddress.Loopback, 5004), options));
    }

    [Fact]
    public void Send_rejects_a_null_batch()
    {
        using var receiver = new LoopbackReceiver();
        using var sender = Open(receiver, SegmentationOffloadMode.Auto);

        Assert.Throws<ArgumentNullException>(() => sender.Send(null!));
        Assert.Throws<ArgumentNullException>(() => ValueTasks.CompletedSynchronously(sender.SendAsync(null!)));
    }

    /// <summary>Sends until the sender has counted <paramref name="errors"/> errors in all (bounded: fails after about 2 s).</summary>
    private static void SendUntilErrors(UdpMediaSender sender, DatagramBatch batch, long errors)
    {
        for (int i = 0; i < 400 && sender.Statistics.SendErrors < errors; i++)
        {
            sender.Send(batch);
            Thread.Sleep(5);
        }

        Assert.True(sender.Statistics.SendErrors >= errors, $"Only {sender.Statistics.SendErrors} of {errors} send errors after 400 sends.");
    }

    /// <summary>An old kernel: the option is refused.</summary>
    private sealed class RefusingOffload : SegmentationOffload
    {
        public override string Name => "TEST_REFUSED";

        public override bool TrySetSegmentSize(Socket socket, int segmentSize, out SocketError error)
        {
            error = SocketError.ProtocolOption;
            return false;
        }
    }

    /// <summary>Sets the real Linux option, but to 16 bytes, so segmented sends of full datagrams fail with EINVAL.</summary>
    private sealed class TinySegmentOffload : SegmentationOffload
    {
        public override string Name => "TEST_TINY";

        public override bool TrySetSegmentSize(Socket socket, int segmentSize, out SocketError error)
        {
            int value = segmentSize == 0 ? 0 : 16;
            socket.SetRawSocketOption(17, 103, BitConverter.GetBytes(value));
            error = SocketError.Success;
            return true;
        }
    }
}
