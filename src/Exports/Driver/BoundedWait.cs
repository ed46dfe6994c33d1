namespace Miraflow.Exports.Driver;

/// <summary>
/// Waits, from an export's (OS) thread, for a task at most a given time, without blocking on the
/// <see cref="Task"/> itself (house rule: never <c>Task.Wait</c>; docs/driver.md, "Destroy").
/// </summary>
/// <remarks>
/// The thread waits on an event that a continuation sets from the thread pool: the continuation
/// never needs the waiting thread, so the wait cannot deadlock, and past the budget the export
/// returns (the OS would otherwise hang). Callers start the awaited work with no
/// <see cref="SynchronizationContext"/> (OS threads have none).
/// </remarks>
internal static class BoundedWait
{
    /// <summary>True when <paramref name="task"/> completed (in any state) within <paramref name="budget"/>.</summary>
    public static bool Wait(Task task, TimeSpan budget)
    {
        if (task.IsCompleted)
        {
            return true;
        }

        var done = new ManualResetEventSlim();
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(done.Set);
        if (!done.Wait(budget))
        {
            // The continuation still holds the event and sets it later; it is left to the GC.
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            return false;
        }

        done.Dispose();
        return true;
    }
}
