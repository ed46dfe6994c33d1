using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Miraflow.Pipeline.Composition;
using Miraflow.Pipeline.Control;
using Miraflow.Pipeline.Ts;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Sessions;
using Miraflow.Simulator.Sink;
using Xunit.Abstractions;

namespace Miraflow.Simulator.Tests.Sink;

/// <summary>
/// The sink emulator against our real source: a <see cref="SessionController"/> composed with
/// <c>AddMiraflow()</c> on a loopback listener the sink dials, as in WFD.
/// </summary>
[Trait("Category", "integration")]
public sealed class SinkEmulatorTests(ITestOutputHelper output)
{
    /// <summary>A sink that takes only 1280×720p30 CBP 3.1 and 48 kHz stereo LPCM.</summary>
    public static readonly string Sink720p30 = TestSinks.Sink720p30;

    [Fact]
    public async Task Negotiates_720p30_with_our_source_and_captures_a_lossless_stream_that_decodes()
    {
        ExternalTool.Require("ffmpeg");
        await using ServiceProvider provider = Compose(o => o.DefaultBitrate = 4_000_000);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        Task<SinkEmulator> connecting = SinkEmulator.ConnectAsync((IPEndPoint)listener.LocalEndpoint, SinkEmulatorOptions.FromText(Sink720p30));
        using Socket sourceSocket = await listener.AcceptSocketAsync();
        await using SinkEmulator sink = await connecting;
        await using var controller = new SessionController(sourceSocket, provider.GetRequiredService<IMediaPipelineFactory>());
        controller.Start();

        await sink.Streaming.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((1280, 720, 30), (sink.Format?.Mode?.Width, sink.Format?.Mode?.Height, sink.Format?.Mode?.FrameRate));
        MediaSession media = controller.Media ?? throw new InvalidOperationException("Media arrived but the source runs no media session.");
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        SinkEnded? ended = await sink.TeardownAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SessionEndReason.Stopped, ended?.Reason);
        SessionOutcome outcome = await controller.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SessionEndReason.SinkDisconnectRequest, outcome.Reason);

        // Everything the source sent has been handed to the kernel; give the receiver a moment to read it.
        long sent = media.Pipeline.Statistics.DatagramsSent;
        Assert.True(await sink.WaitForDatagramsAsync(sent, TimeSpan.FromSeconds(5)), $"sent {sent}, {sink.Statistics}");
        SinkStatistics stats = sink.Statistics;
        output.WriteLine(stats.ToString());
        Assert.True(stats.Datagrams > 100, stats.ToString());
        Assert.True(stats.IsLossless, stats.ToString());
        Assert.Equal(stats.TsPackets * TsPacket.Size, stats.CapturedBytes);
        Assert.False(stats.CaptureTruncated);

        string directory = Directory.CreateTempSubdirectory("miraflow-sink-").FullName;
        try
        {
            string video = Path.Combine(directory, "video.ts");
            await File.WriteAllBytesAsync(video, TsPacketFilter.WithoutPid(sink.CaptureTs(), TsPid.Audio));
            ToolResult decode = await ExternalTool.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", video, "-enc_time_base", "-1", "-f", "null", "-"], TimeSpan.FromMinutes(2));
            Assert.True(decode.ExitCode == 0 && decode.StandardError.Length == 0, decode.Describe());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_source_that_closes_the_connection_ends_the_sink_with_a_reason_and_streaming_faults()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Task<SinkEmulator> connecting = SinkEmulator.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        Socket source = await listener.AcceptSocketAsync();
        await using SinkEmulator sink = await connecting;
        source.Dispose();

        SinkEnded ended = await sink.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(SessionEndReason.Stopped, ended.Reason);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sink.Streaming);
        Assert.Equal(0, sink.Statistics.Datagrams);
        Assert.Empty(sink.CaptureTs());
    }

    [Fact]
    public async Task The_capture_stops_keeping_bytes_at_its_limit_but_keeps_counting()
    {
        (Socket source, Socket sinkSide) = await LoopbackTcp.ConnectPairAsync();
        using (source)
        using (sinkSide)
        {
            await using SinkEmulator sink = SinkEmulator.Start(sinkSide, new SinkEmulatorOptions { MaxCaptureBytes = 3 * TsPacket.Size });
            using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            for (int i = 0; i < 3; i++)
            {
                var datagram = new byte[12 + (2 * TsPacket.Size)];
                new Miraflow.Pipeline.Rtp.RtpHeader(false, 33, (ushort)i, 0, 1).Write(datagram);
                for (int p = 0; p < 2; p++)
                {
                    TsPacket.WriteHeader(datagram.AsSpan(12 + (p * TsPacket.Size)), 0x1011, false, TsPacket.PayloadOnly, (2 * i) + p);
                }

                await sender.SendToAsync(datagram, sink.RtpEndPoint);
            }

            await sender.SendToAsync(new byte[] { 1, 2, 3 }, sink.RtpEndPoint);
            Assert.True(await sink.WaitForDatagramsAsync(3, TimeSpan.FromSeconds(5)));
            await sink.Streaming.WaitAsync(TimeSpan.FromSeconds(1));
            for (int spin = 0; spin < 100 && sink.Statistics.NonRtp == 0; spin++)
            {
                await Task.Delay(10);
            }

            SinkStatistics stats = sink.Statistics;
            Assert.Equal((4L, 1L, 6L, 0L), (stats.Datagrams, stats.NonRtp, stats.TsPackets, stats.ContinuityErrors));
            Assert.Equal(2 * TsPacket.Size, stats.CapturedBytes); // the second payload would pass the limit: not kept
            Assert.True(stats.CaptureTruncated);
            Assert.Equal(2 * TsPacket.Size, sink.CaptureTs().Length);
        }
    }

    [Fact]
    public void Options_from_a_file_keep_parameter_lines_name_a_malformed_one_and_require_the_video_formats()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "# a captured M3 answer\nlog: chatter\n" + Sink720p30);
            SinkEmulatorOptions options = SinkEmulatorOptions.FromFile(path);
            H264Codec codec = Assert.Single(options.Capabilities.Get<WfdVideoFormats>()!.Codecs);
            Assert.Equal(0x20u, codec.Cea);

            File.WriteAllText(path, "wfd_video_formats: zz\n");
            FormatException error = Assert.Throws<FormatException>(() => SinkEmulatorOptions.FromFile(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);

            // A log whose lines carry a prefix keeps no line: an error, not a sink that answers M3 with nothing.
            File.WriteAllText(path, "[Some source]   CSeq: 2\n[Some source]   wfd_video_formats: 00 00 01 01 00000020 00000000 00000000 00 0000 0000 00 none none\n");
            error = Assert.Throws<FormatException>(() => SinkEmulatorOptions.FromFile(path));
            Assert.Contains("there is no wfd_video_formats line", error.Message, StringComparison.Ordinal);

            // An audio-only sink says so.
            File.WriteAllText(path, "wfd_video_formats: none\nwfd_audio_codecs: LPCM 00000002 00\n");
            Assert.True(SinkEmulatorOptions.FromFile(path).Capabilities.Get<WfdVideoFormats>()!.IsNone);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ServiceProvider Compose(Action<MiraflowOptions> options)
    {
        var services = new ServiceCollection();
        services.AddMiraflow(options);
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<IStartupValidator>().Validate();
        return provider;
    }
}
