using System.Collections.Concurrent;

namespace Miraflow.Pipeline.Media;

/// <summary>
/// The idle items of a lease pool: a bounded, thread-safe queue. Items rented when it is empty
/// are created by the pool; items returned to a full queue are refused (and freed by the caller).
/// </summary>
internal sealed class IdleQueue<T>(int capacity)
    where T : class
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly int _capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A pool keeps at least one idle item.");
    private int _count;

    /// <summary>Takes an idle item, if there is one.</summary>
    public bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? item)
    {
        if (_items.TryDequeue(out item))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }

    /// <summary>Keeps <paramref name="item"/> for reuse; false when the queue is full.</summary>
    public bool TryAdd(T item)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _items.Enqueue(item);
        return true;
    }
}
