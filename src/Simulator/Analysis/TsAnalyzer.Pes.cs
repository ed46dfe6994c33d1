using System.Buffers.Binary;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Simulator.Analysis;

/// <summary>PES packets: header, PTS/DTS checks (ISO/IEC 13818-1 §2.4.3.7) and H.264 access units.</summary>
public sealed partial class TsAnalyzer
{
    /// <summary>How much of each H.264 PES is kept to find its first slice (delimiter, SPS, PPS and SEI come first).</summary>
    private const int VideoHeadSize = 4096;

    /// <summary>Enough for the longest PES header (9 + 255 bytes).</summary>
    private const int HeaderHeadSize = 9 + 255;

    private const long TimestampWrap = 1L << 33;

    private void OnPesPayload(PidState state, ReadOnlySpan<byte> payload, bool unitStart, long index)
    {
        if (unitStart)
        {
            if (state.InPes)
            {
                FinishPes(state);
            }

            state.InPes = true;
            state.HeaderParsed = false;
            state.HeadLength = 0;
            state.PesStartPacket = index;
            state.PesPackets++;
            int size = state.StreamType == TsStreamTypes.H264 ? VideoHeadSize : HeaderHeadSize;
            if (state.Head is null || state.Head.Length < size)
            {
                state.Head = new byte[size];
            }
        }
        else if (!state.InPes)
        {
            return; // the stream began inside this PES
        }

        byte[] head = state.Head!;
        int limit = state.StreamType == TsStreamTypes.H264 ? head.Length : HeaderHeadSize;
        if (state.HeadLength < limit)
        {
            int take = Math.Min(limit - state.HeadLength, payload.Length);
            payload[..take].CopyTo(head.AsSpan(state.HeadLength));
            state.HeadLength += take;
        }

        if (!state.HeaderParsed)
        {
            TryParseHeader(state, final: state.HeadLength == limit);
        }
    }

    /// <summary>
    /// <code>
    /// 00 00 01 | stream_id | PES_packet_length(16) | 10 SC P D C O | PTS_DTS(2) ESCR ES DSM ACI CRC EXT | header_data_length | PTS(5) DTS(5) ...
    /// </code>
    /// </summary>
    private void TryParseHeader(PidState state, bool final)
    {
        ReadOnlySpan<byte> head = state.Head.AsSpan(0, state.HeadLength);
        if (head.Length < 9 || (head.Length >= 9 && head.Length < 9 + head[8] && !final))
        {
            if (final)
            {
                CountPesError(state);
                state.HeaderParsed = true;
            }

            return;
        }

        state.HeaderParsed = true;
        if (head[0] != 0 || head[1] != 0 || head[2] != 1)
        {
            CountPesError(state);
            return;
        }

        int streamId = head[3];
        state.StreamId = streamId;
        bool video = TsStreamTypes.IsVideo(state.StreamType) || (state.StreamType < 0 && streamId is >= 0xE0 and <= 0xEF);
        state.IsVideo |= video;

        // stream_ids without the optional header: program_stream_map, padding, private_stream_2, ECM, EMM, DSMCC, H.222.1 E, directory.
        if (streamId is 0xBC or 0xBE or 0xBF or 0xF0 or 0xF1 or 0xF2 or 0xF8 or 0xFF || (head[6] & 0xC0) != 0x80)
        {
            if (video)
            {
                state.MissingPts++;
            }

            return;
        }

        int flags = head[7] >> 6;
        int headerLength = head[8];
        bool hasPts = flags >= 2 && headerLength >= 5 && head.Length >= 14;
        bool hasDts = flags == 3 && headerLength >= 10 && head.Length >= 19;
        if (!hasPts)
        {
            if (video)
            {
                state.MissingPts++;
            }

            return;
        }

        long pts = PesHeader.ReadTimestamp(head[9..]);
        long decode = pts;
        if (hasDts)
        {
            long dts = PesHeader.ReadTimestamp(head[14..]);
            long ahead = (dts - pts + TimestampWrap) % TimestampWrap;
            if (ahead != 0 && ahead < TimestampWrap / 2)
            {
                state.DtsAfterPts++;
            }

            decode = dts;
        }

        // Decode order: the DTS, or the PTS when they are equal. PTS alone may go back with B-frames.
        if (state.LastDecodeTime >= 0)
        {
            long step = (decode - state.LastDecodeTime + TimestampWrap) % TimestampWrap;
            if (step >= TimestampWrap / 2)
            {
                state.TimestampsBackwards++;
            }
        }

        state.LastDecodeTime = decode;
        AddEvent(new TimedEvent(state.PesStartPacket, state.Pid, pts));
    }

