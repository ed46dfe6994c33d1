using Miraflow.Exports.Interop;

namespace Miraflow.Simulator.Os;

/// <summary>
/// The OS thread that calls a registered <c>pfnDataRateNotify</c> about once per interval with
/// the current QoS sample (§2.11), and once with NULL when QoS ends.
/// </summary>
internal sealed unsafe class DataRateNotifier
{
    /// <summary>The thread's name.</summary>
    public const string ThreadName = "Simulated OS QoS";

    private readonly delegate* unmanaged[Stdcall]<void*, MIRACAST_DATARATE_STATS*, void> _routine;
    private readonly void* _context;
    private readonly TimeSpan _interval;
    private readonly Func<MIRACAST_DATARATE_STATS> _sample;
    private readonly Action<string> _error;
    private readonly object _lock = new();
    private readonly Thread _thread;
    private bool _stop;
    private bool _sendEnd;
    private long _notifications;

    public DataRateNotifier(
        delegate* unmanaged[Stdcall]<void*, MIRACAST_DATARATE_STATS*, void> routine,
        void* context,
        TimeSpan interval,
        Func<MIRACAST_DATARATE_STATS> sample,
        Action<string> error)
    {
        _routine = routine;
        _context = context;
        _interval = interval;
        _sample = sample;
        _error = error;
        _thread = new Thread(Run) { IsBackground = true, Name = ThreadName };
        _thread.Start();
    }

    /// <summary>Calls made so far (the final NULL included).</summary>
    public long Notifications => Interlocked.Read(ref _notifications);

    /// <summary>Sends the final NULL (QoS no longer available) from the notifier thread and ends it.</summary>
    public void End()
    {
        lock (_lock)
        {
            _sendEnd = true;
            Monitor.PulseAll(_lock);
        }

        Join();
    }

    /// <summary>Stops the notifications without the final NULL (unregistration, Stop, Destroy) and waits for the thread.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stop = true;
            Monitor.PulseAll(_lock);
        }

        Join();
    }

    private void Join()
    {
        if (_thread != Thread.CurrentThread && !_thread.Join(TimeSpan.FromSeconds(2)))
        {
            _error("The data-rate notifier did not end within 2 s: pfnDataRateNotify is blocked in the driver.");
        }
    }

    private void Run()
    {
        while (true)
        {
            bool end;
            lock (_lock)
            {
                if (!_stop && !_sendEnd)
                {
                    _ = Monitor.Wait(_lock, _interval);
                }

                if (_stop)
                {
                    return;
                }

                end = _sendEnd;
            }

            try
            {
                if (end)
                {
                    _routine(_context, null);
                    _ = Interlocked.Increment(ref _notifications);
                    return;
                }

                MIRACAST_DATARATE_STATS stats = _sample();
                _routine(_context, &stats);
                _ = Interlocked.Increment(ref _notifications);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _error($"pfnDataRateNotify threw: {e}");
                return;
            }
        }
    }
}
