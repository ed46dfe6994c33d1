using System.Buffers.Binary;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Ts;
using static Miraflow.Pipeline.Tests.Ts.TsTestData;

namespace Miraflow.Pipeline.Tests.Audio;

[Trait("Category", "unit")]
public sealed class AudioMuxTests
{
    [Theory]
    [InlineData(48_000, 0x11)]
    [InlineData(44_100, 0x09)] // 441 sample frames: still 6 LPCM audio frames (⌈441 / 80⌉)
    public async Task Tone_frames_mux_to_lpcm_pes_carrying_the_tones_samples_big_endian(int sampleRate, byte format)
    {
        await using var source = new ToneAudioSource(new MediaClock(new ManualTimeProvider()), sampleRate, pacing: FramePacing.Unpaced);
        var muxer = new TsMuxer(new TsMuxerOptions { PresentationDelay = TimeSpan.Zero, Audio = new TsAudio(TsAudioCodec.Lpcm, sampleRate, 2) });
        int samplesPerFrame = sampleRate / 100;

        for (int k = 0; k < 4; k++)
        {
            using AudioFrame frame = (await source.ReadFrameAsync(CancellationToken.None))!;
            byte[] pes = Payload(Packets(sink => muxer.WriteAudio(ref sink, frame.Data, frame.CaptureTime, frame.CaptureTime)), TsPid.Audio);

            Assert.Equal("000001BD", Hex(pes.AsSpan(0, 4)));
            int body = 9 + pes[8];
            Assert.Equal(k * 900L, Pts(pes)); // 10 ms steps on the 90 kHz clock
            Assert.Equal("A00600" + format.ToString("X2", System.Globalization.CultureInfo.InvariantCulture), Hex(pes.AsSpan(body, 4)));
            ReadOnlySpan<byte> samples = pes.AsSpan(body + 4);
            Assert.Equal(samplesPerFrame * 4, samples.Length);
            for (int i = 0; i < samplesPerFrame; i++)
            {
                long index = ((long)k * samplesPerFrame) + i;
                Assert.Equal(source.Sample(index, 0), BinaryPrimitives.ReadInt16BigEndian(samples[(i * 4)..]));
                Assert.Equal(source.Sample(index, 1), BinaryPrimitives.ReadInt16BigEndian(samples[((i * 4) + 2)..]));
            }
        }
    }

    private static long Pts(byte[] pes) =>
        ((long)((pes[9] >> 1) & 0x07) << 30) | ((long)pes[10] << 22) | ((long)(pes[11] >> 1) << 15) | ((long)pes[12] << 7) | ((long)pes[13] >> 1);
}
