using Miraflow.Pipeline.Ts;

namespace Miraflow.Simulator.Analysis;

/// <summary>What <see cref="ContinuityCounter.Check"/> found for one packet.</summary>
public enum ContinuityResult
{
    /// <summary>The counter follows the previous one (or an adaptation-only packet keeps it).</summary>
    Ok,

    /// <summary>The first packet of its PID: counting starts here.</summary>
    First,

    /// <summary>The adaptation field sets <c>discontinuity_indicator</c>: counting starts afresh.</summary>
    Discontinuity,

    /// <summary>The same counter as the previous packet, once: a duplicate packet (§2.4.3.3 allows one).</summary>
    Duplicate,

    /// <summary>A continuity error: a skipped counter, a second duplicate, a changed counter on an adaptation-only packet, or AFC 00.</summary>
    Error,

    /// <summary>The null PID (0x1FFF), which carries no meaningful counter: not checked.</summary>
    NotChecked,
}

/// <summary>
/// The continuity_counter rules of ISO/IEC 13818-1 §2.4.3.3, per PID, for whole 188-byte packets
/// whose sync byte was already checked. Shared by the sink's <see cref="Sink.RtpTsInspector"/> and
/// the <see cref="TsAnalyzer"/>. 16 KB of state, whatever the stream; not thread-safe.
/// </summary>
/// <remarks>
/// <code>
///  byte 3 of the TS header:  | TSC(2) | AFC(2) | CC(4) |
/// </code>
/// <list type="bullet">
/// <item>a packet with payload (AFC 01 or 11) carries the previous counter + 1 (mod 16), or the
/// same counter once (a duplicate packet);</item>
/// <item>a packet with an adaptation field only (AFC 10) keeps the previous counter;</item>
/// <item>the first packet of a PID, and a packet whose adaptation field sets
/// <c>discontinuity_indicator</c>, start counting afresh;</item>
/// <item>AFC 00 (reserved) is a continuity error; the null PID 0x1FFF is not checked.</item>
/// </list>
/// After an error, counting resumes from the counter that arrived, so one lost packet is one error.
/// </remarks>
public sealed class ContinuityCounter
{
    private const int PidCount = 8192;
    private const short NoCounter = -1;
    private const short DuplicateFlag = 0x10;

    /// <summary>Last counter per PID, or <see cref="NoCounter"/>; <see cref="DuplicateFlag"/> marks "the last packet was a duplicate".</summary>
    private readonly short[] _last = CreateCounters();

    /// <summary>Checks one packet against the previous packet of its PID and remembers its counter.</summary>
    public ContinuityResult Check(ReadOnlySpan<byte> packet)
    {
        int pid = TsPacket.ReadPid(packet);
        if (pid == TsPid.Null)
        {
            return ContinuityResult.NotChecked;
        }

        int control = TsPacket.ReadAdaptationFieldControl(packet);
        if (control == 0)
        {
            return ContinuityResult.Error;
        }

        int counter = TsPacket.ReadContinuityCounter(packet);
        int last = _last[pid];
        bool hasPayload = (control & TsPacket.PayloadOnly) != 0;
        bool hasAdaptation = (control & TsPacket.AdaptationOnly) != 0;
        bool discontinuity = hasAdaptation && packet[4] > 0 && (packet[5] & 0x80) != 0;

        if (last == NoCounter || discontinuity)
        {
            _last[pid] = (short)counter;
            return last == NoCounter ? ContinuityResult.First : ContinuityResult.Discontinuity;
        }

        int lastCounter = last & 0x0F;
        bool lastWasDuplicate = (last & DuplicateFlag) != 0;
        if (!hasPayload)
        {
            _last[pid] = (short)counter;
            return counter == lastCounter ? ContinuityResult.Ok : ContinuityResult.Error;
        }

        if (counter == ((lastCounter + 1) & 0x0F))
        {
            _last[pid] = (short)counter;
            return ContinuityResult.Ok;
        }

        if (counter == lastCounter && !lastWasDuplicate)
        {
            _last[pid] = (short)(counter | DuplicateFlag);
            return ContinuityResult.Duplicate;
        }

        _last[pid] = (short)counter; // resynchronise on what arrived
        return ContinuityResult.Error;
    }

    /// <summary>Forgets every PID.</summary>
    public void Reset() => Array.Fill(_last, NoCounter);

    private static short[] CreateCounters()
    {
        var counters = new short[PidCount];
        Array.Fill(counters, NoCounter);
        return counters;
    }
}
