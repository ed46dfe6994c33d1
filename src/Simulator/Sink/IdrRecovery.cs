using System.Diagnostics;

namespace Miraflow.Simulator.Sink;

/// <summary>What the sink's IDR requests (M13) achieved (a snapshot).</summary>
/// <param name="Requests">M13 requests sent.</param>
/// <param name="IdrPictures">IDR pictures received (the session's first one included).</param>
/// <param name="Recoveries">Requests answered: each time an IDR arrived while a request (or several repeated ones) waited for it.</param>
/// <param name="Pending">True when a request is still waiting for its IDR.</param>
/// <param name="LongestWait">The longest time from the first request of a wait to the first TS packet of the IDR that ended it; null before any recovery.</param>
/// <param name="TotalWait">The sum of those times (divide by <paramref name="Recoveries"/> for the mean).</param>
public readonly record struct IdrRecoveryStatistics(
    long Requests,
    long IdrPictures,
    long Recoveries,
    bool Pending,
    TimeSpan? LongestWait,
    TimeSpan TotalWait);

/// <summary>
/// Decides when a sink that sees losses asks for an IDR, and measures how long the picture takes
/// to recover: at most one M13 per <see cref="SinkEmulatorOptions.IdrRequestInterval"/>, none while
/// one is being sent, and none while a request waits for its IDR unless it has waited
/// <see cref="SinkEmulatorOptions.IdrRetryAfter"/> (the IDR may itself have been lost). Times are
/// <see cref="Stopwatch"/> timestamps. Not thread-safe (the emulator locks around it).
/// </summary>
internal sealed class IdrRecovery(TimeSpan minInterval, TimeSpan retryAfter)
{
    private readonly long _minInterval = ToTicks(minInterval);
    private readonly long _retryAfter = ToTicks(retryAfter);
    private bool _inFlight;
    private long _requests;
    private long _recoveries;
    private long _lastRequest = long.MinValue;
    private long _waitingSince = -1;
    private long _longest = -1;
    private long _total;

    /// <summary>True when a loss at <paramref name="now"/> should send a request; the caller then reports <see cref="Sent"/>.</summary>
    public bool TryBegin(long now)
    {
        if (_inFlight || (_lastRequest != long.MinValue && now - _lastRequest < _minInterval))
        {
            return false;
        }

        if (_waitingSince >= 0 && now - _lastRequest < _retryAfter)
        {
            return false;
        }

        _inFlight = true;
        return true;
    }

    /// <summary>The request begun by <see cref="TryBegin"/> went out at <paramref name="now"/> (or could not, when <paramref name="sent"/> is false).</summary>
    public void Sent(long now, bool sent)
    {
        _inFlight = false;
        if (!sent)
        {
            return;
        }

        _requests++;
        _lastRequest = now;
        if (_waitingSince < 0)
        {
            _waitingSince = now;
        }
    }

    /// <summary>An IDR picture began arriving at <paramref name="now"/>: it answers the waiting request, if any.</summary>
    public void IdrArrived(long now)
    {
        if (_waitingSince < 0)
        {
            return;
        }

        long wait = now - _waitingSince;
        _waitingSince = -1;
        _recoveries++;
        _total += wait;
        _longest = Math.Max(_longest, wait);
    }

    /// <summary>The counters now, with the IDR pictures counted elsewhere.</summary>
    public IdrRecoveryStatistics Snapshot(long idrPictures) => new(
        _requests,
        idrPictures,
        _recoveries,
        _waitingSince >= 0,
        _longest < 0 ? null : Stopwatch.GetElapsedTime(0, _longest),
        Stopwatch.GetElapsedTime(0, _total));

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
