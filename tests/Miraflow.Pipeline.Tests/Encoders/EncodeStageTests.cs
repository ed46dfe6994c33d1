using Miraflow.Pipeline.Chunks;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Encoders.OpenH264;
using Miraflow.Pipeline.Media;
using Miraflow.Rtsp.Parameters;
using static Miraflow.Pipeline.Tests.Ts.TsTestData;

namespace Miraflow.Pipeline.Tests.Encoders;

/// <summary>
/// The encoder's duties (issue 4 §5): colour-converted chunks assembled into pictures and encoded
/// by the real OpenH264; a dropped picture or a chunk reset makes the next picture an IDR.
/// </summary>
[Trait("Category", "integration")]
public sealed class EncodeStageTests : IDisposable
{
    private const int Width = 320;
    private const int Height = 180;

    private readonly InMemoryFrameStore _store = new(slotCount: 4, slotSize: Width * Height * 2);
    private readonly MediaClock _clock = new();
    private readonly TestPicture _picture = new(Width, Height);
    private readonly EncodeStage _stage = new(new OpenH264Encoder(new EncoderSettings
    {
        Width = Width,
        Height = Height,
        FrameRate = 30,
        TargetBitrate = 1_000_000,
        IdrInterval = Timeout.InfiniteTimeSpan,
    }));

    private readonly ChunkAssembler _assembler;
    private readonly Encoded _encoded;

    public EncodeStageTests()
    {
        _assembler = new ChunkAssembler(_clock, _store);
        _encoded = new Encoded(_stage);
    }

    public void Dispose()
    {
        _assembler.Dispose();
        _stage.Dispose();
        _picture.Dispose();
    }

    [Fact]
    public void A_dropped_picture_and_a_chunk_reset_each_make_the_next_picture_an_idr()
    {
        for (ulong frame = 1; frame <= 9; frame++)
        {
            if (frame == 4)
            {
                _assembler.Process(ChunkType.FrameDropped, new ChunkId(frame, 0), [], _encoded);
                continue;
            }

            if (frame == 7)
            {
                SendRawPicture(frame, lastPartToo: false); // half a picture, then the queue is reset
                _assembler.Reset(_encoded);
                continue;
            }

            SendRawPicture(frame, lastPartToo: true);
        }

        Assert.Equal([1UL, 2, 3, 5, 6, 8, 9], _encoded.Units.Select(u => u.Frame));
        Assert.Equal([1UL, 5, 8], _encoded.Units.Where(u => u.IsIdr).Select(u => u.Frame));
        Assert.Equal(2, _stage.PicturesLost);
        Assert.Equal(0, _store.HeldCount);
    }

    [Fact]
    public void Gpu_encoded_units_pass_through_and_wait_for_an_idr_after_a_loss()
    {
        byte[] idr = Concat(Sps, Pps, IdrSlice(400));
        byte[] p = Concat(Aud, NonIdrSlice(100));
        SendBitstream(1, idr);
        SendBitstream(2, p);
        _assembler.Process(ChunkType.FrameDropped, new ChunkId(3, 0), [], _encoded);
        SendBitstream(4, p);
        SendBitstream(5, Concat(Aud, IdrSlice(400)));

        Assert.Equal([1UL, 2, 5], _encoded.Units.Select(u => u.Frame));
        Assert.Equal(Hex(Concat(Aud, Sps, Pps, IdrSlice(400))), Hex(_encoded.Units[^1].Bytes));
    }

    private void SendRawPicture(ulong frame, bool lastPartToo)
    {
        Assert.True(_store.TryAcquire(out int slot));
        using VideoFrame nv12 = VideoFrame.Create(Width, Height, PixelFormat.Nv12);
        _picture.Draw(nv12, (int)frame);
        nv12.Data.CopyTo(_store.GetWritable(slot));

        // Two parts: the top half (part 1), then the bottom half (part 0, the last).
        Part(frame, 1, slot, firstRow: 0);
        if (lastPartToo)
        {
            Part(frame, 0, slot, firstRow: Height / 2);
        }
    }

    private void Part(ulong frame, uint part, int slot, int firstRow)
    {
        var descriptor = new ChunkDescriptor
        {
            Payload = ChunkPayload.RawPicture,
            PixelFormat = PixelFormat.Nv12,
            Width = Width,
            Height = Height,
            LumaStride = Width,
            ChromaStride = Width,
            FirstRow = firstRow,
            RowCount = Height / 2,
            PartCount = 2,
            CaptureTimestamp = _clock.TimeProvider.GetTimestamp(),
            Slot = slot,
            Length = Width * Height * 3 / 2,
        };
        var data = new byte[ChunkDescriptor.Size];
        descriptor.Write(data);
        _assembler.Process(ChunkType.ColorConvertComplete, new ChunkId(frame, part), data, _encoded);
    }

    private void SendBitstream(ulong frame, byte[] bytes)
    {
        Assert.True(_store.TryAcquire(out int slot));
        bytes.CopyTo(_store.GetWritable(slot));
        var descriptor = new ChunkDescriptor
        {
            Payload = ChunkPayload.Bitstream,
            Width = Width,
            Height = Height,
            PartCount = 1,
            CaptureTimestamp = _clock.TimeProvider.GetTimestamp(),
            Slot = slot,
            Length = bytes.Length,
        };
        var data = new byte[ChunkDescriptor.Size];
        descriptor.Write(data);
        _assembler.Process(ChunkType.EncodeComplete, new ChunkId(frame, 0), data, _encoded);
    }

    /// <summary>Wires the assembler's output to the encode stage, as the pipeline does, and keeps what comes out.</summary>
    private sealed class Encoded(EncodeStage stage) : IAssembledFrameSink
    {
        public List<(ulong Frame, bool IsIdr, byte[] Bytes)> Units { get; } = [];

        public void OnPicture(VideoFrame picture)
        {
            using (picture)
            {
                Keep(stage.Process(picture));
            }
        }

        public void OnAccessUnit(EncodedFrame accessUnit) => Keep(stage.Process(accessUnit));

        public void OnDropped(ulong frameNumber, FrameDropReason reason) => stage.OnPictureLost();

        private void Keep(EncodedFrame? unit)
        {
            if (unit is not null)
            {
                using (unit)
                {
                    Units.Add((unit.FrameNumber, unit.IsIdr, unit.Data.ToArray()));
                }
            }
        }
    }
}
