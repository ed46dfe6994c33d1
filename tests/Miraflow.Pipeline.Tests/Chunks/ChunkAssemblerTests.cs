using Miraflow.Pipeline.Chunks;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Tests.Chunks;

[Trait("Category", "unit")]
public sealed class ChunkAssemblerTests : IDisposable
{
    private const int Width = 64;
    private const int Height = 32;

    private readonly InMemoryFrameStore _store = new(slotCount: 8, slotSize: 64 * 1024);
    private readonly MediaClock _clock = new(new FixedTime());
    private readonly Output _output = new();
    private readonly ChunkAssembler _assembler;

    public ChunkAssemblerTests() => _assembler = new ChunkAssembler(_clock, _store);

    public void Dispose()
    {
        _assembler.Dispose();
        _output.Dispose();
    }

    [Fact]
    public void Bitstream_parts_out_of_order_are_joined_in_part_order_with_the_last_part_0_at_the_end()
    {
        Encoded(frame: 7, part: 2, parts: 3, "CC");
        Encoded(frame: 7, part: 0, parts: 3, "DD");
        Assert.Empty(_output.Units);
        Encoded(frame: 7, part: 1, parts: 3, "BB", idr: true);

        EncodedFrame unit = Assert.Single(_output.Units);
        Assert.Equal("BBCCDD", Convert.ToHexString(unit.Data));
        Assert.True(unit.IsIdr);
        Assert.Equal(7UL, unit.FrameNumber);
        Assert.Equal(0, _store.HeldCount);
    }

    [Fact]
    public void Raw_parts_out_of_order_fill_their_rows()
    {
        RawPart(frame: 1, part: 0, parts: 2, firstRow: 16, rows: 16);
        RawPart(frame: 1, part: 1, parts: 2, firstRow: 0, rows: 16);

        VideoFrame picture = Assert.Single(_output.Pictures);
        Assert.Equal(PixelFormat.Nv12, picture.Format);
        for (int row = 0; row < Height; row++)
        {
            Assert.Equal((byte)row, picture.Y[(row * picture.LumaStride) + 5]);
        }

        Assert.Equal((byte)(200 + 15), picture.U[(15 * picture.ChromaStride) + 3]);
        Assert.Equal(1UL, picture.FrameNumber);
    }

    [Fact]
    public void A_frame_whose_last_part_never_came_is_dropped_when_the_next_frame_starts()
    {
        Encoded(frame: 1, part: 1, parts: 2, "AA");
        Encoded(frame: 2, part: 0, parts: 1, "BB");

        Assert.Equal([(1UL, FrameDropReason.Incomplete)], _output.Drops);
        Assert.Equal("BB", Convert.ToHexString(Assert.Single(_output.Units).Data));
        Assert.Equal(0, _store.HeldCount);
    }

    [Fact]
    public void Frame_dropped_abandons_the_frame_in_progress_and_is_reported()
    {
        Encoded(frame: 4, part: 1, parts: 2, "AA");

        _assembler.Process(ChunkType.FrameDropped, new ChunkId(4, 0), [], _output);
        Encoded(frame: 4, part: 0, parts: 2, "BB");

        Assert.Equal((4UL, FrameDropReason.KernelDropped), _output.Drops[0]);
        Assert.Empty(_output.Units); // part 0 alone starts a new, incomplete assembly
        _assembler.Process(ChunkType.FrameDropped, new ChunkId(9, 0), [], _output);
        Assert.Equal((9UL, FrameDropReason.KernelDropped), _output.Drops[^1]);
    }

    [Fact]
    public void A_reencode_replaces_a_part_not_yet_delivered_and_is_delivered_again_after()
    {
        Encoded(frame: 3, part: 1, parts: 2, "A1");
        Encoded(frame: 3, part: 1, parts: 2, "A2");
        Encoded(frame: 3, part: 0, parts: 2, "B1");
        Encoded(frame: 3, part: 0, parts: 1, "C1"); // quality refinement of the same image, one part

        Assert.Equal(["A2B1", "C1"], _output.Units.Select(u => Convert.ToHexString(u.Data)));
        Assert.Equal(1, _assembler.Statistics.ReplacedParts);
        Assert.Equal(1, _assembler.Statistics.Reencodes);
    }

