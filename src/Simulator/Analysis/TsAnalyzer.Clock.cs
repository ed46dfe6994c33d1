namespace Miraflow.Simulator.Analysis;

/// <summary>
/// The PCR clock (ISO/IEC 13818-1 §2.4.2.2): PCR repetition, the time of any packet by linear
/// interpolation between the PCRs around it, duration and bitrate.
/// </summary>
public sealed partial class TsAnalyzer
{
    private int _pcrPid = -1;
    private bool _pcrPidFromPmt;

    // The current time base: the last PCR (raw 27 MHz value, and on an unwrapped clock) and its packet.
    private bool _hasPcr;
    private long _lastPcrRaw;
    private long _lastPcrClock;
    private long _lastPcrPacket;
    private int _epoch;

    // The last PCR-to-PCR line, for extrapolating past the last PCR.
    private double _ticksPerPacket = double.NaN;

    private long _pcrCount;
    private long _pcrJumps;
    private readonly RunningStatistics _pcrGapMs = new();
    private readonly RunningStatistics _pcrGapPackets = new();
    private long _spanTicks;
    private long _spanPackets;

    private void OnPcr(int pid, long pcr, long index, bool discontinuity)
    {
        if (_pcrPid < 0)
        {
            _pcrPid = pid; // until a PMT names the PCR PID
        }

        if (pid != _pcrPid)
        {
            return;
        }

        _pcrCount++;
        if (_hasPcr && !discontinuity)
        {
            long step = unchecked(((pcr - _lastPcrRaw) % PcrWrap) + PcrWrap) % PcrWrap;
            long packets = index - _lastPcrPacket;
            if (step > 0 && step <= MaxPcrStep && packets > 0)
            {
                long clock = _lastPcrClock + step;
                _pcrGapMs.Add(step / (ClockRate / 1000.0));
                _pcrGapPackets.Add(packets);
                _spanTicks += step;
                _spanPackets += packets;
                ResolvePending(_lastPcrClock, _lastPcrRaw, _lastPcrPacket, clock, index);
                _ticksPerPacket = (double)step / packets;
                (_lastPcrRaw, _lastPcrClock, _lastPcrPacket) = (pcr, clock, index);
                return;
            }
        }

        if (_hasPcr)
        {
            // A new time base: what waited between the two PCRs cannot be placed on either.
            _pcrJumps++;
            _untimedEvents += _pendingCount;
            _pendingCount = 0;
            _epoch++;
            _ticksPerPacket = double.NaN;
        }

        _hasPcr = true;
        (_lastPcrRaw, _lastPcrClock, _lastPcrPacket) = (pcr, _lastPcrClock + MaxPcrStep + 1, index);
    }

    private void AddEvent(TimedEvent e)
    {
        if (_pendingCount == _pending.Length)
        {
            _untimedEvents++;
            return;
        }

        _pending[_pendingCount++] = e;
    }

    /// <summary>Places the waiting events on the line from the previous PCR to the new one.</summary>
    private void ResolvePending(long clock0, long raw0, long packet0, long clock1, long packet1)
    {
        double ticksPerPacket = (double)(clock1 - clock0) / (packet1 - packet0);
        for (int i = 0; i < _pendingCount; i++)
        {
            Place(_pending[i], clock0, raw0, packet0, ticksPerPacket);
        }

        _pendingCount = 0;
    }

    /// <summary>At the end of the stream: what came after the last PCR, at the last PCR rate.</summary>
    private void ResolvePendingAtEnd()
    {
        if (_hasPcr && !double.IsNaN(_ticksPerPacket))
        {
            for (int i = 0; i < _pendingCount; i++)
            {
                Place(_pending[i], _lastPcrClock, _lastPcrRaw, _lastPcrPacket, _ticksPerPacket);
            }
        }
        else
        {
            _untimedEvents += _pendingCount;
        }

        _pendingCount = 0;

        // A table that stopped repeating: its last gap runs at least to the last PCR.
        foreach (PidState? state in _pids)
        {
            if (state?.Section is not null && state.LastSectionEpoch == _epoch && state.LastSectionClock >= 0 && _hasPcr)
            {
                double tail = (_lastPcrClock - state.LastSectionClock) / (ClockRate / 1000.0);
                if (tail > state.SectionGapMs.Max)
                {
                    state.SectionGapMs.RaiseMax(tail);
                }
            }
        }
    }

    private void Place(TimedEvent e, long clock0, long raw0, long packet0, double ticksPerPacket)
    {
        double offset = (e.Packet - packet0) * ticksPerPacket;
        long clock = clock0 + (long)Math.Round(offset);
        PidState state = _pids[e.Pid]!;
        if (e.Pts < 0)
        {
            if (state.LastSectionClock >= 0 && state.LastSectionEpoch == _epoch)
            {
                state.SectionGapMs.Add((clock - state.LastSectionClock) / (ClockRate / 1000.0));
            }

            state.LastSectionClock = clock;
            state.LastSectionEpoch = _epoch;
            return;
        }

        // PTS (90 kHz, 33 bits) against the PCR at that packet, as a signed distance modulo the wrap.
        long raw = unchecked((((raw0 + (long)Math.Round(offset)) % PcrWrap) + PcrWrap) % PcrWrap);
        long distance = unchecked((((e.Pts * 300) - raw) % PcrWrap + PcrWrap) % PcrWrap);
        if (distance > PcrWrap / 2)
        {
            distance -= PcrWrap;
        }

        state.PtsPcrMs.Add(distance / (ClockRate / 1000.0));
    }

    /// <summary>A PSI arrival (<see cref="Pts"/> -1) or a PES start with its PTS, waiting for its time.</summary>
    private readonly record struct TimedEvent(long Packet, int Pid, long Pts);
}
