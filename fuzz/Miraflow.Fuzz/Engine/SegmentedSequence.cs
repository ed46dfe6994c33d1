using System.Buffers;

namespace Miraflow.Fuzz;

/// <summary>
/// A <see cref="ReadOnlySequence{T}"/> over an array cut into segments of given sizes, to run a
/// parser across segment boundaries (the fuzzer's chunking oracle and the RTSP parser tests).
/// </summary>
internal static class SegmentedSequence
{
    /// <summary>A sequence over <paramref name="data"/> whose segments have the lengths in <paramref name="sizes"/> (they add up to its length).</summary>
    public static ReadOnlySequence<byte> Create(byte[] data, IReadOnlyList<int> sizes)
    {
        if (sizes.Count <= 1)
        {
            return new ReadOnlySequence<byte>(data);
        }

        var first = new Segment(data.AsMemory(0, sizes[0]), 0);
        Segment last = first;
        int offset = sizes[0];
        for (int i = 1; i < sizes.Count; i++)
        {
            last = last.Append(data.AsMemory(offset, sizes[i]));
            offset += sizes[i];
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>A sequence over <paramref name="data"/> cut every <paramref name="segmentSize"/> bytes.</summary>
    public static ReadOnlySequence<byte> Create(byte[] data, int segmentSize)
    {
        var sizes = new List<int>();
        for (int offset = 0; offset < data.Length; offset += segmentSize)
        {
            sizes.Add(Math.Min(segmentSize, data.Length - offset));
        }

        return sizes.Count == 0 ? ReadOnlySequence<byte>.Empty : Create(data, sizes);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
