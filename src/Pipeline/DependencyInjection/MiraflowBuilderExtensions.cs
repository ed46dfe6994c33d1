using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Composition;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Transport;
using Miraflow.Rtsp.Negotiation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures what <see cref="MiraflowServiceCollectionExtensions.AddMiraflow"/> registered.</summary>
/// <remarks>The <c>Use*</c> methods replace the current choice (the last call wins); the others add.</remarks>
public static class MiraflowBuilderExtensions
{
    /// <summary>Makes each session's frame source with <typeparamref name="T"/>'s constructor (arguments: the clock, the format, then services).</summary>
    public static IMiraflowBuilder UseFrameSource<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IMiraflowBuilder builder)
        where T : class, IFrameSource
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseFrameSource(static (sp, clock, format) => ActivatorUtilities.CreateInstance<T>(sp, clock, format));
    }

    /// <summary>Makes each session's frame source with <paramref name="create"/> (default: the test picture at the negotiated mode).</summary>
    public static IMiraflowBuilder UseFrameSource(this IMiraflowBuilder builder, Func<IServiceProvider, MediaClock, NegotiatedFormat, IFrameSource> create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(create);
        builder.Services.Replace(ServiceDescriptor.Singleton<IFrameSourceFactory>(sp => new DelegateFrameSourceFactory(sp, create)));
        return builder;
    }

    /// <summary>
    /// Makes each session's audio source with <paramref name="create"/>, which may return null for
    /// silence (default: a tone at the negotiated LPCM rate). Never asked when the format has no audio.
    /// </summary>
    public static IMiraflowBuilder UseAudioSource(this IMiraflowBuilder builder, Func<IServiceProvider, MediaClock, NegotiatedFormat, IAudioSource?> create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(create);
        builder.Services.Replace(ServiceDescriptor.Singleton<IAudioSourceFactory>(sp => new DelegateAudioSourceFactory(sp, create)));
        return builder;
    }

    /// <summary>Picks the keyed <see cref="IVideoEncoderFactory"/> (see <see cref="MiraflowEncoders"/>, or one added with <see cref="AddEncoder{T}"/>).</summary>
    public static IMiraflowBuilder UseEncoder(this IMiraflowBuilder builder, string key)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        builder.Services.Configure<MiraflowOptions>(o => o.EncoderKey = key);
        return builder;
    }

    /// <summary>Registers an encoder factory under <paramref name="key"/> (a keyed singleton; the first registration of a key stays).</summary>
    public static IMiraflowBuilder AddEncoder<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IMiraflowBuilder builder, string key)
        where T : class, IVideoEncoderFactory
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(key);
        builder.Services.TryAddKeyedSingleton<IVideoEncoderFactory, T>(key);
        return builder;
    }

    /// <summary>Changes the UDP sender's options; each session gets a fresh, configured instance.</summary>
    public static IMiraflowBuilder ConfigureTransport(this IMiraflowBuilder builder, Action<UdpSenderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Adds a stage between encode and send (a singleton shared by sessions; once per type). Stages
    /// run in the order they were added, on the send thread, before the TS muxer (<see cref="IPipelineStage"/>).
    /// </summary>
    public static IMiraflowBuilder AddBlock<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IMiraflowBuilder builder)
        where T : class, IPipelineStage
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IPipelineStage, T>());
        return builder;
    }

    /// <summary>Adds a stage instance between encode and send (once per type); see <see cref="IPipelineStage"/>.</summary>
    public static IMiraflowBuilder AddBlock(this IMiraflowBuilder builder, IPipelineStage stage)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(stage);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton(stage));
        return builder;
    }
}
