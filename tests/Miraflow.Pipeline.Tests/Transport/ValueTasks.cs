namespace Miraflow.Pipeline.Tests.Transport;

internal static class ValueTasks
{
    /// <summary>
    /// Whether <paramref name="task"/> had already completed successfully when it was handed
    /// over (the synchronous, allocation-free path); consumes it exactly once either way.
    /// </summary>
    public static bool CompletedSynchronously(ValueTask task)
    {
        if (task.IsCompletedSuccessfully)
        {
            task.GetAwaiter().GetResult();
            return true;
        }

        // Observe a pending or failed task so it is consumed (and a failure is not lost).
        task.AsTask().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        return false;
    }
}
