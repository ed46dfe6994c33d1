using System.Net;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Control;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Transport;
using Miraflow.Pipeline.Ts;
using Miraflow.Rtsp.Negotiation;

namespace Miraflow.Pipeline.Composition;

/// <summary>What one session's pipeline is made for.</summary>
/// <param name="SinkRtpEndPoint">The sink's RTP address and port.</param>
/// <param name="Format">The negotiated format.</param>
/// <param name="Bitrate">The encoder's starting bitrate in bit/s; 0 for <see cref="MiraflowOptions.DefaultBitrate"/>.</param>
public sealed record PipelineRequest(IPEndPoint SinkRtpEndPoint, NegotiatedFormat Format, int Bitrate = 0);

/// <summary>Makes one <see cref="MediaSession"/> per WFD session; pipelines are never singletons (house style §7).</summary>
public interface IMediaPipelineFactory
{
    /// <summary>Creates and starts a session's pipeline (sources are created, not started).</summary>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    /// <exception cref="InvalidOperationException">No encoder is registered under <see cref="MiraflowOptions.EncoderKey"/>.</exception>
    MediaSession Create(PipelineRequest request);
}

/// <summary>
/// Owns one session's objects, created in order by <see cref="IMediaPipelineFactory"/>; disposal
/// runs in reverse order. Reading the sources into <see cref="Pipeline"/> is the caller's loop.
/// </summary>
public sealed class MediaSession : IAsyncDisposable
{
    private int _disposed;

    internal MediaSession(
        PipelineRequest request,
        string encoderKey,
        MediaClock clock,
        IFrameSource frameSource,
        IAudioSource? audioSource,
        IVideoEncoder? encoder,
        EncodeStage stage,
        TsMuxer muxer,
        RtpPacketizer packetizer,
        UdpMediaSender sender,
        MediaPipeline pipeline,
        BitrateController bitrateController,
        IReadOnlyList<IPipelineStage> stages)
    {
        Request = request;
        EncoderKey = encoderKey;
        Clock = clock;
        FrameSource = frameSource;
        AudioSource = audioSource;
        Encoder = encoder;
        EncodeStage = stage;
        Muxer = muxer;
        Packetizer = packetizer;
        Sender = sender;
        Pipeline = pipeline;
        BitrateController = bitrateController;
        Stages = stages;
    }

    /// <summary>What the session was made for.</summary>
    public PipelineRequest Request { get; }

    /// <summary>The key of the encoder factory used.</summary>
    public string EncoderKey { get; }

    /// <summary>The session clock.</summary>
    public MediaClock Clock { get; }

    /// <summary>Where pictures come from.</summary>
    public IFrameSource FrameSource { get; }

    /// <summary>Where audio comes from; null when the format has none.</summary>
    public IAudioSource? AudioSource { get; }

    /// <summary>The encoder; null for pass-through.</summary>
    public IVideoEncoder? Encoder { get; }

    /// <summary>The encode stage (encoder and pass-through).</summary>
    public EncodeStage EncodeStage { get; }

    /// <summary>The TS muxer.</summary>
    public TsMuxer Muxer { get; }

    /// <summary>The RTP packetizer.</summary>
    public RtpPacketizer Packetizer { get; }

    /// <summary>The UDP sender to the sink.</summary>
    public UdpMediaSender Sender { get; }

    /// <summary>The running pipeline.</summary>
    public MediaPipeline Pipeline { get; }

    /// <summary>The session's bitrate controller (feed it data-rate samples).</summary>
    public BitrateController BitrateController { get; }

    /// <summary>
    /// The stages added with <c>AddBlock</c>. Not yet called: <see cref="MediaPipeline"/> has no
    /// hook between encode and send.
    /// </summary>
    public IReadOnlyList<IPipelineStage> Stages { get; }

    /// <summary>Stops the pipeline (within its stop budget) and disposes everything in reverse order. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // BitrateController, RtpPacketizer and TsMuxer hold nothing to free.
        await Pipeline.DisposeAsync().ConfigureAwait(false);
        Sender.Dispose();
        EncodeStage.Dispose();
        if (AudioSource is not null)
        {
            await AudioSource.DisposeAsync().ConfigureAwait(false);
        }

        await FrameSource.DisposeAsync().ConfigureAwait(false);
    }
}
