using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Tests.TestSupport;
using Miraflow.Pipeline.Transport;
using Miraflow.Pipeline.Ts;
using static Miraflow.Pipeline.Tests.Ts.TsTestData;

namespace Miraflow.Pipeline.Tests;

[Trait("Category", "integration")]
public sealed class ReadmeTests
{
    [Fact]
    public void Readme_shows_the_compiled_media_snippet() =>
        Assert.Contains(ReadmeSnippet.Region("tests/Miraflow.Pipeline.Tests/ReadmeSnippets.cs", "stream-access-units"), ReadmeSnippet.Readme, StringComparison.Ordinal);

    [Fact]
    public void Readme_shows_the_compiled_di_snippet() =>
        Assert.Contains(ReadmeSnippet.Region("tests/Miraflow.Pipeline.Tests/Composition/DiSnippet.cs", "compose-with-di"), ReadmeSnippet.Readme, StringComparison.Ordinal);

    [Fact]
    public async Task Snippet_sends_every_unit_as_rtp_carrying_ts()
    {
        using var receiver = new LoopbackReceiver();
        EncodedFrame[] units = [EncodedFrame.Create(Concat(Sps, Pps, IdrSlice(20_000))), .. Enumerable.Range(0, 9).Select(_ => EncodedFrame.Create(Concat(Aud, NonIdrSlice(3_000))))];

        UdpSenderStatistics stats = ReadmeSnippets.StreamAccessUnits(units, receiver.EndPoint);
        await receiver.WaitForCountAsync(stats.DatagramsSent, TimeSpan.FromSeconds(5));

        List<byte[]> datagrams = receiver.Snapshot();
        Assert.Equal(0, stats.SendErrors);
        Assert.Equal(stats.DatagramsSent, datagrams.Count);
        Assert.All(datagrams, d => Assert.True(RtpHeader.TryRead(d, out RtpHeader h, out _, out int length) && h.PayloadType == 33 && length % TsPacket.Size == 0));
        Assert.Equal(TsPid.Pat, TsPacket.ReadPid(datagrams[0].AsSpan(RtpHeader.Size)));
        Assert.Equal(10, datagrams.Count(d => RtpHeader.TryRead(d, out RtpHeader h, out _, out _) && h.Marker));
        foreach (EncodedFrame unit in units)
        {
            unit.Dispose();
        }
    }
}
