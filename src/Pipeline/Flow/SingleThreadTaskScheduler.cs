using System.Collections.Concurrent;

namespace Miraflow.Pipeline.Flow;

/// <summary>
/// Runs every task on one dedicated background thread (house style §5.3 item 7: an encoder
/// keeps its thread). Tasks never run inline on other threads. <see cref="Dispose"/> stops
/// taking tasks, lets the queued ones run and waits up to a second for the thread to end.
/// </summary>
internal sealed class SingleThreadTaskScheduler : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _tasks = new(new ConcurrentQueue<Task>());
    private readonly Thread _thread;
    private readonly string _name;

    public SingleThreadTaskScheduler(string name)
    {
        _name = name;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <inheritdoc/>
    public override int MaximumConcurrencyLevel => 1;

    public void Dispose()
    {
        _tasks.CompleteAdding();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join(TimeSpan.FromSeconds(1));
        }
    }

    /// <inheritdoc/>
    protected override void QueueTask(Task task)
    {
        if (!_tasks.TryAdd(task))
        {
            throw new InvalidOperationException($"The thread \"{_name}\" has stopped.");
        }
    }

    /// <inheritdoc/>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        Thread.CurrentThread == _thread && TryExecuteTask(task);

    /// <inheritdoc/>
    protected override IEnumerable<Task> GetScheduledTasks() => _tasks.ToArray();

    private void Run()
    {
        foreach (Task task in _tasks.GetConsumingEnumerable())
        {
            TryExecuteTask(task);
        }
    }
}
