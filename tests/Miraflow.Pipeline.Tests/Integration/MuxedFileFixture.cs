using System.Buffers;
using Miraflow.Pipeline.Tests.TestSupport;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Tests.Integration;

/// <summary>
/// For each <see cref="H264Framing"/>: a real H.264 stream (ffmpeg/libx264) and a 48 kHz tone,
/// muxed by <see cref="TsMuxer"/> through <see cref="TsBufferSink"/> into <c>capture.ts</c>.
/// Made once for the test class; the files are deleted with the fixture.
/// </summary>
public sealed class MuxedFileFixture : IAsyncLifetime, IDisposable
{
    /// <summary>2.5 s at 30 fps: IDRs at frames 0, 30 and 60.</summary>
    public const int Frames = 75;

    private readonly TempDirectory _directory = new("ts");
    private readonly Dictionary<H264Framing, MuxedFile> _files = [];

    internal MuxedFile this[H264Framing framing] => _files[framing];

    public async Task InitializeAsync()
    {
        foreach (H264Framing framing in Enum.GetValues<H264Framing>())
        {
            H264TestStream video = await H264TestStream.EncodeAsync(_directory, framing, Frames);
            _files[framing] = MuxedFile.Write(_directory, video, new LpcmTone());
        }
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _directory.Dispose();
}

/// <summary>A transport stream muxed from <see cref="Video"/> and <see cref="Tone"/>, and what went into it.</summary>
internal sealed class MuxedFile
{
    private MuxedFile(string path, H264TestStream video, LpcmTone tone, IReadOnlyList<MediaUnit> units, TsMuxerStatistics statistics, IReadOnlyList<long> idrOffsets, byte[] bytes)
    {
        Path = path;
        Video = video;
        Tone = tone;
        Units = units;
        Statistics = statistics;
        IdrOffsets = idrOffsets;
        Bytes = bytes;
    }

    /// <summary>The .ts file.</summary>
    public string Path { get; }

    public H264TestStream Video { get; }

    public LpcmTone Tone { get; }

    /// <summary>The units in the order they were muxed.</summary>
    public IReadOnlyList<MediaUnit> Units { get; }

    public TsMuxerStatistics Statistics { get; }

    /// <summary>The byte offset in the file where the muxer began writing each IDR (its PAT comes first).</summary>
    public IReadOnlyList<long> IdrOffsets { get; }

    public byte[] Bytes { get; }

    public IEnumerable<MediaUnit> AudioUnits => Units.Where(u => u.Kind == MediaKind.Audio);

    public static MuxedFile Write(TempDirectory directory, H264TestStream video, LpcmTone tone)
    {
        List<MediaUnit> units = MediaSchedule.Interleave(video, tone);
        var muxer = new TsMuxer();
        var output = new ArrayBufferWriter<byte>();
        var sink = new TsBufferSink(output);
        var idrOffsets = new List<long>();
        var idrs = new HashSet<int>(video.IdrIndexes);
        foreach (MediaUnit unit in units)
        {
            if (unit.Kind == MediaKind.Video && idrs.Contains(unit.Index))
            {
                idrOffsets.Add(output.WrittenCount);
            }

            MediaSchedule.Mux(muxer, ref sink, unit);
        }

        string path = directory.File($"capture-{video.Framing}.ts");
        byte[] bytes = output.WrittenSpan.ToArray();
        File.WriteAllBytes(path, bytes);
        return new MuxedFile(path, video, tone, units, muxer.Statistics, idrOffsets, bytes);
    }
}
