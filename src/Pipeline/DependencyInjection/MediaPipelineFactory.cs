using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Control;
using Miraflow.Pipeline.Diagnostics;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Encoders.OpenH264;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Transport;
using Miraflow.Pipeline.Ts;
using Miraflow.Rtsp.Negotiation;

namespace Miraflow.Pipeline.Composition;

/// <summary>The registered <see cref="IMediaPipelineFactory"/>: a singleton holding no per-session state.</summary>
internal sealed partial class MediaPipelineFactory(
    IServiceProvider services,
    IOptionsMonitor<MiraflowOptions> options,
    IOptionsFactory<UdpSenderOptions> transportOptions,
    IFrameSourceFactory frameSources,
    IAudioSourceFactory audioSources,
    IEnumerable<IPipelineStage> stages,
    TimeProvider timeProvider,
    MiraflowMetrics? metrics = null,
    ILoggerFactory? loggerFactory = null) : IMediaPipelineFactory
{
    private readonly IPipelineStage[] _stages = [.. stages];
    private readonly ILoggerFactory _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<MediaSession>();

    public TimeProvider TimeProvider => timeProvider;

    public MediaSession Create(PipelineRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.SinkRtpEndPoint, nameof(request));
        ArgumentNullException.ThrowIfNull(request.Format, nameof(request));
        ArgumentOutOfRangeException.ThrowIfNegative(request.Bitrate, nameof(request));

        MiraflowOptions o = options.CurrentValue;
        int bitrate = request.Bitrate == 0 ? o.DefaultBitrate : request.Bitrate;
        if (OpenH264Encoder.LevelMaxBitrate(request.Format.Level) is > 0 and var levelMax && bitrate > levelMax)
        {
            bitrate = levelMax; // a link faster than the level allows (e.g. 20 Mbit/s offered for 3.1): start at the level's maximum
        }

        // Created in order; on a failure the ones made so far are disposed in reverse order.
        var clock = new MediaClock(timeProvider);
        IFrameSource? frameSource = null;
        IAudioSource? audioSource = null;
        EncodeStage? stage = null;
        UdpMediaSender? sender = null;
        MediaPipeline? pipeline = null;
        try
        {
            IVideoEncoder? encoder = CreateEncoder(o.EncoderKey, request.Format, bitrate);
            stage = new EncodeStage(encoder);
            frameSource = CreateFrameSource(clock, request.Format);
            audioSource = request.Format.Audio is null ? null : audioSources.Create(clock, request.Format);

            TsMuxerOptions muxerOptions = TsMuxerOptions.For(request.Format);
            if (audioSource is null && muxerOptions.Audio.IsPresent)
            {
                // No audio to send (an AAC-only sink: Miraflow has no AAC encoder): no audio stream in the PMT either.
                LogVideoOnly(_logger, muxerOptions.Audio.Codec);
                muxerOptions.Audio = TsAudio.None;
            }

            muxerOptions.PsiInterval = o.PsiInterval;
            muxerOptions.PresentationDelay = o.PresentationDelay;
            var muxer = new TsMuxer(muxerOptions);
            var packetizer = new RtpPacketizer(options: null, clock);
            sender = new UdpMediaSender(request.SinkRtpEndPoint, transportOptions.Create(Options.DefaultName), _loggerFactory.CreateLogger<UdpMediaSender>(), timeProvider);
            pipeline = new MediaPipeline(
                stage,
                muxer,
                packetizer,
                sender,
                clock,
                new MediaPipelineOptions
                {
                    EncodeCapacity = o.EncodeCapacity,
                    SendCapacity = o.SendCapacity,
                    DedicatedEncodeThread = o.DedicatedEncodeThread,
                    StopBudget = o.StopBudget,
                },
                request.Observer,
                _stages,
                metrics,
                _loggerFactory.CreateLogger<MediaPipeline>());
            var controller = new BitrateController(new EncodeStageBitrateTarget(stage), request.Format, bitrate, options: null, timeProvider);
            return new MediaSession(this, request, o.EncoderKey, clock, frameSource, audioSource, encoder, stage, muxer, packetizer, sender, pipeline, controller, _stages);
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

    /// <summary>The encoder registered under <paramref name="key"/>, made for <paramref name="format"/>; null for pass-through.</summary>
    internal IVideoEncoder? CreateEncoder(string key, NegotiatedFormat format, int bitrate)
    {
        IVideoEncoderFactory encoders = services.GetKeyedService<IVideoEncoderFactory>(key)
            ?? throw new InvalidOperationException($"No IVideoEncoderFactory is registered under the key \"{key}\".");
        return encoders.Create(EncoderSettings.For(format, bitrate) with { SliceCount = options.CurrentValue.SlicesPerPicture });
    }

    internal IFrameSource CreateFrameSource(MediaClock clock, NegotiatedFormat format) => frameSources.Create(clock, format);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sink takes only {Codec} audio, which Miraflow cannot encode: the session runs video-only")]
    private static partial void LogVideoOnly(ILogger logger, TsAudioCodec codec);
}
