using Miraflow.Rtsp.Parameters;
using Miraflow.Simulator.Demo;
using Miraflow.Simulator.Sink;

namespace Miraflow.Simulator.Tests.Demo;

/// <summary>The pieces of the latency method and the command-line values, exactly.</summary>
[Trait("Category", "unit")]
public sealed class LatencyTests
{
    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        double[] values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
        Assert.Equal(5, Latency.Percentile(values, 50));
        Assert.Equal(10, Latency.Percentile(values, 99));
        Assert.Equal(1, Latency.Percentile(values, 1));
        Assert.Equal(0, Latency.Percentile([], 50));
        Assert.Equal(7, Latency.Percentile([7], 99));
    }

    [Fact]
    public void The_kth_arrival_is_matched_with_the_kth_frame_sent_and_contradictions_are_reported()
    {
        (ulong, long)[] sent = [(3, 130), (5, 150), (6, 160)];
        long? Capture(ulong frame) => (long)frame * 10;

        LatencyReport good = Latency.Match(sent, Capture, [140, 170, 175], final: true);
        Assert.Equal([new FrameTiming(3, 30, 130, 140), new FrameTiming(5, 50, 150, 170), new FrameTiming(6, 60, 160, 175)], good.Frames);
        Assert.Empty(good.Problems);

        LatencyReport shortOne = Latency.Match(sent, Capture, [140, 170], final: true);
        Assert.Equal("the sink completed 2 video PES but the driver reported 3 frames sent", Assert.Single(shortOne.Problems));
        Assert.Empty(Latency.Match(sent, Capture, [140, 170], final: false).Problems); // still streaming

        LatencyReport early = Latency.Match(sent, Capture, [125, 170, 175], final: true);
        Assert.StartsWith("1 pictures arrived before they were reported sent", Assert.Single(early.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_video_pes_arrives_with_the_last_datagram_carrying_it()
    {
        var arrivals = new VideoPesArrivals();
        arrivals.Record([.. Packet(0x1011, start: true), .. Packet(0x1100, start: true)], 100);
        arrivals.Record(Packet(0x1011, start: false), 200);
        arrivals.Record(Packet(0x1100, start: false), 250); // audio: no effect
        arrivals.Record([.. Packet(0x1011, start: true), .. Packet(0x1011, start: false)], 300);

        Assert.Equal(2, arrivals.Count);
        Assert.Equal([200L], arrivals.Snapshot(includeOpen: false));
        Assert.Equal([200L, 300L], arrivals.Snapshot(includeOpen: true));
    }

    [Theory]
    [InlineData("8M", 8_000_000UL)]
    [InlineData("800k", 800_000UL)]
    [InlineData("2.5M", 2_500_000UL)]
    [InlineData("20000000", 20_000_000UL)]
    [InlineData("1G", 1_000_000_000UL)]
    public void Bitrates_take_SI_suffixes(string text, ulong expected)
    {
        Assert.True(Arguments.TryParseBitrate(text, out ulong bitrate));
        Assert.Equal(expected, bitrate);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-8M")]
    [InlineData("8X")]
    [InlineData("0.5")]
    [InlineData("11G")]
    public void Bad_bitrates_are_refused(string text) => Assert.False(Arguments.TryParseBitrate(text, out _));

    [Theory]
    [InlineData("512M", 512L * 1024 * 1024)]
    [InlineData("200K", 200L * 1024)]
    [InlineData("1048576", 1_048_576L)]
    [InlineData("188", 188L)]
    [InlineData("1G", 1L << 30)]
    [InlineData("2047M", 2047L << 20)]
    [InlineData("2G", 2L << 30)]
    [InlineData("1024G", 1L << 40)]
    public void Capture_sizes_take_binary_suffixes(string text, long expected)
    {
        Assert.True(Arguments.TryParseByteSize(text, out long bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("187")]
    [InlineData("-1M")]
    [InlineData("1.5M")]
    [InlineData("1025G")]
    [InlineData("9999999999999999999K")]
    [InlineData("12X")]
    public void Bad_capture_sizes_are_refused(string text) => Assert.False(Arguments.TryParseByteSize(text, out _));

    [Theory]
    [InlineData("1920x1080p30", ResolutionTable.Cea, 7)]
    [InlineData("1280x720p60", ResolutionTable.Cea, 6)]
    [InlineData("1920x1080i60", ResolutionTable.Cea, 9)]
    [InlineData("1024x768p30", ResolutionTable.Vesa, 2)]
    [InlineData("800x480p30", ResolutionTable.Hh, 0)]
    public void Modes_are_named_as_the_tables_print_them_and_the_sink_advertises_only_that_mode(string text, ResolutionTable table, int bit)
    {
        Assert.True(Arguments.TryParseMode(text, out VideoMode mode));
        Assert.Equal((table, bit), (mode.Table, mode.Bit));

        WfdVideoFormats formats = SinkEmulatorOptions.FromText(Arguments.SinkCapabilitiesFor(mode)).Capabilities.Get<WfdVideoFormats>()!;
        H264Codec codec = Assert.Single(formats.Codecs);
        Assert.Equal(H264Profiles.ConstrainedBaseline, codec.Profile);
        Assert.Equal(mode.Mask, codec.GetBitmap(table));
        Assert.Equal(mode.Mask, codec.GetBitmap(ResolutionTable.Cea) | codec.GetBitmap(ResolutionTable.Vesa) | codec.GetBitmap(ResolutionTable.Hh)); // that bit alone
        Assert.True(H264LevelLimits.Carries(codec.Level, mode));
    }

    [Theory]
    [InlineData("1921x1080p30")]
    [InlineData("1920x1080")]
    [InlineData("")]
    public void Unknown_modes_are_refused(string text) => Assert.False(Arguments.TryParseMode(text, out _));

    private static byte[] Packet(int pid, bool start)
    {
        var packet = new byte[188];
        Miraflow.Pipeline.Ts.TsPacket.WriteHeader(packet, pid, start, Miraflow.Pipeline.Ts.TsPacket.PayloadOnly, 0);
        return packet;
    }
}
