using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Miraflow.Exports.Driver;

/// <summary>
/// The driver's own log sink, off unless the host process sets <c>MIRAFLOW_DRIVER_LOG</c>
/// (docs/driver.md, "Logging"): <c>stderr</c>, or a file path the lines are appended to. The OS
/// host has no console and no configuration we can read, so an environment variable is the one
/// switch an operator (or a test host) can set. One line per entry; never throws.
/// </summary>
internal sealed class DriverLogProvider : ILoggerProvider
{
    /// <summary>The environment variable that turns the log on.</summary>
    public const string Variable = "MIRAFLOW_DRIVER_LOG";

    private readonly Lock _gate = new();
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;

    private DriverLogProvider(TextWriter writer, bool ownsWriter)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
    }

    /// <summary>The provider <c>MIRAFLOW_DRIVER_LOG</c> asks for, or null when it is unset or unusable.</summary>
    public static DriverLogProvider? FromEnvironment()
    {
        string? target = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(target))
        {
            return null;
        }

        if (target.Equals("stderr", StringComparison.OrdinalIgnoreCase))
        {
            return new DriverLogProvider(Console.Error, ownsWriter: false);
        }

        try
        {
            var file = new StreamWriter(new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            return new DriverLogProvider(file, ownsWriter: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null; // a log that cannot be opened must not fail the driver
        }
    }

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsWriter)
        {
            lock (_gate)
            {
                _writer.Dispose();
            }
        }
    }

    private void Write(string line)
    {
        try
        {
            lock (_gate)
            {
                _writer.WriteLine(line);
                _writer.Flush();
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the log is gone; the driver goes on
        }
    }

    private sealed class Logger(DriverLogProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string time = System.Diagnostics.Stopwatch.GetElapsedTime(0).TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);
            string line = $"{time} {logLevel,-11} {category}: {formatter(state, exception)}";
            if (exception is not null)
            {
                line += Environment.NewLine + exception;
            }

            provider.Write(line);
        }
    }
}
