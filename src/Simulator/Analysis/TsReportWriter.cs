using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Miraflow.Simulator.Analysis;

/// <summary>Writes a <see cref="TsAnalysisReport"/> as a readable table or as one JSON object (docs/simulator.md).</summary>
public static class TsReportWriter
{
    private static readonly CultureInfo s_c = CultureInfo.InvariantCulture;

    /// <summary>The human form: a summary, one row per PID, then the findings.</summary>
    public static string ToText(TsAnalysisReport report, string file)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        text.Append(s_c, $"{file}: {report.Packets} packets ({report.Bytes} bytes)")
            .Append(s_c, $", {report.DurationSeconds:F3} s, {report.Bitrate / 1e6:F3} Mbit/s\n");
        text.Append(s_c, $"  sync        {report.SyncLosses} loss(es), {report.Resyncs} resync(s), {report.SkippedBytes} bytes skipped, {report.TrailingBytes} trailing\n");
        AppendRepetition(text, "PAT", report.Pat, $"{report.PatCrcErrors} CRC errors");
        AppendRepetition(text, "PMT", report.Pmt, $"{report.PmtCrcErrors} CRC errors");
        AppendRepetition(text, "PCR", report.Pcr, report.PcrPid >= 0 ? string.Create(s_c, $"PID 0x{report.PcrPid:X4}, {report.PcrJumps} jumps") : "no PCR PID");
        if (report.Video is TsPidReport video)
        {
            text.Append(s_c, $"  video       PID 0x{video.Pid:X4}: {video.Frames} frames, {video.IdrFrames} IDR\n");
        }

        text.Append('\n');
        text.Append("  PID     kind                packets  CC err    dup    PES  frames  IDR  PTS-PCR ms (min/mean/max)\n");
        foreach (TsPidReport pid in report.Pids)
        {
            string distance = pid.PtsPcrDistance.Count == 0 ? "-" : string.Create(s_c, $"{pid.PtsPcrDistance.Min:F1}/{pid.PtsPcrDistance.Mean:F1}/{pid.PtsPcrDistance.Max:F1}");
            text.Append(s_c, $"  0x{pid.Pid:X4}  {Fit(pid.Kind, 18),-18} {pid.Packets,8} {pid.ContinuityErrors,7} {pid.DuplicatePackets,6} {pid.PesPackets,6} {pid.Frames,7} {pid.IdrFrames,4}  {distance}\n");
        }

        text.Append('\n');
        if (report.Findings.Count == 0)
        {
            text.Append("  result      clean\n");
        }
        else
        {
            text.Append(report.IsClean ? "  result      clean, with warnings\n" : "  result      errors\n");
            foreach (TsFinding finding in report.Findings)
            {
                text.Append(finding.Severity == TsFindingSeverity.Error ? "  error: " : "  warning: ").Append(finding.Message).Append('\n');
            }
        }

