using System.Globalization;
using Xunit.Sdk;

namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>What the encoder puts around the slices of each access unit.</summary>
public enum H264Framing
{
    /// <summary>
    /// An access unit delimiter in every unit and SPS/PPS in front of every IDR (x264 with
    /// <c>aud=1</c>): the muxer must add nothing.
    /// </summary>
    DelimitersAndParameterSets,

    /// <summary>
    /// No delimiters (x264's default, <c>aud=0</c>) and SPS/PPS only in front of the first IDR:
    /// the muxer must insert a delimiter in every unit and SPS/PPS in front of every later IDR.
    /// </summary>
    /// <remarks>
    /// x264 through ffmpeg cannot write this itself: to a raw <c>.h264</c> file it repeats SPS/PPS
    /// on every IDR, and <c>repeat-headers=0</c> moves them into codec extradata, which the raw
    /// muxer drops, so the file has none at all. So the stream is encoded with the repeats and
    /// <see cref="H264TestStream"/> removes them from every unit after the first.
    /// </remarks>
    Bare,
}

/// <summary>
/// A real H.264 stream for the integration tests: encoded by ffmpeg/libx264 from its
/// <c>testsrc2</c> pattern (Constrained Baseline, 4:2:0, one slice per picture, an IDR every
/// <see cref="GopLength"/> frames) into an Annex-B file, and split into access units.
/// </summary>
internal sealed class H264TestStream
{
    /// <summary>Frames from one IDR to the next (x264 <c>keyint</c>, scene cuts off).</summary>
    public const int GopLength = 30;

    private H264TestStream(string path, H264Framing framing, int frameRate, IReadOnlyList<byte[]> accessUnits)
    {
        FilePath = path;
        Framing = framing;
        FrameRate = frameRate;
        AccessUnits = accessUnits;
    }

    /// <summary>The Annex-B file (after the <see cref="H264Framing.Bare"/> edit, if any).</summary>
    public string FilePath { get; }

    public H264Framing Framing { get; }

    public int FrameRate { get; }

    /// <summary>The access units in decode (= presentation) order, each with its start codes.</summary>
    public IReadOnlyList<byte[]> AccessUnits { get; }

    /// <summary>Indexes of the IDR access units.</summary>
    public IReadOnlyList<int> IdrIndexes =>
        [.. Enumerable.Range(0, AccessUnits.Count).Where(i => NalUnits(AccessUnits[i]).Any(n => n.Type == 5))];

    /// <summary>
    /// Encodes <paramref name="frames"/> frames of <paramref name="width"/>×<paramref name="height"/>
    /// at <paramref name="frameRate"/> fps into <paramref name="directory"/> and splits them; fails
    /// the test when the result is not <paramref name="frames"/> units shaped as <paramref name="framing"/> promises.
    /// </summary>
    public static async Task<H264TestStream> EncodeAsync(TempDirectory directory, H264Framing framing, int frames, int frameRate = 30, int width = 1280, int height = 720)
    {
        string path = directory.File(framing == H264Framing.Bare ? "bare.h264" : "aud.h264");
        string aud = framing == H264Framing.Bare ? "0" : "1";
        ToolResult encode = await ExternalTool.RunAsync(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-y",
                "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={width}x{height}:rate={frameRate}"),
                "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
                "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline", "-pix_fmt", "yuv420p",
                "-x264-params", string.Create(CultureInfo.InvariantCulture, $"keyint={GopLength}:min-keyint={GopLength}:scenecut=0:aud={aud}"),
                "-f", "h264", path,
            ],
            TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        if (encode.ExitCode != 0)
        {
            throw new XunitException($"ffmpeg could not encode the test stream (is it built with libx264?).\n{encode.Describe()}");
        }

        List<byte[]> units = SplitAccessUnits(await File.ReadAllBytesAsync(path).ConfigureAwait(false));
        if (framing == H264Framing.Bare)
        {
            for (int i = 1; i < units.Count; i++)
            {
                units[i] = WithoutNalTypes(units[i], 7, 8);
            }

            await File.WriteAllBytesAsync(path, [.. units.SelectMany(u => u)]).ConfigureAwait(false);
        }

