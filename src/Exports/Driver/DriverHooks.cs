using Microsoft.Extensions.DependencyInjection;

namespace Miraflow.Exports.Driver;

/// <summary>
/// Internal test hooks read by <c>CreateMiracastContext</c>. The OS has no way to pass options to
/// the driver (docs/driver.md, "Options"), so tests reach the composition through these. Never set
/// in production; tests that set them run in the non-parallel "Driver" collection and reset them.
/// </summary>
internal static class DriverHooks
{
    /// <summary>Registrations applied after <c>AddMiraflow</c> (e.g. invalid options, extra disposables).</summary>
    internal static Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Runs inside <c>CreateMiracastContext</c> before anything is allocated (e.g. to throw).</summary>
    internal static Action? BeforeCreate { get; set; }
}
