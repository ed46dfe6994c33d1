namespace Miraflow.Exports.Driver;

/// <summary>
/// Runs an asynchronous disposal from a synchronous export (<c>DestroyMiracastContext</c> returns
/// <c>VOID</c> and must have released everything within 3 s, driver contract §2.6) without blocking
/// on a <see cref="Task"/> in a way that can deadlock (docs/driver.md, "Destroy").
/// </summary>
/// <remarks>
/// <para>
/// The disposal is started on the calling (OS) thread with no <see cref="SynchronizationContext"/>,
/// so none of its continuations can be posted back to the thread that waits. When the returned
/// <see cref="ValueTask"/> is already complete (the usual case: nothing in the container has
/// asynchronous work left once the session is stopped) nothing waits at all.
/// </para>
/// <para>
/// Otherwise the thread waits, at most <c>budget</c>, on an event that a continuation sets from the
/// thread pool. This is a bounded wait on an event, not <c>Task.Wait</c>: the continuation never
/// needs the waiting thread, so it cannot deadlock, and if the budget runs out the export returns
/// (the OS would otherwise hang PnP) and the late outcome is observed and dropped.
/// No dedicated thread is created, so none can outlive the DLL.
/// </para>
/// </remarks>
internal static class BoundedDisposal
{
    /// <summary>Disposes <paramref name="disposable"/>, waiting at most <paramref name="budget"/>.</summary>
    /// <returns>True when the disposal finished (a failure is rethrown); false when the budget ran out.</returns>
    public static bool DisposeWithin(IAsyncDisposable disposable, TimeSpan budget)
    {
        SynchronizationContext? previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            ValueTask pending = disposable.DisposeAsync();
            if (pending.IsCompleted)
            {
                pending.GetAwaiter().GetResult(); // completed: rethrows a failure, never blocks
                return true;
            }

            Task task = pending.AsTask();
            if (!BoundedWait.Wait(task, budget))
            {
                return false; // the late outcome is observed and dropped by BoundedWait
            }

            task.GetAwaiter().GetResult(); // completed: rethrows a failure, never blocks
            return true;
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }
}
