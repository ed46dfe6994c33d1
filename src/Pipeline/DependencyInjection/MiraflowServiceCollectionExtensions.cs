using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Miraflow.Pipeline.Composition;
using Miraflow.Pipeline.Diagnostics;
using Miraflow.Pipeline.Transport;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the Miraflow pipeline (house rules 22–24; YARP's <c>AddReverseProxy</c>, Polly's marker).
/// </summary>
public static class MiraflowServiceCollectionExtensions
{
    /// <summary>
    /// Adds the pipeline factory, the default sources and the keyed encoders
    /// (<see cref="MiraflowEncoders.OpenH264"/>, the default, and <see cref="MiraflowEncoders.PassThrough"/>).
    /// Safe to call more than once: everything is registered once, and each
    /// <paramref name="configure"/> is applied.
    /// </summary>
    /// <remarks>
    /// Options are validated by a generated validator and marked <c>ValidateOnStart</c>. A host runs
    /// that at start; the driver has no host, so after building its provider (with
    /// <see cref="ServiceProviderOptions.ValidateOnBuild"/> and <see cref="ServiceProviderOptions.ValidateScopes"/>)
    /// it calls <c>GetRequiredService&lt;IStartupValidator&gt;().Validate()</c> itself and maps
    /// <see cref="OptionsValidationException"/> to STATUS_INVALID_PARAMETER.
    /// </remarks>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes to the defaults; null for none.</param>
    /// <returns>A builder for the encoder, sources, transport and blocks.</returns>
    public static IMiraflowBuilder AddMiraflow(this IServiceCollection services, Action<MiraflowOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new MiraflowBuilder(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(MiraflowMarker)))
        {
            return builder;
        }

        services.TryAddSingleton<MiraflowMarker>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<MiraflowOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MiraflowOptions>, MiraflowOptionsValidator>());
        services.AddOptions<UdpSenderOptions>();

        services.TryAddKeyedSingleton<IVideoEncoderFactory, OpenH264EncoderFactory>(MiraflowEncoders.OpenH264);
        services.TryAddKeyedSingleton<IVideoEncoderFactory, PassThroughEncoderFactory>(MiraflowEncoders.PassThrough);
        services.TryAddSingleton<IFrameSourceFactory, TestPictureSourceFactory>();
        services.TryAddSingleton<IAudioSourceFactory, ToneAudioSourceFactory>();
        services.TryAddSingleton<IMediaPipelineFactory, MediaPipelineFactory>();
        services.TryAddSingleton(sp => new MiraflowMetrics(sp.GetService<IMeterFactory>()));
        return builder;
    }

    /// <summary>Polly-style marker: its presence means <see cref="AddMiraflow"/> already registered everything.</summary>
    private sealed class MiraflowMarker;
}
