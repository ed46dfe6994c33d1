using System.Globalization;
using System.Text.RegularExpressions;
using Miraflow.Pipeline.Tests.TestSupport;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Tests.Integration;

/// <summary>
/// Issue 3, the file half: a transport stream muxed from a real H.264 stream and a tone, judged
/// by ffprobe, ffmpeg, tsreport and GStreamer. Each test runs for both encoder framings: with
/// delimiters and SPS/PPS on every IDR (the muxer adds nothing), and bare (the muxer adds a
/// delimiter to every unit and SPS/PPS to every later IDR).
/// </summary>
[Collection(MediaIntegration.Name)]
[Trait("Category", "integration")]
public sealed partial class TsFileConformanceTests(MuxedFileFixture files) : IClassFixture<MuxedFileFixture>
{
    /// <summary>The muxer's default presentation delay in 90 kHz ticks (50 ms).</summary>
    private const long Delay90kHz = 4_500;

    private const long FrameDuration90kHz = 90_000 / 30;

    [Theory]
    [InlineData(H264Framing.DelimitersAndParameterSets)]
    [InlineData(H264Framing.Bare)]
    public void Muxer_adds_only_what_the_encoder_left_out(H264Framing framing)
    {
        MuxedFile file = files[framing];
        TsMuxerStatistics stats = file.Statistics;
        int idrs = file.Video.IdrIndexes.Count;

        Assert.Equal(MuxedFileFixture.Frames, stats.VideoUnits);
        Assert.Equal(idrs, stats.IdrUnits);
        Assert.Equal(file.AudioUnits.Count(), stats.AudioUnits);
        Assert.Equal(framing == H264Framing.Bare ? MuxedFileFixture.Frames : 0, stats.DelimitersInserted);
        Assert.Equal(framing == H264Framing.Bare ? idrs - 1 : 0, stats.ParameterSetsInserted);
        Assert.Equal(0, stats.IdrWithoutParameterSets);
        Assert.Equal(file.Bytes.Length / TsPackets.Size, stats.Packets);
        Assert.Equal(0, file.Bytes.Length % TsPackets.Size);
    }

    [Theory]
    [InlineData(H264Framing.DelimitersAndParameterSets)]
    [InlineData(H264Framing.Bare)]
    public async Task Ffprobe_lists_h264_and_lpcm_and_every_picture_in_order(H264Framing framing)
    {
        MuxedFile file = files[framing];

        FfprobeReport probe = await FfprobeReport.ProbeAsync(file.Path);

        string context = $"\n{probe.Run.Describe(1500)}";
        Assert.True(probe.Streams.Count == 2, $"Expected 2 streams, got {probe.Streams.Count}.{context}");
        FfprobeStream video = Assert.Single(probe.Streams, s => s.CodecType == "video");
        Assert.Equal(("h264", "0x001b", "0x1011", "Constrained Baseline", 1280, 720), (video.CodecName, video.CodecTag, video.Id, video.Profile, video.Width, video.Height));

        // The audio stream: our PID and stream_type 0x83. Its codec name is ffmpeg's guess from the
        // payload (see MediaJudges), not a property of the stream, so it is not pinned.
        FfprobeStream audio = Assert.Single(probe.Streams, s => s.CodecType == "audio");
        Assert.Equal(("0x0083", "0x1100"), (audio.CodecTag, audio.Id));

        List<FfprobePacket> pictures = [.. probe.Packets.Where(p => p.StreamIndex == video.Index)];
        Assert.True(pictures.Count == MuxedFileFixture.Frames, $"{pictures.Count} video packets for {MuxedFileFixture.Frames} frames.");
        long?[] pts = [.. pictures.Select(p => p.Pts)];
        for (int i = 1; i < pts.Length; i++)
        {
            Assert.True(pts[i] > pts[i - 1], $"Video PTS not strictly increasing at packet {i}: {pts[i - 1]} then {pts[i]}.");
        }

        // PTS = capture time (frame i / 30 s) + the 50 ms presentation delay, on 90 kHz; no DTS written, so DTS = PTS.
        Assert.Equal([.. Enumerable.Range(0, MuxedFileFixture.Frames).Select(i => (long?)(Delay90kHz + (i * FrameDuration90kHz)))], pts);
        Assert.Equal(pts, pictures.Select(p => p.Dts));
        Assert.Equal(file.Video.IdrIndexes, Enumerable.Range(0, pictures.Count).Where(i => pictures[i].IsKey));
    }

