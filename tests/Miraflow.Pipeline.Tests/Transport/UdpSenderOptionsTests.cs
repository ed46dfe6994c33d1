using System.Net;
using Miraflow.Pipeline.Transport;

namespace Miraflow.Pipeline.Tests.Transport;

[Trait("Category", "unit")]
public sealed class UdpSenderOptionsTests
{
    [Fact]
    public void Defaults()
    {
        var options = new UdpSenderOptions();

        Assert.Equal(SegmentationOffloadMode.Auto, options.SegmentationOffload);
        Assert.Equal(1024 * 1024, options.SendBufferSize);
        Assert.Null(options.LocalEndPoint);
        Assert.Null(options.Dscp);
        Assert.False(options.Pacing.Enabled);
        Assert.Equal(TimeSpan.FromMilliseconds(8), options.Pacing.Window);
        Assert.Equal(32, options.Pacing.ThresholdDatagrams);
        Assert.Equal(16, options.Pacing.BurstDatagrams);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData((64 * 1024 * 1024) + 1)]
    public void Send_buffer_size_out_of_range_is_rejected(int size)
    {
        var options = new UdpSenderOptions();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => options.SendBufferSize = size);
        Assert.Contains("send buffer size", ex.Message, StringComparison.Ordinal);
        Assert.Equal(UdpSenderOptions.DefaultSendBufferSize, options.SendBufferSize);
    }

    [Fact]
    public void Send_buffer_size_accepts_null_and_the_bounds()
    {
        var options = new UdpSenderOptions { SendBufferSize = null };
        Assert.Null(options.SendBufferSize);
        options.SendBufferSize = 1;
        options.SendBufferSize = UdpSenderOptions.MaxSendBufferSize;
        Assert.Equal(UdpSenderOptions.MaxSendBufferSize, options.SendBufferSize);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(64)]
    public void Dscp_out_of_range_is_rejected(int dscp)
    {
        var options = new UdpSenderOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.Dscp = dscp);
        options.Dscp = 0;
        options.Dscp = 63;
        Assert.Equal(63, options.Dscp);
    }

    [Fact]
    public void Undefined_offload_mode_and_null_pacing_are_rejected()
    {
        var options = new UdpSenderOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => options.SegmentationOffload = (SegmentationOffloadMode)2);
        Assert.Throws<ArgumentNullException>(() => options.Pacing = null!);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.999)]
    [InlineData(100.001)]
    [InlineData(-5.0)]
    public void Pacing_window_out_of_range_is_rejected(double milliseconds)
    {
        var pacing = new UdpPacingOptions();

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => pacing.Window = TimeSpan.FromMilliseconds(milliseconds));
        Assert.Contains("pacing window", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pacing_counts_must_be_positive()
    {
        var pacing = new UdpPacingOptions();

        Assert.Throws<ArgumentOutOfRangeException>(() => pacing.ThresholdDatagrams = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => pacing.BurstDatagrams = 0);
        pacing.ThresholdDatagrams = 1;
        pacing.BurstDatagrams = 1;
        pacing.Window = TimeSpan.FromMilliseconds(1);
        pacing.Window = TimeSpan.FromMilliseconds(100);
        Assert.Equal(1, pacing.BurstDatagrams);
    }

    [Fact]
    public void Local_end_point_is_kept()
    {
        var local = new IPEndPoint(IPAddress.Loopback, 19000);
        var options = new UdpSenderOptions { LocalEndPoint = local };

        Assert.Same(local, options.LocalEndPoint);
    }
}
