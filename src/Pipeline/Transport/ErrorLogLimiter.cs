namespace Miraflow.Pipeline.Transport;

/// <summary>
/// Rate limit for error logs on a send path: the first error is logged, then at most one per
/// <see cref="Interval"/>, each saying how many were left out since the previous one. A dead
/// sink (thousands of refused sends a second) thus costs one log line a second.
/// </summary>
/// <remarks>A mutable struct kept in a field and used by one thread at a time (its owner's send path).</remarks>
internal struct ErrorLogLimiter
{
    /// <summary>The shortest time between two logged errors.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private long _lastLogged;
    private long _suppressed;
    private bool _hasLogged;

    /// <summary>
    /// Records one error; <see langword="true"/> when it should be logged, with the number of
    /// errors left out since the last logged one.
    /// </summary>
    public bool ShouldLog(TimeProvider time, out long suppressed)
    {
        long now = time.GetTimestamp();
        if (_hasLogged && time.GetElapsedTime(_lastLogged, now) < Interval)
        {
            _suppressed++;
            suppressed = 0;
            return false;
        }

        suppressed = _suppressed;
        _suppressed = 0;
        _lastLogged = now;
        _hasLogged = true;
        return true;
    }
}