        var stream = new H264TestStream(path, framing, frameRate, units);
        stream.CheckShape(frames);
        return stream;
    }

    /// <summary>The NAL units of an Annex-B byte stream.</summary>
    public static List<NalUnit> NalUnits(ReadOnlySpan<byte> stream)
    {
        var nals = new List<NalUnit>();
        int at = FindStartCode(stream, 0, out int startCode);
        while (at >= 0)
        {
            int next = FindStartCode(stream, at, out int nextStartCode);
            int end = next < 0 ? stream.Length : nextStartCode;
            if (at < end)
            {
                nals.Add(new NalUnit(startCode, at, end, stream[at] & 0x1F));
            }

            (at, startCode) = (next, nextStartCode);
        }

        return nals;
    }

    /// <summary>
    /// Splits an Annex-B byte stream into access units (ITU-T H.264 §7.4.1.2.3, the subset a
    /// single-layer stream needs): a unit starts at an access unit delimiter; at SPS, PPS, SEI or
    /// NAL types 14–18 once the current unit has a slice; and at a slice whose
    /// first_mb_in_slice is 0 once the current unit has a slice. Each unit keeps its start codes.
    /// </summary>
    /// <remarks>
    /// first_mb_in_slice is the first ue(v) after the NAL header; it is 0 exactly when the first
    /// bit is 1. That byte can never be an emulation-prevention byte (those follow 00 00).
    /// </remarks>
    public static List<byte[]> SplitAccessUnits(ReadOnlySpan<byte> stream)
    {
        var units = new List<byte[]>();
        int unitStart = -1;
        bool unitHasSlice = false;
        foreach (NalUnit nal in NalUnits(stream))
        {
            bool isSlice = nal.Type is >= 1 and <= 5;
            bool startsUnit = nal.Type switch
            {
                9 => true,
                6 or 7 or 8 or (>= 14 and <= 18) => unitHasSlice,
                >= 1 and <= 5 => unitHasSlice && nal.HeaderOffset + 1 < stream.Length && (stream[nal.HeaderOffset + 1] & 0x80) != 0,
                _ => false,
            };

            if (startsUnit && unitStart >= 0)
            {
                units.Add(stream[unitStart..nal.StartCodeOffset].ToArray());
                unitStart = -1;
                unitHasSlice = false;
            }

            if (unitStart < 0)
            {
                unitStart = nal.StartCodeOffset;
            }

            unitHasSlice |= isSlice;
        }

        if (unitStart >= 0)
        {
            units.Add(stream[unitStart..].ToArray());
        }

        return units;
    }

    /// <summary>The NAL units of <paramref name="accessUnit"/> without their start codes (header byte onwards).</summary>
    public static List<byte[]> NalPayloads(ReadOnlySpan<byte> accessUnit)
    {
        var payloads = new List<byte[]>();
        foreach (NalUnit nal in NalUnits(accessUnit))
        {
            payloads.Add(accessUnit[nal.HeaderOffset..nal.End].ToArray());
        }

        return payloads;
    }

    /// <summary>The NAL unit types of <paramref name="accessUnit"/>, in order.</summary>
    public static int[] NalTypes(ReadOnlySpan<byte> accessUnit) => [.. NalUnits(accessUnit).Select(n => n.Type)];

    /// <summary>A copy of <paramref name="accessUnit"/> without the NAL units of the given types.</summary>
    public static byte[] WithoutNalTypes(ReadOnlySpan<byte> accessUnit, params int[] types)
    {
        var kept = new List<byte>(accessUnit.Length);
        foreach (NalUnit nal in NalUnits(accessUnit))
        {
            if (!types.Contains(nal.Type))
            {
                kept.AddRange(accessUnit[nal.StartCodeOffset..nal.End]);
            }
        }

        return [.. kept];
    }

    private void CheckShape(int frames)
    {
        var problems = new List<string>();
        if (AccessUnits.Count != frames)
        {
            problems.Add($"{AccessUnits.Count} access units, expected {frames}");
        }

        for (int i = 0; i < AccessUnits.Count; i++)
        {
            int[] types = NalTypes(AccessUnits[i]);
            bool idr = i % GopLength == 0;
            bool hasSets = types.Contains(7) && types.Contains(8);
            bool wantSets = idr && (i == 0 || Framing == H264Framing.DelimitersAndParameterSets);
            bool wantAud = Framing == H264Framing.DelimitersAndParameterSets;
            if (types.Count(t => t is 1 or 5) != 1 || types.Contains(5) != idr || hasSets != wantSets || (types[0] == 9) != wantAud)
            {
                problems.Add($"unit {i}: NAL types [{string.Join(' ', types)}]");
            }
        }

        if (problems.Count > 0)
        {
            throw new XunitException(
                $"The encoded test stream {FilePath} is not shaped as {Framing} with an IDR every {GopLength} frames " +
                $"(one slice per picture):\n{string.Join('\n', problems.Take(10))}");
        }
    }

    /// <summary>Finds the next 00 00 01 at or after <paramref name="from"/>; returns the index after it, with the start code's first byte (a leading zero_byte included) in <paramref name="startCode"/>.</summary>
    private static int FindStartCode(ReadOnlySpan<byte> data, int from, out int startCode)
    {
        startCode = -1;
        int found = from < data.Length ? data[from..].IndexOf([(byte)0, (byte)0, (byte)1]) : -1;
        if (found < 0)
        {
            return -1;
        }

        int at = from + found;
        startCode = at > from && data[at - 1] == 0 ? at - 1 : at;
        return at + 3;
    }
}

/// <summary>One NAL unit in a byte stream.</summary>
/// <param name="StartCodeOffset">Where its start code begins (its zero_byte, when it has a 4-byte one).</param>
/// <param name="HeaderOffset">Where its NAL header byte is.</param>
/// <param name="End">Where it ends (the next start code, or the end of the data).</param>
/// <param name="Type">nal_unit_type.</param>
internal readonly record struct NalUnit(int StartCodeOffset, int HeaderOffset, int End, int Type);
