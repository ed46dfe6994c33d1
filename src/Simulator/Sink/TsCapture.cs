namespace Miraflow.Simulator.Sink;

/// <summary>
/// The TS bytes a sink kept, in arrival order, up to a limit: 1 MiB segments, so a long capture
/// never copies what it already holds. Beyond the limit it keeps nothing more (whole payloads only:
/// a payload that does not fit is dropped, so the capture ends on a packet boundary). Not thread-safe.
/// </summary>
internal sealed class TsCapture(long maxBytes)
{
    private const int SegmentSize = 1024 * 1024;
    private readonly List<byte[]> _segments = [];
    private int _lastUsed;

    public long Length { get; private set; }

    public bool Truncated { get; private set; }

    public void Append(ReadOnlySpan<byte> payload)
    {
        if (Truncated || Length + payload.Length > maxBytes)
        {
            Truncated |= !payload.IsEmpty;
            return;
        }

        while (!payload.IsEmpty)
        {
            if (_segments.Count == 0 || _lastUsed == SegmentSize)
            {
                _segments.Add(new byte[SegmentSize]);
                _lastUsed = 0;
            }

            int n = Math.Min(payload.Length, SegmentSize - _lastUsed);
            payload[..n].CopyTo(_segments[^1].AsSpan(_lastUsed));
            _lastUsed += n;
            Length += n;
            payload = payload[n..];
        }
    }

    public byte[] ToArray()
    {
        var all = new byte[Length];
        int offset = 0;
        for (int i = 0; i < _segments.Count; i++)
        {
            int used = i == _segments.Count - 1 ? _lastUsed : SegmentSize;
            _segments[i].AsSpan(0, used).CopyTo(all.AsSpan(offset));
            offset += used;
        }

        return all;
    }
}
