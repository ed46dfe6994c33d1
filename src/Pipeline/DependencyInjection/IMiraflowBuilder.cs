using Microsoft.Extensions.DependencyInjection;

namespace Miraflow.Pipeline.Composition;

/// <summary>Returned by <c>AddMiraflow</c>; further configuration is extension methods on it.</summary>
public interface IMiraflowBuilder
{
    /// <summary>The service collection Miraflow was added to.</summary>
    IServiceCollection Services { get; }
}

/// <summary>The builder behind <see cref="IMiraflowBuilder"/> (YARP's <c>ReverseProxyBuilder</c>).</summary>
internal sealed class MiraflowBuilder(IServiceCollection services) : IMiraflowBuilder
{
    public IServiceCollection Services { get; } = services ?? throw new ArgumentNullException(nameof(services));
}
