using System.Buffers;
using System.Globalization;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Simulator.Analysis;

/// <summary>
/// Analyses an MPEG-2 transport stream (ISO/IEC 13818-1) as it streams by: sync, PIDs, PSI
/// (PAT/PMT with CRC_32), continuity counters, PCR, PES timestamps and H.264 access units,
/// checked against ISO/IEC 13818-1, the first-priority checks of ETSI TR 101 290 and the WFD
/// rule that PAT and PMT repeat at least every 100 ms.
/// </summary>
/// <remarks>
/// <para>Feed it bytes in chunks of any size (<see cref="Feed"/>), then call <see cref="Complete"/>
/// once for the report; or use <see cref="Analyze(ReadOnlySpan{byte})"/> and
/// <see cref="AnalyzeAsync"/>. Memory is bounded whatever the stream's length: a 64 KB window,
/// fixed-size state per PID seen (at most 8192), one PSI section buffer per PAT/PMT PID, the
/// first 4 KB of the current PES per H.264 PID, and at most <see cref="MaxPendingEvents"/> events
/// waiting for the next PCR.</para>
/// <para>Sync: a packet starts where 0x47 is followed by 0x47 one and two packets later (at the end
/// of the stream, as many as there are). A missing sync byte where a packet should start is a
/// sync loss; the bytes up to the next sync are skipped.</para>
/// <para>Time: a packet's time on the PCR clock is interpolated linearly between the PCRs (of the
/// program's PCR PID) around it, by packet position (§2.4.2.2); after the last PCR it is
/// extrapolated at the last rate. A PCR that goes backwards or more than 1 s forward, or carries
/// discontinuity_indicator, starts a new time base: no interval is measured across it.</para>
/// <para>Not thread-safe.</para>
/// </remarks>
public sealed partial class TsAnalyzer
{
    /// <summary>The largest PAT/PMT gap the WFD source may leave (and ours does not exceed).</summary>
    public static readonly TimeSpan MaxPsiInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest PCR gap ISO/IEC 13818-1 §2.7.2 allows.</summary>
    public static readonly TimeSpan MaxPcrInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Events (PSI arrivals, PES starts) that may wait for the next PCR; beyond, their time is not measured.</summary>
    public const int MaxPendingEvents = 1024;

    private const int PidCount = 8192;
    private const int WindowSize = TsPacket.Size * 348; // ~64 KB
    private const int SyncRun = 3;
    private const long ClockRate = 27_000_000;
    private const long PcrWrap = (1L << 33) * 300;
    private const long MaxPcrStep = ClockRate; // a PCR more than 1 s later is a jump

    private readonly byte[] _window = new byte[WindowSize];
    private readonly PidState?[] _pids = new PidState?[PidCount];
    private readonly ContinuityCounter _continuity = new();
    private readonly List<ProgramEntry> _programs = [];
    private readonly TimedEvent[] _pending = new TimedEvent[MaxPendingEvents];
    private int _pendingCount;
    private int _windowCount;
    private bool _inSync;
    private bool _everSynced;
    private bool _completed;

    private long _bytes;
    private long _packets;
    private long _syncLosses;
    private long _resyncs;
    private long _skippedBytes;
    private long _trailingBytes;
    private long _untimedEvents;

    /// <summary>Adds bytes of the stream; chunks may split packets anywhere.</summary>
    public void Feed(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _bytes += data.Length;
        while (!data.IsEmpty)
        {
            int n = Math.Min(data.Length, _window.Length - _windowCount);
            data[..n].CopyTo(_window.AsSpan(_windowCount));
            _windowCount += n;
            data = data[n..];
            ProcessWindow(final: false);
        }
    }

    /// <summary>Ends the stream and returns the report; the analyzer cannot be fed afterwards.</summary>
    public TsAnalysisReport Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        ProcessWindow(final: true);
        _trailingBytes = _windowCount;
        _completed = true;
        foreach (PidState? state in _pids)
        {
            if (state is not null && state.InPes)
            {
                FinishPes(state);
            }
        }