    [Theory]
    [InlineData(H264Framing.DelimitersAndParameterSets)]
    [InlineData(H264Framing.Bare)]
    public async Task Ffmpeg_decodes_the_program_without_a_message(H264Framing framing)
    {
        MuxedFile file = files[framing];
        string path = WriteWithoutAudio(file, file.Bytes, "null");

        ToolResult decode = await MediaJudges.DecodeToNullAsync(path);

        Assert.True(decode.ExitCode == 0 && decode.StandardOutput.Length == 0 && decode.StandardError.Length == 0, $"ffmpeg should decode silently.\n{decode.Describe()}");
    }

    [Theory]
    [InlineData(H264Framing.DelimitersAndParameterSets)]
    [InlineData(H264Framing.Bare)]
    public async Task Decoded_pictures_equal_the_encoder_output_and_every_idr_decodes_alone(H264Framing framing)
    {
        MuxedFile file = files[framing];
        (ToolResult sourceRun, List<string> source) = await MediaJudges.DecodeFrameHashesAsync(file.Video.FilePath);
        Assert.True(sourceRun.ExitCode == 0 && source.Count == MuxedFileFixture.Frames, $"The source .h264 should decode to {MuxedFileFixture.Frames} pictures.\n{sourceRun.Describe(800)}");

        (ToolResult whole, List<string> muxed) = await MediaJudges.DecodeFrameHashesAsync(WriteWithoutAudio(file, file.Bytes, "whole"));
        Assert.True(whole.ExitCode == 0 && whole.StandardError.Length == 0, whole.Describe(800));
        Assert.Equal(source, muxed);

        // From the PAT in front of each later IDR, the stream must decode on its own: for the bare
        // stream that needs the SPS/PPS the muxer put there.
        IReadOnlyList<int> idrs = file.Video.IdrIndexes;
        for (int k = 1; k < idrs.Count; k++)
        {
            string tail = WriteWithoutAudio(file, file.Bytes.AsSpan((int)file.IdrOffsets[k]), $"from-idr-{idrs[k]}");
            (ToolResult run, List<string> decoded) = await MediaJudges.DecodeFrameHashesAsync(tail);
            Assert.True(run.ExitCode == 0 && run.StandardError.Length == 0, $"The stream from IDR {idrs[k]} should decode silently.\n{run.Describe(800)}");
            Assert.Equal(source.Skip(idrs[k]), decoded);
        }
    }

