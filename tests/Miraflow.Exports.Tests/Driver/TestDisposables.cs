using Microsoft.Extensions.Options;
using Miraflow.Pipeline.Composition;

namespace Miraflow.Exports.Tests.Driver;

/// <summary>An options configurator whose asynchronous disposal runs on a named thread of ours and joins it.</summary>
internal sealed class ThreadedDisposal(TimeSpan work) : IConfigureOptions<MiraflowOptions>, IAsyncDisposable
{
    public bool Resolved { get; private set; }

    public bool Disposed { get; private set; }

    public int ThreadsSeenWhileRunning { get; private set; }

    public void Configure(MiraflowOptions options) => Resolved = true;

    public async ValueTask DisposeAsync()
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Thread.Sleep(work);
            ThreadsSeenWhileRunning = DriverHarness.OurThreads();
            finished.SetResult();
        })
        { IsBackground = true, Name = "Miraflow dispose" };
        thread.Start();
        await finished.Task.ConfigureAwait(false);
        thread.Join();
        Disposed = true;
    }
}

/// <summary>An options configurator whose disposal does not end until the test lets it.</summary>
internal sealed class StuckDisposal(Task until) : IConfigureOptions<MiraflowOptions>, IAsyncDisposable
{
    public void Configure(MiraflowOptions options)
    {
    }

    public async ValueTask DisposeAsync() => await until.ConfigureAwait(false);
}
