using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Encoders.OpenH264;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Ts;
using Miraflow.Rtsp.Negotiation;

namespace Miraflow.Pipeline.Composition;

/// <summary>The keys of the built-in <see cref="IVideoEncoderFactory"/> registrations.</summary>
public static class MiraflowEncoders
{
    /// <summary>OpenH264 software encoding of raw pictures (the default).</summary>
    public const string OpenH264 = "openh264";

    /// <summary>No encoder: only already-encoded access units (GPU encoders, Annex-B files) pass through.</summary>
    public const string PassThrough = "passthrough";
}

/// <summary>Makes one session's encoder; registered as a keyed singleton under its key.</summary>
public interface IVideoEncoderFactory
{
    /// <summary>Creates the encoder, or returns null when the session only passes encoded units through.</summary>
    IVideoEncoder? Create(EncoderSettings settings);
}

/// <summary>Makes one session's frame source.</summary>
public interface IFrameSourceFactory
{
    /// <summary>Creates the source for the session's clock and negotiated format.</summary>
    IFrameSource Create(MediaClock clock, NegotiatedFormat format);
}

/// <summary>Makes one session's audio source; only asked when the format has audio.</summary>
public interface IAudioSourceFactory
{
    /// <summary>Creates the source, or returns null for a silent session.</summary>
    IAudioSource? Create(MediaClock clock, NegotiatedFormat format);
}

internal sealed class OpenH264EncoderFactory(ILoggerFactory? loggerFactory = null) : IVideoEncoderFactory
{
    private readonly ILoggerFactory _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;

    public IVideoEncoder? Create(EncoderSettings settings) => new OpenH264Encoder(settings, pool: null, _loggerFactory.CreateLogger<OpenH264Encoder>());
}

internal sealed class PassThroughEncoderFactory : IVideoEncoderFactory
{
    public IVideoEncoder? Create(EncoderSettings settings) => null;
}

internal sealed class TestPictureSourceFactory : IFrameSourceFactory
{
    public IFrameSource Create(MediaClock clock, NegotiatedFormat format) => TestPictureSource.ForMode(clock, format.Mode);
}

internal sealed class ToneAudioSourceFactory : IAudioSourceFactory
{
    public IAudioSource? Create(MediaClock clock, NegotiatedFormat format)
    {
        TsAudio audio = TsMuxerOptions.For(format).Audio;
        return audio.Codec == TsAudioCodec.Lpcm ? new ToneAudioSource(clock, audio.SampleRate) : null;
    }
}

internal sealed class DelegateFrameSourceFactory(IServiceProvider services, Func<IServiceProvider, MediaClock, NegotiatedFormat, IFrameSource> create) : IFrameSourceFactory
{
    public IFrameSource Create(MediaClock clock, NegotiatedFormat format) =>
        create(services, clock, format) ?? throw new InvalidOperationException("The frame source delegate returned null.");
}

internal sealed class DelegateAudioSourceFactory(IServiceProvider services, Func<IServiceProvider, MediaClock, NegotiatedFormat, IAudioSource?> create) : IAudioSourceFactory
{
    public IAudioSource? Create(MediaClock clock, NegotiatedFormat format) => create(services, clock, format);
}
