using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Media;
using Miraflow.Rtsp.Parameters;
using static Miraflow.Pipeline.Tests.Ts.TsTestData;

namespace Miraflow.Pipeline.Tests.Encoders;

/// <summary><see cref="EncodeStage.ReplaceEncoder"/>: the mid-session format change's switch.</summary>
[Trait("Category", "unit")]
public sealed class EncodeStageReplaceTests
{
    [Fact]
    public void A_replacement_takes_over_at_the_first_picture_of_its_size_and_the_old_encoder_is_disposed()
    {
        var old = new SizedEncoder(1280, 720);
        var next = new SizedEncoder(640, 480);
        using var stage = new EncodeStage(old);
        Encode(stage, 1280, 720, 1);
        stage.ReplaceEncoder(next);

        // Pictures of the old size still queued finish on the old encoder.
        Encode(stage, 1280, 720, 2);
        Assert.Equal([1UL, 2], old.Encoded);
        Assert.False(old.Disposed);

        // The first picture of the new size switches: the old encoder is disposed.
        Encode(stage, 640, 480, 3);
        Assert.Equal([3UL], next.Encoded);
        Assert.True(old.Disposed);

        stage.SetBitrate(1_000_000);
        Assert.Equal(1_000_000, next.Bitrate);
    }

    [Fact]
    public void A_pending_replacement_is_disposed_when_superseded_or_with_the_stage()
    {
        var first = new SizedEncoder(640, 480);
        var second = new SizedEncoder(800, 600);
        var current = new SizedEncoder(1280, 720);
        var stage = new EncodeStage(current);
        stage.ReplaceEncoder(first);
        stage.ReplaceEncoder(second);
        Assert.True(first.Disposed);
        stage.Dispose();
        Assert.True(second.Disposed);
        Assert.True(current.Disposed);
    }

    private static void Encode(EncodeStage stage, int width, int height, ulong number)
    {
        using VideoFrame picture = VideoFrame.Create(width, height, PixelFormat.I420);
        picture.FrameNumber = number;
        using EncodedFrame? unit = stage.Process(picture);
        Assert.NotNull(unit);
    }

    private sealed class SizedEncoder(int width, int height) : IVideoEncoder
    {
        public List<ulong> Encoded { get; } = [];

        public bool Disposed { get; private set; }

        public int Bitrate { get; private set; }

        public EncoderSettings Settings { get; } = new() { Width = width, Height = height, FrameRate = 30, TargetBitrate = 2_000_000, Level = H264Levels.Level31 };

        public EncodedFrame? Encode(VideoFrame picture)
        {
            Assert.Equal((width, height), (picture.Width, picture.Height));
            Encoded.Add(picture.FrameNumber);
            EncodedFrame unit = EncodedFrame.Create(Concat(Aud, NonIdrSlice(100)));
            unit.FrameNumber = picture.FrameNumber;
            return unit;
        }

        public void RequestIdr()
        {
        }

        public void SetBitrate(int targetBitrate, int maxBitrate = 0) => Bitrate = targetBitrate;

        public void SetFrameRate(double frameRate)
        {
        }

        public void Dispose() => Disposed = true;
    }
}