    [Theory]
    [InlineData(H264Framing.DelimitersAndParameterSets)]
    [InlineData(H264Framing.Bare)]
    public async Task Every_access_unit_starts_with_one_delimiter_and_every_idr_carries_sps_and_pps(H264Framing framing)
    {
        MuxedFile file = files[framing];

        (ToolResult run, byte[] es) = await MediaJudges.DemuxVideoAsync(file.Path, file.Path + ".es.h264");

        Assert.True(run.ExitCode == 0, run.Describe());
        List<byte[]> units = H264TestStream.SplitAccessUnits(es);
        Assert.Equal(MuxedFileFixture.Frames, units.Count);
        List<byte[]> parameterSets = [.. H264TestStream.NalPayloads(file.Video.AccessUnits[0]).Where(n => (n[0] & 0x1F) is 7 or 8)];
        HashSet<int> idrs = [.. file.Video.IdrIndexes];
        for (int i = 0; i < units.Count; i++)
        {
            List<byte[]> expected = H264TestStream.NalPayloads(file.Video.AccessUnits[i]);
            if (framing == H264Framing.Bare)
            {
                // The muxer's delimiter (primary_pic_type 7, protocol doc §3.4), then the last SPS/PPS on an IDR that lacks them.
                expected.InsertRange(0, i > 0 && idrs.Contains(i) ? [[0x09, 0xF0], .. parameterSets] : [[0x09, 0xF0]]);
            }

            List<byte[]> actual = H264TestStream.NalPayloads(units[i]);
            Assert.True(
                expected.Count == actual.Count && expected.Zip(actual).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second)),
                $"Access unit {i}: expected NAL types [{Types(expected)}], demuxed [{Types(actual)}] (or their bytes differ).");
            Assert.Equal(1, actual.Count(n => (n[0] & 0x1F) == 9));
        }
    }

    [Theory]
    [InlineData(H264Framing.DelimitersAndParameterSets)]
    [InlineData(H264Framing.Bare)]
    public async Task Tsreport_finds_no_continuity_error_and_pcr_gaps_under_100_ms(H264Framing framing)
    {
        MuxedFile file = files[framing];

        ToolResult report = await MediaJudges.TsreportAsync(file.Path);

        string text = report.StandardOutput + report.StandardError;
        string context = $"\n{report.Describe()}";
        Assert.True(report.ExitCode == 0, context);
        Assert.False(text.Contains("###", StringComparison.Ordinal), $"tsreport flags an error (### lines: continuity counter, timing).{context}");
        Assert.Contains("Program 1, version 1, PCR PID 1000 (4096)", text, StringComparison.Ordinal);
        Assert.Contains("PID 1011 (4113) -> Stream type 1b", text, StringComparison.Ordinal);
        Assert.Contains("PID 1100 (4352) -> Stream type 83", text, StringComparison.Ordinal);

        Match pcr = PcrSummary().Match(text);
        Assert.True(pcr.Success, $"No PCR summary.{context}");
        Assert.True(int.Parse(pcr.Groups["found"].Value, CultureInfo.InvariantCulture) > 0 && pcr.Groups["bad"].Value == "0", $"PCR line: {pcr.Value}{context}");
        Assert.True(int.Parse(pcr.Groups["max"].Value, CultureInfo.InvariantCulture) <= 9_000, $"Largest PCR gap over 100 ms (9000 ticks): {pcr.Value}{context}");

        // PTS - PCR, per stream: the presentation delay keeps every PTS ahead of the clock.
        MatchCollection minimums = MinimumDifference().Matches(text);
        Assert.Equal(2, minimums.Count);
        Assert.All(minimums, m => Assert.True(int.Parse(m.Groups["ticks"].Value, CultureInfo.InvariantCulture) > 0, $"A PTS behind the PCR: {m.Value}{context}"));
    }

    [Theory]
    [InlineData(H264Framing.DelimitersAndParameterSets)]
    [InlineData(H264Framing.Bare)]
    public async Task Gstreamer_demuxes_every_lpcm_frame_bit_exact_10_ms_apart(H264Framing framing)
    {
        MuxedFile file = files[framing];
        MediaUnit[] audio = [.. file.AudioUnits];

        (ToolResult run, List<(int Size, TimeSpan Pts)> buffers, byte[] bytes) = await MediaJudges.GstDemuxAudioAsync(file.Path, file.Path + ".lpcm");

        string context = $"\n{run.Describe(1500)}";
        Assert.True(run.ExitCode == 0, context);
        Assert.Contains("audio/x-private2-lpcm", run.StandardOutput, StringComparison.Ordinal);
        Assert.True(buffers.Count == audio.Length, $"{buffers.Count} audio buffers for {audio.Length} frames.{context}");
        Assert.All(buffers, b => Assert.Equal(4 + (MediaSchedule.AudioFrameSamples * LpcmTone.BytesPerSampleFrame), b.Size));
        for (int i = 1; i < buffers.Count; i++)
        {
            Assert.True(buffers[i].Pts - buffers[i - 1].Pts == TimeSpan.FromMilliseconds(10), $"Audio buffer {i}: {buffers[i - 1].Pts} then {buffers[i].Pts}.");
        }

        byte[] expected = [.. audio.SelectMany(u => MediaJudges.WfdLpcmPayload(u.Payload))];
        Assert.True(expected.AsSpan().SequenceEqual(bytes), $"The demuxed LPCM differs from A0 06 00 11 + big-endian samples (first difference at byte {expected.AsSpan().CommonPrefixLength(bytes)} of {expected.Length}).");
    }

    /// <summary>The judges above can fail: each is shown a damaged stream and must say so.</summary>
    [Fact]
    public async Task Judges_report_damaged_streams()
    {
        MuxedFile file = files[H264Framing.Bare];

        // tsreport: one video packet's continuity counter moved on by 5.
        byte[] badCc = [.. file.Bytes];
        int at = TsPackets.BumpContinuityCounter(badCc.AsSpan(1000 * TsPackets.Size), TsPid.Video, 5);
        Assert.True(at >= 0);
        string badCcPath = file.Path + ".bad-cc.ts";
        await File.WriteAllBytesAsync(badCcPath, badCc);
        ToolResult report = await MediaJudges.TsreportAsync(badCcPath);
        Assert.True(report.StandardOutput.Contains("### PID(4113): Continuity Counter discontinuity", StringComparison.Ordinal), report.Describe());

        // ffmpeg: the payload of one packet in the middle of the first IDR overwritten.
        byte[] badVideo = [.. file.Bytes];
        int idrPacket = (int)(file.IdrOffsets[0] / TsPackets.Size) + 12;
        Assert.Equal(TsPid.Video, TsPackets.Pid(badVideo.AsSpan(idrPacket * TsPackets.Size)));
        badVideo.AsSpan((idrPacket * TsPackets.Size) + 4, TsPackets.Size - 4).Fill(0x55);
        ToolResult decode = await MediaJudges.DecodeToNullAsync(WriteWithoutAudio(file, badVideo, "bad-video"));
        Assert.True(decode.StandardError.Length > 0, $"ffmpeg should report the damaged IDR.\n{decode.Describe()}");

        // The bare encoder output itself cannot be decoded from its second IDR: the SPS/PPS the
        // muxer inserts are what the IDR test above relies on.
        int second = file.Video.IdrIndexes[1];
        string bareTail = file.Path + ".bare-tail.h264";
        await File.WriteAllBytesAsync(bareTail, [.. file.Video.AccessUnits.Skip(second).SelectMany(u => u)]);
        (ToolResult tail, List<string> pictures) = await MediaJudges.DecodeFrameHashesAsync(bareTail);
        Assert.True(tail.StandardError.Length > 0 && pictures.Count < MuxedFileFixture.Frames - second, $"A bare IDR without SPS/PPS should not decode.\n{tail.Describe(800)}");
    }

    private static string WriteWithoutAudio(MuxedFile file, ReadOnlySpan<byte> stream, string name)
    {
        string path = $"{file.Path}.{name}.video-only.ts";
        File.WriteAllBytes(path, TsPackets.WithoutPid(stream, TsPid.Audio));
        return path;
    }

    private static string Types(List<byte[]> nals) => string.Join(' ', nals.Select(n => n[0] & 0x1F));

    // PCRs found: 33, Bad (>.1s) gaps: 0, Max gap: 8100t
    [GeneratedRegex(@"PCRs found: (?<found>\d+), Bad \(>\.1s\) gaps: (?<bad>\d+), Max gap: (?<max>\d+)t")]
    private static partial Regex PcrSummary();

    // PCR/PTS,DTS:\n    Minimum difference was  3271t at DTS ...
    [GeneratedRegex(@"Minimum difference was +(?<ticks>-?\d+)t")]
    private static partial Regex MinimumDifference();
}
