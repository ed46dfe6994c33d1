using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Miraflow.Pipeline.Tests.Encoders;

/// <summary>Keeps every message at or above a level (thread-safe: the library may log from its threads).</summary>
internal sealed class ListLogger(LogLevel minimum) : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Messages { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Messages.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
