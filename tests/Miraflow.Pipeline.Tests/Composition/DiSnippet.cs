using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Miraflow.Pipeline.Composition;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Tests.TestSupport;
using Miraflow.Rtsp.Negotiation;
using static Miraflow.Pipeline.Tests.Ts.TsTestData;

namespace Miraflow.Pipeline.Tests.Composition;

/// <summary>The README's DI snippet, compiled and run against loopback.</summary>
[Trait("Category", "integration")]
public sealed class DiSnippet
{
    /// <summary>Composes the pipeline with DI and creates one session (the README copies the marked lines).</summary>
    internal static (ServiceProvider Provider, MediaSession Session) ComposeWithDi(IPEndPoint sinkRtp, NegotiatedFormat format)
    {
        // begin-snippet: compose-with-di
        var services = new ServiceCollection();
        services.AddMiraflow(o => o.DefaultBitrate = 8_000_000)
            .UseEncoder("openh264")
            .ConfigureTransport(t => t.SendBufferSize = 2 * 1024 * 1024);

        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<IStartupValidator>().Validate(); // no host: validate options now

        IMediaPipelineFactory factory = provider.GetRequiredService<IMediaPipelineFactory>();
        MediaSession session = factory.Create(new PipelineRequest(sinkRtp, format, Bitrate: 4_000_000));
        // end-snippet
        return (provider, session);
    }

    [Fact]
    public async Task The_snippet_composes_an_openh264_session_that_sends_to_loopback()
    {
        using var receiver = new LoopbackReceiver();
        (ServiceProvider provider, MediaSession session) = ComposeWithDi(receiver.EndPoint, MediaPipelineFactoryTests.Format);
        await using (provider)
        {
            await using (session)
            {
                Assert.Equal("openh264", session.EncoderKey);
                Assert.NotNull(session.Encoder);
                Assert.Equal(4_000_000, session.Encoder.Settings.TargetBitrate);

                // One real picture from the session's source through OpenH264, plus one pre-encoded unit.
                MediaFrame? picture = await session.FrameSource.ReadFrameAsync(CancellationToken.None);
                Assert.NotNull(picture);
                Assert.True(session.Pipeline.Post(picture));
                await MediaPipelineFactoryTests.WaitUntil(() => session.Pipeline.Statistics.VideoUnitsSent == 1);

                EncodedFrame unit = EncodedFrame.Create(Concat(Aud, Sps, Pps, IdrSlice(2000)));
                unit.CaptureTime = session.Clock.Now;
                Assert.True(session.Pipeline.Post(unit));
                await MediaPipelineFactoryTests.WaitUntil(() => session.Pipeline.Statistics.VideoUnitsSent == 2);

                Assert.True(await session.Pipeline.StopAsync());
                long datagrams = session.Pipeline.Statistics.DatagramsSent;
                await receiver.WaitForCountAsync(datagrams, TimeSpan.FromSeconds(5));
                Assert.Equal(datagrams, receiver.Count);
            }

            Assert.Equal(0, session.Pipeline.OutstandingLeases);
        }
    }
}
