using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Tests.TestSupport;

namespace Miraflow.Pipeline.Tests.Sources;

/// <summary>The file sources on inputs made by ffmpeg (libx264 for the Annex-B files).</summary>
[Trait("Category", "integration")]
public sealed class FileSourceIntegrationTests : IDisposable
{
    private readonly TempDirectory _directory = new("sources");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_x264_file_splits_into_45_access_units_with_3_IDRs_that_rebuild_it(bool delimiters)
    {
        string path = _directory.File(delimiters ? "aud.h264" : "plain.h264");
        string[] encode = ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-frames:v", "45", "-c:v", "libx264", "-profile:v", "baseline", "-g", "15"];
        ExternalTool.Ffmpeg([.. encode, .. delimiters ? ["-x264-params", "aud=1"] : Array.Empty<string>(), "-f", "h264", path]);
        byte[] file = File.ReadAllBytes(path);

        await using var source = new AnnexBFileSource(new MediaClock(), path, 30, loop: false, pacing: FramePacing.Unpaced);
        var rebuilt = new List<byte>();
        int units = 0, idrs = 0;
        while (await source.ReadFrameAsync(CancellationToken.None) is EncodedFrame frame)
        {
            using (frame)
            {
                Assert.Equal(delimiters, frame.Data[..5].SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0, 1, 0x09]));
                Assert.Equal(units % 15 == 0, frame.IsIdr);
                rebuilt.AddRange(frame.Data);
                units++;
                idrs += frame.IsIdr ? 1 : 0;
            }
        }

        Assert.Equal(45, units);
        Assert.Equal(3, idrs);
        Assert.Equal((45, 3), (source.AccessUnitCount, source.IdrCount));
        Assert.Equal(new FrameSourceInfo(320, 240, 30, Encoded: true), source.Info);
        Assert.True(file.AsSpan().SequenceEqual(rebuilt.ToArray()));
    }

    [Fact]
    public async Task A_cropped_1080p_stream_reports_its_displayed_size()
    {
        string path = _directory.File("hd.h264");
        ExternalTool.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-frames:v", "2", "-c:v", "libx264", "-profile:v", "high", "-preset", "ultrafast", "-f", "h264", path);

        await using var source = new AnnexBFileSource(new MediaClock(), path, 30, pacing: FramePacing.Unpaced);

        Assert.Equal((1920, 1080), (source.Info.Width, source.Info.Height));
        Assert.Equal(2, source.AccessUnitCount);
    }

    [Fact]
    public async Task The_raw_source_reads_what_ffmpeg_writes()
    {
        string path = _directory.File("testsrc.yuv");
        ExternalTool.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x48:rate=30", "-frames:v", "5", "-pix_fmt", "yuv420p", "-f", "rawvideo", path);
        byte[] file = File.ReadAllBytes(path);

        await using var source = new RawYuvFileSource(new MediaClock(), path, 64, 48, 30, loop: false, pacing: FramePacing.Unpaced);

        Assert.Equal(5, source.FrameCount);
        for (int k = 0; k < 5; k++)
        {
            using var frame = (VideoFrame)(await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.True(frame.Data.SequenceEqual(file.AsSpan(k * 4608, 4608)));
        }

        Assert.Null(await source.ReadFrameAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_test_picture_encodes_and_decodes_with_ffmpeg()
    {
        await using var pictures = new TestPictureSource(new MediaClock(), 640, 360, 30, PixelFormat.Nv12, FramePacing.Unpaced);
        string raw = _directory.File("desktop.nv12");
        await using (FileStream file = File.Create(raw))
        {
            for (int k = 0; k < 30; k++)
            {
                using var frame = (VideoFrame)(await pictures.ReadFrameAsync(CancellationToken.None))!;
                file.Write(frame.Data);
            }
        }

        string encoded = _directory.File("desktop.h264");
        ExternalTool.Ffmpeg("-f", "rawvideo", "-pix_fmt", "nv12", "-s", "640x360", "-r", "30", "-i", raw, "-c:v", "libx264", "-profile:v", "baseline", "-g", "10", "-x264-params", "aud=1", "-f", "h264", encoded);

        await using var source = new AnnexBFileSource(new MediaClock(), encoded, 30, loop: false, pacing: FramePacing.Unpaced);
        Assert.Equal((30, 3), (source.AccessUnitCount, source.IdrCount));
        Assert.Equal((640, 360), (source.Info.Width, source.Info.Height));
    }
}