        ResolvePendingAtEnd();
        return BuildReport();
    }

    /// <summary>Analyses a whole stream held in memory.</summary>
    public static TsAnalysisReport Analyze(ReadOnlySpan<byte> stream)
    {
        var analyzer = new TsAnalyzer();
        analyzer.Feed(stream);
        return analyzer.Complete();
    }

    /// <summary>Analyses <paramref name="stream"/> to its end, reading 64 KB at a time.</summary>
    public static async Task<TsAnalysisReport> AnalyzeAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var analyzer = new TsAnalyzer();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                analyzer.Feed(buffer.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return analyzer.Complete();
    }

    /// <summary>Takes whole packets out of the window, finding sync where it is lost.</summary>
    private void ProcessWindow(bool final)
    {
        byte[] w = _window;
        int at = 0;
        while (true)
        {
            if (_inSync)
            {
                if (_windowCount - at < TsPacket.Size)
                {
                    break;
                }

                if (w[at] == TsPacket.SyncByte)
                {
                    OnPacket(w.AsSpan(at, TsPacket.Size));
                    at += TsPacket.Size;
                    continue;
                }

                _inSync = false;
                _syncLosses++;
            }

            int found = FindSync(at, final, out int searchedTo);
            if (found < 0)
            {
                _skippedBytes += searchedTo - at;
                at = searchedTo;
                break;
            }

            _skippedBytes += found - at;
            at = found;
            _inSync = true;
            if (_everSynced)
            {
                _resyncs++;
            }

            _everSynced = true;
        }

        int left = _windowCount - at;
        if (at > 0 && left > 0)
        {
            Buffer.BlockCopy(w, at, w, 0, left);
        }

        _windowCount = left;
    }

    /// <summary>
    /// The first offset from <paramref name="from"/> where <see cref="SyncRun"/> sync bytes follow
    /// each other a packet apart (fewer at the very end of the stream), or -1 with
    /// <paramref name="searchedTo"/> set to where the next search must start.
    /// </summary>
    private int FindSync(int from, bool final, out int searchedTo)
    {
        ReadOnlySpan<byte> w = _window.AsSpan(0, _windowCount);
        int i = from;
        while (i < w.Length)
        {
            int next = w[i..].IndexOf(TsPacket.SyncByte);
            if (next < 0)
            {
                searchedTo = w.Length;
                return -1;
            }

            i += next;
            int needed = i + ((SyncRun - 1) * TsPacket.Size);
            if (needed >= w.Length && !final)
            {
                searchedTo = i; // wait for more bytes
                return -1;
            }

            bool run = true;
            for (int k = 1; k < SyncRun; k++)
            {
                int p = i + (k * TsPacket.Size);
                if (p >= w.Length)
                {
                    run = i + TsPacket.Size <= w.Length; // end of stream: a whole packet is enough
                    break;
                }

                if (w[p] != TsPacket.SyncByte)
                {
                    run = false;
                    break;
                }
            }

            if (run)
            {
                searchedTo = i;
                return i;
            }

            i++;
        }

        searchedTo = w.Length;
        return -1;
    }

    private void OnPacket(ReadOnlySpan<byte> packet)
    {
        long index = _packets++;
        int pid = TsPacket.ReadPid(packet);
        PidState state = GetPid(pid);
        state.Packets++;

        ContinuityResult continuity = _continuity.Check(packet);
        if (continuity == ContinuityResult.Error)
        {
            state.ContinuityErrors++;
        }
        else if (continuity == ContinuityResult.Duplicate)
        {
            state.DuplicatePackets++;
            return; // the same payload again: analysing it twice would count it twice
        }

        if ((packet[1] & 0x80) != 0)
        {
            state.TransportErrors++;
            return; // a demodulator flagged the packet as corrupt: its contents cannot be trusted
        }

        int control = TsPacket.ReadAdaptationFieldControl(packet);
        int payloadStart = TsPacket.HeaderSize;
        if ((control & TsPacket.AdaptationOnly) != 0)
        {
            int length = packet[4];
            if (length > TsPacket.Size - TsPacket.HeaderSize - 1)
            {
                return; // malformed adaptation field
            }

            if (length > 0)
            {
                OnAdaptationField(state, packet.Slice(5, length), index);
            }

            payloadStart += 1 + length;
        }

        if ((control & TsPacket.PayloadOnly) == 0 || payloadStart >= TsPacket.Size || pid == TsPid.Null)
        {
            return;
        }

        ReadOnlySpan<byte> payload = packet[payloadStart..];
        bool unitStart = TsPacket.ReadPayloadUnitStart(packet);
        if (state.Section is not null)
        {
            OnPsiPayload(state, payload, unitStart, index);
        }
        else
        {
            OnPesPayload(state, payload, unitStart, index);
        }
    }

    /// <summary>
    /// <code>
    /// | length | D R E P O S T X | PCR (6 bytes, when P) | ...
    ///            D discontinuity_indicator, P PCR_flag (§2.4.3.4)
    /// </code>
    /// </summary>
    private void OnAdaptationField(PidState state, ReadOnlySpan<byte> field, long index)
    {
        byte flags = field[0];
        bool discontinuity = (flags & 0x80) != 0;
        if ((flags & 0x10) != 0 && field.Length >= 7)
        {
            state.PcrCount++;
            OnPcr(state.Pid, PcrPacket.ReadField(field[1..]), index, discontinuity);
        }
    }

    private PidState GetPid(int pid)
    {
        PidState? state = _pids[pid];
        if (state is null)
        {
            state = _pids[pid] = new PidState(pid);
            if (pid == TsPid.Pat)
            {
                state.MakePsi();
            }
        }

        return state;
    }

    private static string Hex(int pid) => string.Create(CultureInfo.InvariantCulture, $"0x{pid:X4}");

    private sealed class ProgramEntry(int number, int pmtPid)
    {
        public int Number { get; } = number;

        public int PmtPid { get; } = pmtPid;

        public int PcrPid { get; set; } = -1;

        public bool PmtSeen { get; set; }
    }
}
