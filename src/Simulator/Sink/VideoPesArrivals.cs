using Miraflow.Pipeline.Ts;

namespace Miraflow.Simulator.Sink;

/// <summary>
/// When each video PES (one access unit: a WFD source sends one picture per PES) reached the
/// sink: the <see cref="System.Diagnostics.Stopwatch"/> timestamp of the last datagram that
/// carried a TS packet of it, i.e. the datagram that completed it. A PES starts at a packet of
/// <see cref="TsPid.Video"/> with <c>payload_unit_start_indicator</c> set (ISO/IEC 13818-1
/// §2.4.3.2) and ends where the next one starts, so the last PES of a stream stays "open" until
/// the stream ends. Memory is bounded: at most <see cref="Capacity"/> timestamps are kept, later
/// PES are only counted. Not thread-safe (the sink's receive loop feeds it under its lock).
/// </summary>
internal sealed class VideoPesArrivals(int capacity = VideoPesArrivals.Capacity)
{
    /// <summary>Timestamps kept at most (8 MiB): an hour of 1080p60 and more.</summary>
    public const int Capacity = 1 << 20;

    private readonly List<long> _completed = [];
    private long _open = -1;
    private long _count;

    /// <summary>Video PES seen so far (started), kept or not.</summary>
    public long Count => _count;

    /// <summary>Notes the TS packets of one datagram's payload, received at <paramref name="timestamp"/>.</summary>
    public void Record(ReadOnlySpan<byte> payload, long timestamp)
    {
        for (; payload.Length >= TsPacket.Size; payload = payload[TsPacket.Size..])
        {
            ReadOnlySpan<byte> packet = payload[..TsPacket.Size];
            if (packet[0] != TsPacket.SyncByte || TsPacket.ReadPid(packet) != TsPid.Video)
            {
                continue;
            }

            if (TsPacket.ReadPayloadUnitStart(packet))
            {
                Close();
                _count++;
                _open = _count <= capacity ? timestamp : -1;
            }
            else if (_open >= 0)
            {
                _open = timestamp;
            }
        }
    }

    /// <summary>The arrival timestamps in order; the PES still open (the last one) only when <paramref name="includeOpen"/>.</summary>
    public long[] Snapshot(bool includeOpen)
    {
        bool open = includeOpen && _open >= 0;
        var all = new long[_completed.Count + (open ? 1 : 0)];
        _completed.CopyTo(all);
        if (open)
        {
            all[^1] = _open;
        }

        return all;
    }

    private void Close()
    {
        if (_open >= 0)
        {
            _completed.Add(_open);
            _open = -1;
        }
    }
}
