using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Tests.TestSupport;
using static Miraflow.Pipeline.Tests.Sources.H264TestStreams;

namespace Miraflow.Pipeline.Tests.Sources;

[Trait("Category", "unit")]
public sealed class AnnexBFileSourceTests : IDisposable
{
    private readonly TempDirectory _directory = new("sources");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Yields_each_access_unit_with_its_IDR_flag_then_ends()
    {
        byte[][] units =
        [
            Concat(Aud, BaselineSps(40, 30), Pps, Slice(true, 0, 300)),
            Concat(Aud, Slice(false, 0, 90), Slice(false, 600, 20)),
            Concat(Aud, Slice(false, 0, 80)),
            Concat(Aud, BaselineSps(40, 30), Pps, Slice(true, 0, 280)),
        ];
        string path = Write(Concat(units));
        var pool = new EncodedFramePool(capacity: 2, initialBytes: 64);
        await using var source = new AnnexBFileSource(new MediaClock(), path, 30, loop: false, pacing: FramePacing.Unpaced, pool: pool);

        Assert.Equal(new FrameSourceInfo(640, 480, 30, Encoded: true), source.Info);
        Assert.Equal(4, source.AccessUnitCount);
        Assert.Equal(2, source.IdrCount);
        for (int k = 0; k < units.Length; k++)
        {
            using var frame = (EncodedFrame)(await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.Equal(units[k], frame.Data.ToArray());
            Assert.Equal(k % 3 == 0, frame.IsIdr);
            Assert.Equal((ulong)k, frame.FrameNumber);
            Assert.Equal(new MediaTime(k * 900_000L), frame.CaptureTime);
            Assert.Null(frame.DecodeTime);
        }

        Assert.Null(await source.ReadFrameAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Loops_from_the_first_access_unit_and_steadily_allocates_nothing()
    {
        byte[] idr = Concat(BaselineSps(20, 15), Pps, Slice(true, 0, 2_000));
        byte[] p = Slice(false, 0, 500);
        string path = Write(Concat(idr, p, p));
        var pool = new EncodedFramePool(capacity: 2);
        await using var source = new AnnexBFileSource(new MediaClock(), path, 60, pacing: FramePacing.Unpaced, pool: pool);

        for (int k = 0; k < 7; k++)
        {
            using var frame = (EncodedFrame)(await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.Equal(k % 3 == 0 ? idr : p, frame.Data.ToArray());
            Assert.Equal((ulong)k, frame.FrameNumber);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 600; k++)
        {
            ReadAndDispose(source);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        static void ReadAndDispose(AnnexBFileSource source)
        {
            ValueTask<MediaFrame?> read = source.ReadFrameAsync(CancellationToken.None);
            Assert.True(read.IsCompletedSuccessfully);
            read.Result!.Dispose();
        }
    }

    [Fact]
    public async Task Cancelled_reads_throw_and_take_no_access_unit()
    {
        var time = new ManualTimeProvider();
        string path = Write(Concat(BaselineSps(20, 15), Pps, Slice(true, 0), Slice(false, 0)));
        await using var source = new AnnexBFileSource(new MediaClock(time), path, 30);
        (await source.ReadFrameAsync(CancellationToken.None))!.Dispose();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await source.ReadFrameAsync(new CancellationToken(true)));
        using (var cts = new CancellationTokenSource())
        {
            ValueTask<MediaFrame?> waiting = source.ReadFrameAsync(cts.Token);
            Assert.False(waiting.IsCompleted);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        }

        ValueTask<MediaFrame?> read = source.ReadFrameAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromTicks(333_334));
        using var frame = (EncodedFrame)(await read)!;
        Assert.False(frame.IsIdr); // the second access unit: the cancelled reads skipped none
        Assert.Equal(1ul, frame.FrameNumber);
        Assert.Equal(new MediaTime(900_000), frame.CaptureTime);
    }

    [Fact]
    public void Missing_non_Annex_B_headerless_and_oversized_files_are_refused()
    {
        var clock = new MediaClock();
        string missing = _directory.File("missing.h264");
        Assert.Equal(missing, Assert.Throws<FileNotFoundException>(() => new AnnexBFileSource(clock, missing, 30)).FileName);

        string garbage = Write(new byte[1000], "garbage.h264");
        Assert.Contains("no start code", Assert.Throws<InvalidDataException>(() => new AnnexBFileSource(clock, garbage, 30)).Message, StringComparison.Ordinal);

        string noSps = Write(Concat(Pps, Slice(true, 0)), "nosps.h264");
        Assert.Contains("no sequence parameter set", Assert.Throws<InvalidDataException>(() => new AnnexBFileSource(clock, noSps, 30)).Message, StringComparison.Ordinal);

        string big = _directory.File("big.h264");
        using (FileStream file = File.Create(big))
        {
            file.SetLength(AnnexBFileSource.MaxFileBytes + 1); // sparse: no disk used
        }

        Assert.Contains("at most", Assert.Throws<InvalidDataException>(() => new AnnexBFileSource(clock, big, 30)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_after_dispose_throws()
    {
        var source = new AnnexBFileSource(new MediaClock(), Write(Concat(BaselineSps(20, 15), Slice(true, 0))), 30, pacing: FramePacing.Unpaced);
        await source.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await source.ReadFrameAsync(CancellationToken.None));
    }

    private string Write(byte[] stream, string name = "stream.h264")
    {
        string path = _directory.File(name);
        File.WriteAllBytes(path, stream);
        return path;
    }
}
