using System.Globalization;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Simulator.Analysis;

/// <summary>The report and its findings.</summary>
public sealed partial class TsAnalyzer
{
    private TsAnalysisReport BuildReport()
    {
        var pids = new List<TsPidReport>();
        long patCrc = 0, pmtCrc = 0, pmtCount = 0;
        TsRepetition pat = new(0, default, default);
        double pmtMaxMs = 0, pmtSumMs = 0, pmtMaxPackets = 0, pmtSumPackets = 0;
        long pmtGapsMs = 0, pmtGapsPackets = 0;
        foreach (PidState? state in _pids)
        {
            if (state is null)
            {
                continue;
            }

            pids.Add(ToReport(state));
            if (state.Section is null)
            {
                continue;
            }

            if (state.Pid == TsPid.Pat)
            {
                patCrc += state.CrcErrors;
                pat = new TsRepetition(state.Sections, state.SectionGapMs.ToIntervals(), state.SectionGapPackets.ToIntervals());
            }
            else
            {
                pmtCrc += state.CrcErrors;
                pmtCount += state.Sections;
                pmtMaxMs = Math.Max(pmtMaxMs, state.SectionGapMs.Max);
                pmtSumMs += state.SectionGapMs.Sum;
                pmtGapsMs += state.SectionGapMs.Count;
                pmtMaxPackets = Math.Max(pmtMaxPackets, state.SectionGapPackets.Max);
                pmtSumPackets += state.SectionGapPackets.Sum;
                pmtGapsPackets += state.SectionGapPackets.Count;
            }
        }

        var pmt = new TsRepetition(
            pmtCount,
            new IntervalStatistics(pmtGapsMs, Math.Round(pmtMaxMs, 3), pmtGapsMs == 0 ? 0 : Math.Round(pmtSumMs / pmtGapsMs, 3)),
            new IntervalStatistics(pmtGapsPackets, pmtMaxPackets, pmtGapsPackets == 0 ? 0 : Math.Round(pmtSumPackets / pmtGapsPackets, 3)));
        var pcr = new TsRepetition(_pcrCount, _pcrGapMs.ToIntervals(), _pcrGapPackets.ToIntervals());
        double seconds = _spanTicks / (double)ClockRate;

        var programs = new List<TsProgram>(_programs.Count);
        foreach (ProgramEntry program in _programs)
        {
            programs.Add(new TsProgram(program.Number, program.PmtPid, program.PcrPid, program.PmtSeen));
        }

        var report = new TsAnalysisReport
        {
            Bytes = _bytes,
            Packets = _packets,
            SyncLosses = _syncLosses,
            Resyncs = _resyncs,
            SkippedBytes = _skippedBytes,
            TrailingBytes = _trailingBytes,
            PatCrcErrors = patCrc,
            PmtCrcErrors = pmtCrc,
            Pat = pat,
            Pmt = pmt,
            PcrPid = _pcrPid,
            Pcr = pcr,
            PcrJumps = _pcrJumps,
            Programs = programs,
            Pids = pids,
            DurationSeconds = Math.Round(seconds, 6),
            Bitrate = seconds > 0 ? Math.Round(_spanPackets * TsPacket.Size * 8 / seconds) : 0,
            Findings = [],
        };
        return report with { Findings = Findings(report) };
    }

    private static TsPidReport ToReport(PidState state) => new()
    {
        Pid = state.Pid,
        StreamType = state.StreamType,
        Kind = KindOf(state),
        Packets = state.Packets,
        ContinuityErrors = state.ContinuityErrors,
        DuplicatePackets = state.DuplicatePackets,
        TransportErrors = state.TransportErrors,
        PcrCount = state.PcrCount,
        PesPackets = state.Section is null ? state.PesPackets : 0,
        PesErrors = state.PesErrors,
        MissingPts = state.MissingPts,
        TimestampsBackwards = state.TimestampsBackwards,
        DtsAfterPts = state.DtsAfterPts,
        PtsPcrDistance = state.PtsPcrMs.ToRange(),
        Frames = state.Frames,
        IdrFrames = state.IdrFrames,
    };

    private static string KindOf(PidState state) => state switch
    {
        { Pid: TsPid.Pat } => "PAT",
        { Pid: TsPid.Null } => "null packets",
        { Section: not null } => "PMT",
        { StreamType: >= 0 } => TsStreamTypes.Describe(state.StreamType),
        { PcrCount: > 0, PesPackets: 0 } => "PCR only",
        _ => "not in the PMT",
    };