    /// <summary>The PES ended (the next one starts, or the stream ends): count its access unit.</summary>
    private static void FinishPes(PidState state)
    {
        state.InPes = false;
        if (!state.HeaderParsed)
        {
            state.HeaderParsed = true;
            if (state.HeadLength < 9 || state.Head![0] != 0 || state.Head[1] != 0 || state.Head[2] != 1)
            {
                CountPesError(state);
                return;
            }
        }

        if (state.StreamType != TsStreamTypes.H264 || state.HeadLength < 9)
        {
            return;
        }

        int start = 9 + state.Head![8];
        if (start >= state.HeadLength)
        {
            return;
        }

        // One access unit per PES (as WFD sources and most muxers write it): the first slice decides.
        if (AccessUnitLayout.TryRead(state.Head.AsSpan(start, state.HeadLength - start), out AccessUnitLayout layout) && layout.FirstSliceType != 0)
        {
            state.Frames++;
            if (layout.IsIdr)
            {
                state.IdrFrames++;
            }
        }
    }

    /// <summary>A PES without its start code prefix: an error on a PID a PMT lists; unknown PIDs may carry anything.</summary>
    private static void CountPesError(PidState state)
    {
        if (state.StreamType >= 0)
        {
            state.PesErrors++;
        }
    }

    /// <summary>What the analyzer keeps per PID: fixed-size counters and, for PSI and H.264, one bounded buffer.</summary>
    private sealed class PidState(int pid)
    {
        public int Pid { get; } = pid;

        public int StreamType { get; set; } = -1;

        public int StreamId { get; set; } = -1;

        public bool IsVideo { get; set; }

        public long Packets { get; set; }

        public long ContinuityErrors { get; set; }

        public long DuplicatePackets { get; set; }

        public long TransportErrors { get; set; }

        public long PcrCount { get; set; }

        // PSI (PAT and PMT PIDs only).
        public byte[]? Section { get; private set; }

        public int SectionLength { get; set; }

        public int SectionFilled { get; set; }

        public long Sections { get; set; }

        public long CrcErrors { get; set; }

        public long PsiErrors { get; set; }

        public long LastSectionPacket { get; set; } = -1;

        public long LastSectionClock { get; set; } = -1;

        public int LastSectionEpoch { get; set; } = -1;

        public RunningStatistics SectionGapPackets { get; } = new();

        public RunningStatistics SectionGapMs { get; } = new();

        // PES.
        public byte[]? Head { get; set; }

        public int HeadLength { get; set; }

        public bool InPes { get; set; }

        public bool HeaderParsed { get; set; }

        public long PesStartPacket { get; set; }

        public long PesPackets { get; set; }

        public long PesErrors { get; set; }

        public long MissingPts { get; set; }

        public long TimestampsBackwards { get; set; }

        public long DtsAfterPts { get; set; }

        public long LastDecodeTime { get; set; } = -1;

        public RunningStatistics PtsPcrMs { get; } = new();

        public long Frames { get; set; }

        public long IdrFrames { get; set; }

        public void MakePsi()
        {
            Section ??= new byte[MaxSectionSize];
            InPes = false;
        }
    }

    /// <summary>Count, sum, minimum and maximum of a series, in constant space.</summary>
    private sealed class RunningStatistics
    {
        public long Count { get; private set; }

        public double Sum { get; private set; }

        public double Min { get; private set; } = double.PositiveInfinity;

        public double Max { get; private set; }

        public double Mean => Count == 0 ? 0 : Sum / Count;

        public void Add(double value)
        {
            if (Count == 0)
            {
                Max = value;
            }

            Count++;
            Sum += value;
            Min = Math.Min(Min, value);
            Max = Math.Max(Max, value);
        }

        /// <summary>Raises the maximum without adding a sample (a gap still open at the end).</summary>
        public void RaiseMax(double value) => Max = Math.Max(Max, value);

        public IntervalStatistics ToIntervals() => new(Count, Math.Round(Max, 3), Math.Round(Mean, 3));

        public RangeStatistics ToRange() => Count == 0 ? default : new(Count, Math.Round(Min, 3), Math.Round(Max, 3), Math.Round(Mean, 3));
    }
}
