namespace Miraflow.Simulator.Analysis;

/// <summary>How bad a finding is: errors make <c>miraflow analyze</c> exit 1, warnings do not.</summary>
public enum TsFindingSeverity
{
    /// <summary>Worth knowing; the stream is still conformant to what WFD sinks need.</summary>
    Warning,

    /// <summary>A conformance error (ISO/IEC 13818-1, ETSI TR 101 290 priority 1, or the WFD 100 ms PSI rule).</summary>
    Error,
}

/// <summary>One problem the analyzer found, as one line of text.</summary>
public sealed record TsFinding(TsFindingSeverity Severity, string Message);

/// <summary>Maximum and mean of a series of intervals (or any non-negative quantity).</summary>
public readonly record struct IntervalStatistics(long Count, double Max, double Mean)
{
    /// <summary>No samples.</summary>
    public static IntervalStatistics Empty => default;
}

/// <summary>Minimum, maximum and mean of a signed series (the PTS–PCR distance).</summary>
public readonly record struct RangeStatistics(long Count, double Min, double Max, double Mean);

/// <summary>
/// The repetition of one kind of packet: how often it came (<see cref="Count"/>) and the gaps
/// between consecutive ones, in milliseconds on the PCR clock and in packets.
/// </summary>
/// <param name="Count">Occurrences (valid sections, or PCRs).</param>
/// <param name="Milliseconds">Gaps on the PCR clock; the PSI maximum also covers the gap from the last table to the last PCR.</param>
/// <param name="Packets">Gaps by packet position (packets from one occurrence to the next).</param>
public sealed record TsRepetition(long Count, IntervalStatistics Milliseconds, IntervalStatistics Packets);

/// <summary>One program of the PAT and what its PMT said.</summary>
public sealed record TsProgram(int Number, int PmtPid, int PcrPid, bool PmtSeen);

/// <summary>What the analyzer found on one PID.</summary>
public sealed record TsPidReport
{
    /// <summary>The PID.</summary>
    public required int Pid { get; init; }

    /// <summary>The PMT stream_type, or -1 when no PMT lists the PID.</summary>
    public required int StreamType { get; init; }

    /// <summary>What the PID carries, e.g. "PAT", "PMT", "H.264 video", "LPCM audio (WFD)", "PCR only".</summary>
    public required string Kind { get; init; }

    /// <summary>Packets (including duplicates and packets with transport_error_indicator).</summary>
    public required long Packets { get; init; }

    /// <summary>Continuity-counter errors (ISO/IEC 13818-1 §2.4.3.3).</summary>
    public required long ContinuityErrors { get; init; }

    /// <summary>Duplicate packets (the one repetition §2.4.3.3 allows).</summary>
    public required long DuplicatePackets { get; init; }

    /// <summary>Packets with transport_error_indicator set.</summary>
    public required long TransportErrors { get; init; }

    /// <summary>PCR fields carried.</summary>
    public required long PcrCount { get; init; }

    /// <summary>PES packets started (payload_unit_start_indicator on a non-PSI PID).</summary>
    public required long PesPackets { get; init; }

    /// <summary>PES starts without the 00 00 01 start code prefix.</summary>
    public required long PesErrors { get; init; }

    /// <summary>Video PES packets without a PTS.</summary>
    public required long MissingPts { get; init; }

    /// <summary>Times the decode time stamp (DTS, or the PTS when there is no DTS) went backwards.</summary>
    public required long TimestampsBackwards { get; init; }

    /// <summary>PES packets whose DTS is later than their PTS.</summary>
    public required long DtsAfterPts { get; init; }

    /// <summary>PTS minus the PCR-clock time of the PES start, in milliseconds.</summary>
    public required RangeStatistics PtsPcrDistance { get; init; }

    /// <summary>H.264 only: PES packets whose first slice was found (one access unit per PES).</summary>
    public required long Frames { get; init; }

    /// <summary>H.264 only: of those, IDR pictures (NAL type 5).</summary>
    public required long IdrFrames { get; init; }
}

/// <summary>Everything <see cref="TsAnalyzer"/> found in one transport stream.</summary>
public sealed record TsAnalysisReport
{
    /// <summary>Bytes fed to the analyzer.</summary>
    public required long Bytes { get; init; }

    /// <summary>188-byte packets analysed.</summary>
    public required long Packets { get; init; }

    /// <summary>Times the sync byte was missing where a packet should start, after sync had been acquired.</summary>
    public required long SyncLosses { get; init; }

    /// <summary>Times sync was found again after a loss.</summary>
    public required long Resyncs { get; init; }

    /// <summary>Bytes skipped while looking for sync (before the first packet and after each loss).</summary>
    public required long SkippedBytes { get; init; }

    /// <summary>Bytes after the last whole packet (a capture cut mid-packet).</summary>
    public required long TrailingBytes { get; init; }

    /// <summary>PAT sections with a wrong CRC_32.</summary>
    public required long PatCrcErrors { get; init; }

    /// <summary>PMT sections with a wrong CRC_32.</summary>
    public required long PmtCrcErrors { get; init; }

    /// <summary>Valid PATs and their repetition.</summary>
    public required TsRepetition Pat { get; init; }

    /// <summary>Valid PMTs (every program) and their repetition.</summary>
    public required TsRepetition Pmt { get; init; }

    /// <summary>The PCR PID (from the PMT, else the first PID carrying a PCR), or -1.</summary>
    public required int PcrPid { get; init; }

    /// <summary>PCRs on <see cref="PcrPid"/> and their repetition.</summary>
    public required TsRepetition Pcr { get; init; }

    /// <summary>PCR jumps: backwards, more than 1 s forward, or a discontinuity_indicator.</summary>
    public required long PcrJumps { get; init; }

    /// <summary>The programs of the PAT.</summary>
    public required IReadOnlyList<TsProgram> Programs { get; init; }

    /// <summary>Every PID seen, in PID order.</summary>
    public required IReadOnlyList<TsPidReport> Pids { get; init; }

    /// <summary>Seconds from the first to the last PCR (jumps left out); 0 without two PCRs.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Transport bitrate in bit/s over the same span (packets between the first and last PCR); 0 without two PCRs.</summary>
    public required double Bitrate { get; init; }

    /// <summary>What is wrong, errors first.</summary>
    public required IReadOnlyList<TsFinding> Findings { get; init; }

    /// <summary>No errors (warnings allowed).</summary>
    public bool IsClean
    {
        get
        {
            foreach (TsFinding finding in Findings)
            {
                if (finding.Severity == TsFindingSeverity.Error)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>The first H.264 PID, or null.</summary>
    public TsPidReport? Video
    {
        get
        {
            foreach (TsPidReport pid in Pids)
            {
                if (pid.StreamType == TsStreamTypes.H264)
                {
                    return pid;
                }
            }

            return null;
        }
    }

    /// <summary>Continuity errors over every PID.</summary>
    public long ContinuityErrors
    {
        get
        {
            long sum = 0;
            foreach (TsPidReport pid in Pids)
            {
                sum += pid.ContinuityErrors;
            }

            return sum;
        }
    }
}