        return text.ToString();
    }

    /// <summary>The JSON form: one object (written with <see cref="Utf8JsonWriter"/>, no reflection).</summary>
    public static void WriteJson(Utf8JsonWriter json, TsAnalysisReport report, string file)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(report);
        json.WriteStartObject();
        json.WriteString("file", file);
        json.WriteBoolean("clean", report.IsClean);
        json.WriteNumber("bytes", report.Bytes);
        json.WriteNumber("packets", report.Packets);
        json.WriteNumber("syncLosses", report.SyncLosses);
        json.WriteNumber("resyncs", report.Resyncs);
        json.WriteNumber("skippedBytes", report.SkippedBytes);
        json.WriteNumber("trailingBytes", report.TrailingBytes);
        json.WriteNumber("continuityErrors", report.ContinuityErrors);
        json.WriteNumber("durationSeconds", report.DurationSeconds);
        json.WriteNumber("bitrate", report.Bitrate);

        json.WriteStartObject("pat");
        WriteRepetition(json, report.Pat);
        json.WriteNumber("crcErrors", report.PatCrcErrors);
        json.WriteEndObject();
        json.WriteStartObject("pmt");
        WriteRepetition(json, report.Pmt);
        json.WriteNumber("crcErrors", report.PmtCrcErrors);
        json.WriteEndObject();
        json.WriteStartObject("pcr");
        json.WriteNumber("pid", report.PcrPid);
        WriteRepetition(json, report.Pcr);
        json.WriteNumber("jumps", report.PcrJumps);
        json.WriteEndObject();

        json.WriteStartObject("video");
        if (report.Video is TsPidReport video)
        {
            json.WriteNumber("pid", video.Pid);
            json.WriteNumber("frames", video.Frames);
            json.WriteNumber("idrFrames", video.IdrFrames);
        }

        json.WriteEndObject();

        json.WriteStartArray("programs");
        foreach (TsProgram program in report.Programs)
        {
            json.WriteStartObject();
            json.WriteNumber("number", program.Number);
            json.WriteNumber("pmtPid", program.PmtPid);
            json.WriteNumber("pcrPid", program.PcrPid);
            json.WriteBoolean("pmtSeen", program.PmtSeen);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("pids");
        foreach (TsPidReport pid in report.Pids)
        {
            json.WriteStartObject();
            json.WriteNumber("pid", pid.Pid);
            json.WriteString("kind", pid.Kind);
            json.WriteNumber("streamType", pid.StreamType);
            json.WriteNumber("packets", pid.Packets);
            json.WriteNumber("continuityErrors", pid.ContinuityErrors);
            json.WriteNumber("duplicatePackets", pid.DuplicatePackets);
            json.WriteNumber("transportErrors", pid.TransportErrors);
            json.WriteNumber("pcrCount", pid.PcrCount);
            json.WriteNumber("pesPackets", pid.PesPackets);
            json.WriteNumber("pesErrors", pid.PesErrors);
            json.WriteNumber("missingPts", pid.MissingPts);
            json.WriteNumber("timestampsBackwards", pid.TimestampsBackwards);
            json.WriteNumber("dtsAfterPts", pid.DtsAfterPts);
            json.WriteNumber("frames", pid.Frames);
            json.WriteNumber("idrFrames", pid.IdrFrames);
            json.WriteStartObject("ptsPcrMs");
            json.WriteNumber("count", pid.PtsPcrDistance.Count);
            json.WriteNumber("min", pid.PtsPcrDistance.Min);
            json.WriteNumber("mean", pid.PtsPcrDistance.Mean);
            json.WriteNumber("max", pid.PtsPcrDistance.Max);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("errors");
        foreach (TsFinding finding in report.Findings)
        {
            if (finding.Severity == TsFindingSeverity.Error)
            {
                json.WriteStringValue(finding.Message);
            }
        }

        json.WriteEndArray();
        json.WriteStartArray("warnings");
        foreach (TsFinding finding in report.Findings)
        {
            if (finding.Severity == TsFindingSeverity.Warning)
            {
                json.WriteStringValue(finding.Message);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void AppendRepetition(StringBuilder text, string name, TsRepetition repetition, string extra)
    {
        text.Append(s_c, $"  {name,-11} {repetition.Count} seen; gap max {repetition.Milliseconds.Max:F1} ms, mean {repetition.Milliseconds.Mean:F1} ms")
            .Append(s_c, $" (max {repetition.Packets.Max:F0}, mean {repetition.Packets.Mean:F1} packets); {extra}\n");
    }

    private static void WriteRepetition(Utf8JsonWriter json, TsRepetition repetition)
    {
        json.WriteNumber("count", repetition.Count);
        json.WriteNumber("maxIntervalMs", repetition.Milliseconds.Max);
        json.WriteNumber("meanIntervalMs", repetition.Milliseconds.Mean);
        json.WriteNumber("maxIntervalPackets", repetition.Packets.Max);
        json.WriteNumber("meanIntervalPackets", repetition.Packets.Mean);
    }

    private static string Fit(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "…");
}
