using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Composition;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Exports.Driver;

/// <summary>
/// What one <c>CreateMiracastContext</c> allocates (driver contract §2.3): the OS's device handle,
/// a copy of its callback table, and a DI container with the Miraflow pipeline. Handed to the OS
/// as a <see cref="System.Runtime.InteropServices.GCHandle"/> by <see cref="DriverExports"/>;
/// released by <c>DestroyMiracastContext</c> within the 3-second budget (§2.6).
/// </summary>
/// <remarks>
/// There is no host: the container is built here with <see cref="ServiceProviderOptions.ValidateOnBuild"/>
/// and <see cref="ServiceProviderOptions.ValidateScopes"/>, and <see cref="IStartupValidator.Validate"/>
/// is called explicitly (house rule 24), so invalid <c>MiraflowOptions</c> fail the create with an
/// <see cref="OptionsValidationException"/> that the export maps to <c>STATUS_INVALID_PARAMETER</c>.
/// </remarks>
internal sealed partial class DriverContext
{
    private readonly ServiceProvider _services;
    private readonly SessionSlot _slot;
    private int _disposed;

    private DriverContext(HANDLE device, in MIRACAST_CALLBACKS callbacks, ServiceProvider services, SessionSlot slot)
    {
        Device = device;
        Callbacks = callbacks;
        _services = services;
        _slot = slot;
        Logger = services.GetService<ILoggerFactory>()?.CreateLogger("Miraflow.Driver") ?? NullLogger.Instance;
    }

    /// <summary>The OS's <c>hMiracastDeviceHandle</c>, first argument of every callback.</summary>
    public HANDLE Device { get; }

    /// <summary>Our copy of the five OS callbacks; the caller's struct is only borrowed (§2.3).</summary>
    public MIRACAST_CALLBACKS Callbacks { get; }

    /// <summary>The context's services (the pipeline factory, options, logging).</summary>
    public IServiceProvider Services => _services;

    /// <summary>The driver's logger, from the container's <see cref="ILoggerFactory"/>.</summary>
    public ILogger Logger { get; }

    /// <summary>The running session, between a successful Start and Stop; null otherwise.</summary>
    public DriverSession? Session
    {
        get => _slot.Current;
        set => _slot.Current = value;
    }

    /// <summary>
    /// Builds the container and validates the options. Throws what composition throws
    /// (<see cref="OptionsValidationException"/> for invalid options); nothing is left allocated then.
    /// </summary>
    /// <param name="device">The OS device handle.</param>
    /// <param name="callbacks">The OS callback table, copied.</param>
    /// <param name="configure">Extra registrations after <c>AddMiraflow</c> (the test hook); null for none.</param>
    /// <param name="disposeBudget">How long a failed create may spend disposing what it built.</param>
    public static DriverContext Create(HANDLE device, in MIRACAST_CALLBACKS callbacks, Action<IServiceCollection>? configure, TimeSpan disposeBudget)
    {
        var services = new ServiceCollection();
        var slot = new SessionSlot();
        services.AddLogging(logging =>
        {
            if (DriverLogProvider.FromEnvironment() is { } log)
            {
                logging.AddProvider(log);
            }
        });
        services.AddMiraflow()
            .UseFrameSource((_, clock, format) => slot.Current?.CreateFrameSource(clock, format)
                ?? throw new InvalidOperationException("The driver has no running session to read chunks for."))
            .UseAudioSource((_, clock, format) => TsMuxerOptions.For(format).Audio is { Codec: TsAudioCodec.Lpcm } lpcm
                ? new ToneAudioSource(clock, lpcm.SampleRate, amplitude: 0) // LPCM silence until the driver captures audio
                : null);
        configure?.Invoke(services);

        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions
        {
            ValidateOnBuild = true,
            ValidateScopes = true,
        });
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return new DriverContext(device, callbacks, provider, slot);
        }
        catch
        {
            _ = BoundedDisposal.DisposeWithin(provider, disposeBudget);
            throw;
        }
    }

    /// <summary>
    /// Disposes the container, waiting at most <paramref name="budget"/>. Idempotent.
    /// </summary>
    /// <returns>False when the disposal was still running when the budget ran out.</returns>
    public bool Dispose(TimeSpan budget)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return true;
        }

        bool finished = BoundedDisposal.DisposeWithin(_services, budget);
        if (!finished)
        {
            LogDisposalCut(Logger, budget.TotalMilliseconds);
        }

        return finished;
    }

    /// <summary>Where the composition's frame-source delegate finds the running session (set after the container is built).</summary>
    private sealed class SessionSlot
    {
        private volatile DriverSession? _current;

        public DriverSession? Current
        {
            get => _current;
            set => _current = value;
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "DestroyMiracastContext: the services were still disposing after {BudgetMs} ms; returning to the OS anyway")]
    private static partial void LogDisposalCut(ILogger logger, double budgetMs);
}
