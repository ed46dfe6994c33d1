using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Control;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Transport;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Composition;

/// <summary>The registered <see cref="IMediaPipelineFactory"/>: a singleton holding no per-session state.</summary>
internal sealed class MediaPipelineFactory(
    IServiceProvider services,
    IOptionsMonitor<MiraflowOptions> options,
    IOptionsFactory<UdpSenderOptions> transportOptions,
    IFrameSourceFactory frameSources,
    IAudioSourceFactory audioSources,
    IEnumerable<IPipelineStage> stages,
    TimeProvider timeProvider,
    ILoggerFactory? loggerFactory = null) : IMediaPipelineFactory
{
    private readonly IPipelineStage[] _stages = [.. stages];
    private readonly ILoggerFactory _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;

    public MediaSession Create(PipelineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.SinkRtpEndPoint, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Format, nameof(request));
        ArgumentOutOfRangeException.ThrowIfNegative(request.Bitrate, nameof(request));

        MiraflowOptions o = options.CurrentValue;
        int bitrate = request.Bitrate == 0 ? o.DefaultBitrate : request.Bitrate;
        IVideoEncoderFactory encoders = services.GetKeyedService<IVideoEncoderFactory>(o.EncoderKey)
            ?? throw new InvalidOperationException($"No IVideoEncoderFactory is registered under the key \"{o.EncoderKey}\".");

        // Created in order; on a failure the ones made so far are disposed in reverse order.
        var clock = new MediaClock(timeProvider);
        IFrameSource? frameSource = null;
        IAudioSource? audioSource = null;
        EncodeStage? stage = null;
        UdpMediaSender? sender = null;
        MediaPipeline? pipeline = null;
        try
        {
            frameSource = frameSources.Create(clock, request.Format);
            audioSource = request.Format.Audio is null ? null : audioSources.Create(clock, request.Format);
            IVideoEncoder? encoder = encoders.Create(EncoderSettings.For(request.Format, bitrate));
            stage = new EncodeStage(encoder);

            TsMuxerOptions muxerOptions = TsMuxerOptions.For(request.Format);
            muxerOptions.PsiInterval = o.PsiInterval;
            muxerOptions.PresentationDelay = o.PresentationDelay;
            var muxer = new TsMuxer(muxerOptions);
            var packetizer = new RtpPacketizer(options: null, clock);
            sender = new UdpMediaSender(request.SinkRtpEndPoint, transportOptions.Create(Options.DefaultName), _loggerFactory.CreateLogger<UdpMediaSender>(), timeProvider);

            // TODO(issue 5 part 4): the IPipelineStage blocks (AddBlock) are resolved into
            // MediaSession.Stages but not yet wired: MediaPipeline has no hook between encode and send.
            pipeline = new MediaPipeline(stage, muxer, packetizer, sender, clock, new MediaPipelineOptions
            {
                EncodeCapacity = o.EncodeCapacity,
                SendCapacity = o.SendCapacity,
                DedicatedEncodeThread = o.DedicatedEncodeThread,
                StopBudget = o.StopBudget,
            });
            var controller = new BitrateController(new EncodeStageBitrateTarget(stage), request.Format, bitrate, options: null, timeProvider);
            return new MediaSession(request, o.EncoderKey, clock, frameSource, audioSource, encoder, stage, muxer, packetizer, sender, pipeline, controller, _stages);
        }
        catch
        {
            pipeline?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            sender?.Dispose();
            stage?.Dispose();
            audioSource?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            frameSource?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }
}