    [Fact]
    public void A_reset_in_the_middle_of_a_frame_drops_it_and_frees_its_slots()
    {
        Encoded(frame: 5, part: 1, parts: 3, "AA");
        Encoded(frame: 5, part: 2, parts: 3, "BB");
        Assert.Equal(2, _store.HeldCount);

        _assembler.Reset(_output);
        Encoded(frame: 6, part: 0, parts: 1, "CC");

        Assert.Equal([(5UL, FrameDropReason.Reset)], _output.Drops);
        Assert.Equal("CC", Convert.ToHexString(Assert.Single(_output.Units).Data));
        Assert.Equal(0, _store.HeldCount);
    }

    [Fact]
    public void Stale_and_inconsistent_chunks_are_refused_with_a_reason()
    {
        Encoded(frame: 10, part: 0, parts: 1, "AA");
        Encoded(frame: 9, part: 0, parts: 1, "BB");                 // older than delivered
        Encoded(frame: 11, part: 5, parts: 2, "CC");                // part beyond the count
        _assembler.Process(ChunkType.EncodeComplete, new ChunkId(12, 0), new byte[10], _output); // no descriptor

        Assert.Single(_output.Units);
        Assert.Equal(3, _assembler.Statistics.InvalidChunks);
        Assert.Equal([11UL, 12UL], _output.Drops.Select(d => d.Frame));
        Assert.Contains("frame 12", _assembler.LastError, StringComparison.Ordinal);
        Assert.Equal(0, _store.HeldCount);
    }

    [Fact]
    public void Capture_time_comes_from_the_descriptor_on_the_session_clock()
    {
        Encoded(frame: 1, part: 0, parts: 1, "AA", captureTimestamp: FixedTime.Start + 1_000_000); // +1 ms at 1 GHz

        Assert.Equal(1_000, Assert.Single(_output.Units).CaptureTime.Microseconds);
    }

    private void Encoded(ulong frame, uint part, int parts, string hex, bool idr = false, long captureTimestamp = FixedTime.Start)
    {
        byte[] bytes = Convert.FromHexString(hex);
        Assert.True(_store.TryAcquire(out int slot));
        bytes.CopyTo(_store.GetWritable(slot));
        var descriptor = new ChunkDescriptor
        {
            Payload = ChunkPayload.Bitstream,
            Width = Width,
            Height = Height,
            PartCount = parts,
            IsIdr = idr,
            CaptureTimestamp = captureTimestamp,
            Slot = slot,
            Length = bytes.Length,
        };
        var data = new byte[ChunkDescriptor.Size];
        descriptor.Write(data);
        _assembler.Process(ChunkType.EncodeComplete, new ChunkId(frame, part), data, _output);
    }

    private void RawPart(ulong frame, uint part, int parts, int firstRow, int rows)
    {
        Assert.True(_store.TryAcquire(out int slot));
        Span<byte> bytes = _store.GetWritable(slot);
        const int stride = Width + 16;
        for (int row = 0; row < Height; row++)
        {
            bytes.Slice(row * stride, Width).Fill((byte)row);
        }

        for (int row = 0; row < Height / 2; row++)
        {
            bytes.Slice((stride * Height) + (row * stride), Width).Fill((byte)(200 + row));
        }

        var descriptor = new ChunkDescriptor
        {
            Payload = ChunkPayload.RawPicture,
            PixelFormat = PixelFormat.Nv12,
            Width = Width,
            Height = Height,
            LumaStride = stride,
            ChromaStride = stride,
            FirstRow = firstRow,
            RowCount = rows,
            PartCount = parts,
            CaptureTimestamp = FixedTime.Start,
            Slot = slot,
            Length = stride * Height * 3 / 2,
        };
        var data = new byte[ChunkDescriptor.Size];
        descriptor.Write(data);
        _assembler.Process(ChunkType.ColorConvertComplete, new ChunkId(frame, part), data, _output);
    }

    private sealed class Output : IAssembledFrameSink, IDisposable
    {
        public List<VideoFrame> Pictures { get; } = [];

        public List<EncodedFrame> Units { get; } = [];

        public List<(ulong Frame, FrameDropReason Reason)> Drops { get; } = [];

        public void OnPicture(VideoFrame picture) => Pictures.Add(picture);

        public void OnAccessUnit(EncodedFrame accessUnit) => Units.Add(accessUnit);

        public void OnDropped(ulong frameNumber, FrameDropReason reason) => Drops.Add((frameNumber, reason));

        public void Dispose()
        {
            Pictures.ForEach(p => p.Dispose());
            Units.ForEach(u => u.Dispose());
        }
    }

    private sealed class FixedTime : TimeProvider
    {
        public const long Start = 5_000_000_000;

        public override long TimestampFrequency => 1_000_000_000;

        public override long GetTimestamp() => Start;
    }
}
