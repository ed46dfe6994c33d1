using System.Buffers.Binary;
using System.Net;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Tests.TestSupport;
using Miraflow.Pipeline.Transport;

namespace Miraflow.Pipeline.Tests.Transport;

[Trait("Category", "integration")]
public sealed class RtcpReporterTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    /// <summary>2025-01-01T00:00:00Z as NTP seconds: 45,656 days after 1900-01-01.</summary>
    private const uint NtpSeconds2025 = 45_656u * 86_400;

    [Fact]
    public void Sends_a_sender_report_every_interval_once_started()
    {
        using var sink = new LoopbackReceiver();
        var time = new ManualTimeProvider();
        var state = new FakeState { Ssrc = 0xDEADBEEF, CurrentRtpTimestamp = 90_000, PacketCount = 1_000, OctetCount = 1_316_000 };
        var options = new RtcpReporterOptions { Enabled = true, RtcpPort = sink.EndPoint.Port, CName = "miraflow@127.0.0.1" };
        using var reporter = new RtcpReporter(new IPEndPoint(IPAddress.Loopback, 5004), state, options, null, time);

        Assert.True(reporter.IsActive);
        Assert.False(reporter.IsRunning);
        reporter.Start();
        Assert.True(reporter.IsRunning);
        time.Advance(TimeSpan.FromSeconds(5) - TimeSpan.FromTicks(1));
        Assert.False(sink.Arrives(Quiet));

        time.Advance(TimeSpan.FromTicks(1));
        byte[] report = sink.Receive(out IPEndPoint from);

        Assert.Equal(reporter.LocalEndPoint, from);
        Assert.Equal(RtcpSenderReport.GetLength(18), report.Length);
        Assert.Equal(0x80, report[0]);
        Assert.Equal(200, report[1]);
        Assert.Equal(6, BinaryPrimitives.ReadUInt16BigEndian(report.AsSpan(2)));
        Assert.Equal(0xDEADBEEFu, BinaryPrimitives.ReadUInt32BigEndian(report.AsSpan(4)));
        Assert.Equal(NtpSeconds2025 + 5, BinaryPrimitives.ReadUInt32BigEndian(report.AsSpan(8)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(report.AsSpan(12)));
        Assert.Equal(90_000u, BinaryPrimitives.ReadUInt32BigEndian(report.AsSpan(16)));
        Assert.Equal(1_000u, BinaryPrimitives.ReadUInt32BigEndian(report.AsSpan(20)));
        Assert.Equal(1_316_000u, BinaryPrimitives.ReadUInt32BigEndian(report.AsSpan(24)));
        Assert.Equal(0x81, report[28]);
        Assert.Equal(202, report[29]);
        Assert.Equal("miraflow@127.0.0.1"u8.ToArray(), report.AsSpan(38, 18).ToArray());

        // The next one a period later, with the counts as they are then (wrapped to 32 bits).
        state.PacketCount = (1L << 32) + 7;
        state.CurrentRtpTimestamp = 540_000;
        time.Advance(TimeSpan.FromSeconds(5));
        report = sink.Receive();
        Assert.Equal(NtpSeconds2025 + 10, BinaryPrimitives.ReadUInt32BigEndian(report.AsSpan(8)));
        Assert.Equal(540_000u, BinaryPrimitives.ReadUInt32BigEndian(report.AsSpan(16)));
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32BigEndian(report.AsSpan(20)));
        Assert.Equal(2, reporter.ReportsSent);
        Assert.Equal(0, reporter.SendErrors);
    }

    [Fact]
    public void The_rtcp_port_defaults_to_the_rtp_port_plus_one()
    {
        using var sink = new LoopbackReceiver();
        var options = new RtcpReporterOptions { Enabled = true, Interval = TimeSpan.FromSeconds(1) };
        using var reporter = new RtcpReporter(new IPEndPoint(IPAddress.Loopback, sink.EndPoint.Port - 1), new FakeState(), options);

        Assert.Equal(sink.EndPoint, reporter.RemoteEndPoint);
        Assert.True(reporter.SendReport());
        Assert.Equal(RtcpSenderReport.GetLength("miraflow".Length), sink.Receive().Length);
    }

    [Fact]
    public void Disabled_by_default_sends_nothing()
    {
        using var sink = new LoopbackReceiver();
        var time = new ManualTimeProvider();
        using var reporter = new RtcpReporter(new IPEndPoint(IPAddress.Loopback, sink.EndPoint.Port - 1), new FakeState(), null, null, time);

        reporter.Start();
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(reporter.IsActive);
        Assert.False(reporter.IsRunning);
        Assert.Null(reporter.RemoteEndPoint);
        Assert.False(reporter.SendReport());
        Assert.False(sink.Arrives(Quiet));
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Theory]
    [InlineData(5004, 0)] // the sink gave no RTCP port
    [InlineData(65535, null)] // RTP port + 1 does not exist
    [InlineData(0, null)]
    public void No_rtcp_port_means_no_reports_and_no_failure(int rtpPort, int? rtcpPort)
    {
        var time = new ManualTimeProvider();
        var options = new RtcpReporterOptions { Enabled = true, RtcpPort = rtcpPort };
        using var reporter = new RtcpReporter(new IPEndPoint(IPAddress.Loopback, rtpPort), new FakeState(), options, null, time);

        reporter.Start();
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(reporter.IsActive);
        Assert.False(reporter.IsRunning);
        Assert.False(reporter.SendReport());
        Assert.Equal(0, reporter.ReportsSent);
    }

    [Fact]
    public void A_closed_rtcp_port_counts_errors_and_never_throws()
    {
        IPEndPoint closed = LoopbackReceiver.ClosedPort();
        var logger = new ListLogger();
        var options = new RtcpReporterOptions { Enabled = true, RtcpPort = closed.Port };
        using var reporter = new RtcpReporter(new IPEndPoint(IPAddress.Loopback, 5004), new FakeState(), options, logger);

        for (int i = 0; i < 400 && reporter.SendErrors == 0; i++)
        {
            reporter.SendReport();
            Thread.Sleep(5);
        }

        Assert.True(reporter.SendErrors > 0);
        Assert.True(reporter.ReportsSent > 0);
        Assert.Contains(logger.Entries, e => e.Id.Id == 313);
    }

    [Fact]
    public void A_failing_state_skips_the_report()
    {
        using var sink = new LoopbackReceiver();
        var logger = new ListLogger();
        var options = new RtcpReporterOptions { Enabled = true, RtcpPort = sink.EndPoint.Port };
        using var reporter = new RtcpReporter(new IPEndPoint(IPAddress.Loopback, 5004), new FakeState { Throws = true }, options, logger);

        Assert.False(reporter.SendReport());
        Assert.False(sink.Arrives(Quiet));
        Assert.Contains(logger.Entries, e => e.Id.Id == 314);
    }

    [Fact]
    public async Task Dispose_stops_the_reports()
    {
        using var sink = new LoopbackReceiver();
        var time = new ManualTimeProvider();
        var options = new RtcpReporterOptions { Enabled = true, RtcpPort = sink.EndPoint.Port, Interval = TimeSpan.FromSeconds(1) };
        var reporter = new RtcpReporter(new IPEndPoint(IPAddress.Loopback, 5004), new FakeState(), options, null, time);
        reporter.Start();
        time.Advance(TimeSpan.FromSeconds(1));
        sink.Receive();

        await reporter.DisposeAsync();
        reporter.Dispose();
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(reporter.IsRunning);
        Assert.False(reporter.SendReport());
        Assert.False(sink.Arrives(Quiet));
        Assert.Equal(0, time.ActiveTimerCount);
        Assert.Throws<ObjectDisposedException>(reporter.Start);
    }

    [Fact]
    public void Options_are_checked()
    {
        var options = new RtcpReporterOptions();

        Assert.False(options.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Interval);
        Assert.Null(options.RtcpPort);
        Assert.Equal("miraflow", options.CName);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Interval = TimeSpan.FromMilliseconds(99));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.Interval = TimeSpan.FromMinutes(11));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.RtcpPort = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.RtcpPort = 65536);
        Assert.Throws<ArgumentException>(() => options.CName = "");
        Assert.Throws<ArgumentException>(() => options.CName = new string('x', 256));
        Assert.Throws<ArgumentNullException>(() => options.CName = null!);
        options.CName = new string('x', 255);
        options.RtcpPort = 0;
        Assert.Equal(0, options.RtcpPort);
    }

    private sealed class FakeState : IRtpSenderState
    {
        private uint _ssrc = 1;

        public bool Throws { get; init; }

        public uint Ssrc
        {
            get => Throws ? throw new InvalidOperationException("no stream") : _ssrc;
            set => _ssrc = value;
        }

        public uint CurrentRtpTimestamp { get; set; }

        public long PacketCount { get; set; }

        public long OctetCount { get; set; }
    }
}
