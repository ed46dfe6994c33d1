using System.Threading.Channels;
using Miraflow.Rtsp.Sessions;

namespace Miraflow.Rtsp.Tests.TestSupport;

/// <summary>Collects a runner's session events in the background so tests can wait for one.</summary>
internal sealed class EventLog
{
    private static readonly TimeSpan s_defaultWait = TimeSpan.FromSeconds(10);
    private readonly List<SessionEvent> _events = [];
    private readonly Task _pump;

    public EventLog(ChannelReader<SessionEvent> reader) => _pump = PumpAsync(reader);

    public IReadOnlyList<SessionEvent> Snapshot()
    {
        lock (_events)
        {
            return [.. _events];
        }
    }

    public int Count<T>()
        where T : SessionEvent => Snapshot().OfType<T>().Count();

    /// <summary>Waits until the <paramref name="nth"/> event of type <typeparamref name="T"/> (1-based) has arrived.</summary>
    public async Task<T> WaitFor<T>(int nth = 1, TimeSpan? timeout = null)
        where T : SessionEvent
    {
        long giveUp = Environment.TickCount64 + (long)(timeout ?? s_defaultWait).TotalMilliseconds;
        while (true)
        {
            T[] matches = Snapshot().OfType<T>().ToArray();
            if (matches.Length >= nth)
            {
                return matches[nth - 1];
            }

            if (Environment.TickCount64 > giveUp || _pump.IsCompleted && Snapshot().OfType<T>().Count() < nth)
            {
                throw new TimeoutException($"no {typeof(T).Name} #{nth}; events so far: {string.Join(", ", Snapshot())}");
            }

            await Task.Delay(10);
        }
    }

    private async Task PumpAsync(ChannelReader<SessionEvent> reader)
    {
        await foreach (SessionEvent item in reader.ReadAllAsync())
        {
            lock (_events)
            {
                _events.Add(item);
            }
        }
    }
}