    private List<TsFinding> Findings(TsAnalysisReport report)
    {
        var errors = new List<TsFinding>();
        var warnings = new List<TsFinding>();
        void Error(string text) => errors.Add(new TsFinding(TsFindingSeverity.Error, text));
        void Warning(string text) => warnings.Add(new TsFinding(TsFindingSeverity.Warning, text));
        CultureInfo c = CultureInfo.InvariantCulture;
        double psiLimit = MaxPsiInterval.TotalMilliseconds;

        if (report.SyncLosses > 0)
        {
            Error(string.Create(c, $"sync lost {report.SyncLosses} time(s); {report.SkippedBytes} bytes skipped"));
        }
        else if (report.SkippedBytes > 0)
        {
            Warning(string.Create(c, $"{report.SkippedBytes} bytes before the first packet skipped"));
        }

        if (report.TrailingBytes > 0)
        {
            Warning(string.Create(c, $"the stream ends with {report.TrailingBytes} bytes of a partial packet"));
        }

        if (report.Pat.Count == 0)
        {
            Error(report.PatCrcErrors > 0 ? "no valid PAT (every PAT had a CRC error)" : "no PAT");
        }

        if (report.PatCrcErrors > 0)
        {
            Error(string.Create(c, $"{report.PatCrcErrors} PAT section(s) with a CRC error"));
        }

        if (report.Programs.Count == 0 && report.Pat.Count > 0)
        {
            Error("the PAT lists no program");
        }

        foreach (TsProgram program in report.Programs)
        {
            if (!program.PmtSeen)
            {
                Error(string.Create(c, $"no PMT for program {program.Number} on PID {Hex(program.PmtPid)}"));
            }
        }

        if (report.Pat.Count == 0 && report.Pmt.Count == 0)
        {
            Error("no PMT");
        }

        if (report.PmtCrcErrors > 0)
        {
            Error(string.Create(c, $"{report.PmtCrcErrors} PMT section(s) with a CRC error"));
        }

        if (report.Pat.Milliseconds.Max > psiLimit)
        {
            Error(string.Create(c, $"PAT gap of {report.Pat.Milliseconds.Max:F1} ms (more than {psiLimit:F0} ms)"));
        }

        if (report.Pmt.Milliseconds.Max > psiLimit)
        {
            Error(string.Create(c, $"PMT gap of {report.Pmt.Milliseconds.Max:F1} ms (more than {psiLimit:F0} ms)"));
        }

        if (report.Pcr.Count == 0)
        {
            Warning("no PCR: times, intervals on the PCR clock, duration and bitrate are not measured");
        }
        else if (report.Pcr.Milliseconds.Max > MaxPcrInterval.TotalMilliseconds)
        {
            Warning(string.Create(c, $"PCR gap of {report.Pcr.Milliseconds.Max:F1} ms (ISO/IEC 13818-1 allows {MaxPcrInterval.TotalMilliseconds:F0} ms)"));
        }

        if (report.PcrJumps > 0)
        {
            Warning(string.Create(c, $"{report.PcrJumps} PCR discontinuity(ies): no interval is measured across them"));
        }

        if (_untimedEvents > 0)
        {
            Warning(string.Create(c, $"{_untimedEvents} PSI/PES arrival(s) could not be placed on the PCR clock"));
        }

        foreach (TsPidReport pid in report.Pids)
        {
            string name = string.Create(c, $"PID {Hex(pid.Pid)} ({pid.Kind})");
            if (pid.ContinuityErrors > 0)
            {
                Error(string.Create(c, $"{name}: {pid.ContinuityErrors} continuity counter error(s)"));
            }

            if (pid.TransportErrors > 0)
            {
                Warning(string.Create(c, $"{name}: {pid.TransportErrors} packet(s) with transport_error_indicator"));
            }

            if (pid.PesErrors > 0)
            {
                Error(string.Create(c, $"{name}: {pid.PesErrors} PES packet(s) without a start code"));
            }

            if (pid.MissingPts > 0)
            {
                Error(string.Create(c, $"{name}: {pid.MissingPts} video PES packet(s) without a PTS"));
            }

            if (pid.TimestampsBackwards > 0)
            {
                Error(string.Create(c, $"{name}: the PTS/DTS went backwards {pid.TimestampsBackwards} time(s)"));
            }

            if (pid.DtsAfterPts > 0)
            {
                Error(string.Create(c, $"{name}: {pid.DtsAfterPts} PES packet(s) with DTS later than PTS"));
            }

            if (pid.PtsPcrDistance.Count > 0 && pid.PtsPcrDistance.Min < 0)
            {
                Warning(string.Create(c, $"{name}: a PTS {-pid.PtsPcrDistance.Min:F1} ms behind the PCR (late)"));
            }

            if (pid.PtsPcrDistance.Count > 0 && pid.PtsPcrDistance.Max > 1000)
            {
                Warning(string.Create(c, $"{name}: a PTS {pid.PtsPcrDistance.Max:F1} ms ahead of the PCR (more than 1 s)"));
            }
        }

        errors.AddRange(warnings);
        return errors;
    }
}
