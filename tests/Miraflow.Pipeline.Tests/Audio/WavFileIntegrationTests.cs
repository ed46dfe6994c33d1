using System.Buffers.Binary;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Tests.TestSupport;

namespace Miraflow.Pipeline.Tests.Audio;

[Trait("Category", "integration")]
public sealed class WavFileIntegrationTests
{
    [Fact]
    public async Task A_wav_written_by_ffmpeg_reads_back_with_every_sample()
    {
        using var directory = new TempDirectory("wav-ffmpeg");
        string path = directory.File("out.wav");
        // ffmpeg writes fmt, a LIST/INFO chunk (its version), then data.
        ExternalTool.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "1", "-ac", "2", path);

        await using var source = new WavFileSource(new MediaClock(new ManualTimeProvider()), path, pacing: FramePacing.Unpaced);

        Assert.Equal((48_000L, 2), (source.FileSampleFrames, source.FileChannels));
        Assert.Equal(new AudioSourceInfo(48_000, 2, 480), source.Info);
        int frames = 0;
        double worst = 0;
        while (await source.ReadFrameAsync(CancellationToken.None) is { } frame)
        {
            using (frame)
            {
                Assert.Equal(MediaTime.FromMicroseconds(frames * 10_000L), frame.CaptureTime);
                for (int i = 0; i < frame.SampleFrames; i++)
                {
                    short left = BinaryPrimitives.ReadInt16LittleEndian(frame.Data[(i * 4)..]);
                    short right = BinaryPrimitives.ReadInt16LittleEndian(frame.Data[((i * 4) + 2)..]);
                    Assert.Equal(left, right); // -ac 2 copies the mono sine

                    // lavfi's sine peaks at 2896 (about −21 dBFS) and starts at phase 0.
                    long index = (frames * 480L) + i;
                    worst = Math.Max(worst, Math.Abs(left - (2896 * Math.Sin(2 * Math.PI * 440 * index / 48_000))));
                }
            }

            frames++;
        }

        Assert.Equal(100, frames); // 48 000 sample frames, exactly 100 frames of 480
        Assert.True(worst < 16, $"The samples are not lavfi's 440 Hz sine (worst error {worst}).");
    }
}
