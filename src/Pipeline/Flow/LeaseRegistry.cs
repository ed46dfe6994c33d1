using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Flow;

/// <summary>
/// The frames a pipeline owns at the moment. A fault or cancellation makes Dataflow drop queued
/// items without disposing them (<c>TargetCore.Complete</c>, house rule 13), so the pipeline
/// records each lease it takes and sweeps the ones left once its blocks have ended.
/// Pre-sized: registering and unregistering allocate nothing in steady state.
/// </summary>
internal sealed class LeaseRegistry
{
    private readonly HashSet<MediaFrame> _frames = new(64, ReferenceEqualityComparer.Instance);
    private readonly Lock _lock = new();

    /// <summary>Leases currently held.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _frames.Count;
            }
        }
    }

    public void Add(MediaFrame frame)
    {
        lock (_lock)
        {
            _frames.Add(frame);
        }
    }

    public void Remove(MediaFrame frame)
    {
        lock (_lock)
        {
            _frames.Remove(frame);
        }
    }

    /// <summary>Disposes and forgets every lease still held; returns how many there were.</summary>
    public int Sweep()
    {
        MediaFrame[] left;
        lock (_lock)
        {
            if (_frames.Count == 0)
            {
                return 0;
            }

            left = [.. _frames];
            _frames.Clear();
        }

        foreach (MediaFrame frame in left)
        {
            frame.Dispose();
        }

        return left.Length;
    }
}
