using System.Buffers.Binary;
using Miraflow.Pipeline.Audio;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Pipeline.Tests.TestSupport;
using static Miraflow.Pipeline.Tests.Audio.WavWriter;

namespace Miraflow.Pipeline.Tests.Audio;

[Trait("Category", "unit")]
public sealed class WavFileSourceTests : IDisposable
{
    private readonly TempDirectory _directory = new("wav");
    private int _files;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Stereo_pcm_is_read_in_10_ms_frames_and_the_short_last_frame_is_padded_with_silence()
    {
        short[] samples = Ramp(2 * 1000);
        await using WavFileSource source = Open(Pcm(48_000, 2, samples));

        Assert.Equal(new AudioSourceInfo(48_000, 2, 480), source.Info);
        Assert.Equal((2, 1000L), (source.FileChannels, source.FileSampleFrames));
        List<short> read = await ReadAll(source, expectedFrames: 3);
        Assert.Equal(samples, read.Take(2000));
        Assert.All(read.Skip(2000), s => Assert.Equal(0, s)); // 440 sample frames of silence
        Assert.Equal(3 * 480 * 2, read.Count);
        Assert.Null(await source.ReadFrameAsync(CancellationToken.None));
        Assert.Null(await source.ReadFrameAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Extensible_pcm_at_44_1_kHz_is_read_in_441_sample_frames()
    {
        short[] samples = Ramp(2 * 882);
        await using WavFileSource source = Open(Riff([FmtExtensible(44_100, 2), Data(samples)]));

        Assert.Equal(new AudioSourceInfo(44_100, 2, 441), source.Info);
        List<short> read = await ReadAll(source, expectedFrames: 2);
        Assert.Equal(samples, read);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Mono_is_duplicated_to_both_channels(bool extensible)
    {
        short[] samples = Ramp(960);
        await using WavFileSource source = Open(Riff([extensible ? FmtExtensible(48_000, 1) : Fmt(48_000, 1), Data(samples)]));

        Assert.Equal(2, source.Info.Channels);
        Assert.Equal(1, source.FileChannels);
        List<short> read = await ReadAll(source, expectedFrames: 2);
        Assert.Equal(samples.SelectMany(s => new[] { s, s }), read);
    }

    [Fact]
    public async Task Unknown_and_odd_sized_chunks_are_skipped_with_their_pad_byte()
    {
        short[] samples = Ramp(2 * 480);
        byte[] file = Riff([List(), Fmt(48_000, 2), new Chunk("junk", [1, 2, 3]), new Chunk("fact", [0, 0, 0, 0]), Data(samples), List()]);
        Assert.Equal(17, List().Body.Length); // odd: a pad byte follows

        await using WavFileSource source = Open(file);

        Assert.Equal(samples, await ReadAll(source, expectedFrames: 1));
    }

    [Fact]
    public async Task A_missing_pad_byte_after_the_last_chunk_is_tolerated()
    {
        short[] samples = Ramp(2 * 480);
        byte[] file = Riff([Fmt(48_000, 2), Data(samples), List() with { Pad = false }]);

        await using WavFileSource source = Open(file);

        Assert.Equal(samples, await ReadAll(source, expectedFrames: 1));
    }

    [Fact]
    public async Task Looping_continues_from_the_first_sample_without_a_gap()
    {
        short[] samples = Ramp(2 * 1000);
        await using WavFileSource source = Open(Pcm(48_000, 2, samples), loop: true);

        for (int k = 0; k < 25; k++)
        {
            using AudioFrame frame = (await source.ReadFrameAsync(CancellationToken.None))!;
            Assert.Equal((ulong)k, frame.FrameNumber);
            Assert.Equal(new MediaTime(k * 270_000L), frame.CaptureTime);
            for (int i = 0; i < 480 * 2; i++)
            {
                long sample = (k * 480 * 2) + i;
                Assert.Equal(samples[sample % samples.Length], BinaryPrimitives.ReadInt16LittleEndian(frame.Data[(i * 2)..]));
            }
        }

        Assert.Equal(11, source.Loops); // 25 × 480 = 12 000 sample frames: 12 whole passes, restarted 11 times so far
    }

    [Fact]
    public async Task Real_time_reads_wait_for_the_frames_end_and_the_end_of_file_does_not_wait()
    {
        var time = new ManualTimeProvider();
        var clock = new MediaClock(time);
        await using WavFileSource source = Open(Pcm(48_000, 2, Ramp(2 * 480)), clock: clock, pacing: FramePacing.RealTime);

        Task<AudioFrame?> read = source.ReadFrameAsync(CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromTicks(99_999));
        Assert.False(read.IsCompleted);
        time.Advance(TimeSpan.FromTicks(1));
        (await read.WaitAsync(TimeSpan.FromSeconds(10)))!.Dispose();

        Assert.Null(ToneAudioSourceTests.Completed(source.ReadFrameAsync(CancellationToken.None)));
    }

    public static TheoryData<string, byte[], WavError> MalformedFiles()
    {
        short[] stereo = Ramp(8);
        byte[] good = Pcm(48_000, 2, stereo);
        byte[] riffTooBig = [.. good];
        BinaryPrimitives.WriteUInt32LittleEndian(riffTooBig.AsSpan(4), (uint)good.Length);
        byte[] riffTiny = [.. good];
        BinaryPrimitives.WriteUInt32LittleEndian(riffTiny.AsSpan(4), 2);
        byte[] trailingBytes = Riff([Fmt(48_000, 2), Data(stereo), new Chunk("xx", [])]); // a 6-byte "chunk header"
        byte[] shortFormatBody = [.. Fmt(48_000, 2).Body.AsSpan(0, 14)];
        byte[] extensibleTooShort = [.. FmtExtensible(48_000, 2).Body.AsSpan(0, 18)];

        return new TheoryData<string, byte[], WavError>
        {
            { "empty file", [], WavError.NotRiffWave },
            { "RIFF alone", "RIFF"u8.ToArray(), WavError.NotRiffWave },
            { "big-endian RIFX", [.. "RIFX"u8, .. good.AsSpan(4)], WavError.NotRiffWave },
            { "AVI form", Riff([Fmt(48_000, 2), Data(stereo)], form: "AVI "), WavError.NotRiffWave },
            { "RIFF size beyond the file", riffTooBig, WavError.RiffSizeBeyondFile },
            { "RIFF size without the form type", riffTiny, WavError.RiffSizeBeyondFile },
            { "data size beyond the file", Riff([Fmt(48_000, 2), Data(stereo) with { ClaimedSize = 1000 }]), WavError.ChunkBeyondFile },
            { "fmt size 0xFFFFFFFF", Riff([Fmt(48_000, 2) with { ClaimedSize = uint.MaxValue }, Data(stereo)]), WavError.ChunkBeyondFile },
            { "chunk header cut off", trailingBytes, WavError.TruncatedChunkHeader },
            { "no fmt", Riff([List(), Data(stereo)]), WavError.MissingFormat },
            { "no data", Riff([Fmt(48_000, 2), List()]), WavError.MissingData },
            { "two fmt", Riff([Fmt(48_000, 2), Fmt(48_000, 2), Data(stereo)]), WavError.DuplicateChunk },
            { "two data", Riff([Fmt(48_000, 2), Data(stereo), Data(stereo)]), WavError.DuplicateChunk },
            { "fmt of 14 bytes", Riff([new Chunk("fmt ", shortFormatBody), Data(stereo)]), WavError.FormatTooShort },
            { "extensible fmt of 18 bytes", Riff([new Chunk("fmt ", extensibleTooShort), Data(stereo)]), WavError.FormatTooShort },
            { "extensible cbSize 0", Riff([FmtExtensible(48_000, 2, cbSize: 0), Data(stereo)]), WavError.FormatTooShort },
            { "IEEE float tag", Riff([Fmt(48_000, 2, bits: 32, tag: 3), Data(stereo)]), WavError.UnsupportedEncoding },
            { "MP3 tag", Riff([Fmt(48_000, 2, tag: 0x55), Data(stereo)]), WavError.UnsupportedEncoding },
            { "extensible float subformat", Riff([FmtExtensible(48_000, 2, subFormat: FloatSubFormat), Data(stereo)]), WavError.UnsupportedEncoding },
            { "8-bit", Riff([Fmt(48_000, 2, bits: 8), Data(stereo)]), WavError.UnsupportedBitsPerSample },
            { "24-bit", Riff([Fmt(48_000, 2, bits: 24), Data(Ramp(6))]), WavError.UnsupportedBitsPerSample },
            { "extensible 12 valid bits", Riff([FmtExtensible(48_000, 2, validBits: 12), Data(stereo)]), WavError.UnsupportedBitsPerSample },
            { "no channels", Riff([Fmt(48_000, 0, blockAlign: 2), Data(stereo)]), WavError.UnsupportedChannels },
            { "5.1", Riff([Fmt(48_000, 6), Data(Ramp(12))]), WavError.UnsupportedChannels },
            { "32 kHz", Riff([Fmt(32_000, 2), Data(stereo)]), WavError.UnsupportedSampleRate },
            { "0 Hz", Riff([Fmt(0, 2), Data(stereo)]), WavError.UnsupportedSampleRate },
            { "block align 2 for stereo", Riff([Fmt(48_000, 2, blockAlign: 2), Data(stereo)]), WavError.InconsistentFormat },
            { "wrong byte rate", Riff([Fmt(48_000, 2, byteRate: 96_000), Data(stereo)]), WavError.InconsistentFormat },
            { "half a stereo sample frame", Riff([Fmt(48_000, 2), Data(Ramp(7))]), WavError.PartialSampleFrame },
            { "odd-sized mono data", Riff([Fmt(48_000, 1), new Chunk("data", [1, 2, 3])]), WavError.PartialSampleFrame },
            { "empty data", Riff([Fmt(48_000, 2), Data([])]), WavError.NoSamples },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Malformed_or_unsupported_files_give_the_typed_error(string why, byte[] file, WavError expected)
    {
        string path = Write(file);

        WavFormatException error = Assert.Throws<WavFormatException>(() => new WavFileSource(new MediaClock(new ManualTimeProvider()), path));

        Assert.True(expected == error.Reason, $"{why}: {error.Reason}, {error.Message}");
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Randomly_damaged_files_either_play_or_give_the_typed_error()
    {
        byte[] good = Riff([List(), Fmt(48_000, 1), Data(Ramp(700)), new Chunk("junk", [9])]);
        var random = new Random(20250105);
        var reasons = new HashSet<WavError>();
        for (int round = 0; round < 400; round++)
        {
            byte[] file = [.. good];
            for (int n = random.Next(1, 4); n > 0; n--)
            {
                file[random.Next(Math.Min(file.Length, 90))] = (byte)random.Next(256);
            }

            if (random.Next(4) == 0)
            {
                file = file[..random.Next(file.Length)];
            }

            string path = Write(file);
            try
            {
                await using var source = new WavFileSource(new MediaClock(new ManualTimeProvider()), path, pacing: FramePacing.Unpaced);
                while (await source.ReadFrameAsync(CancellationToken.None) is { } frame)
                {
                    frame.Dispose();
                }
            }
            catch (WavFormatException e)
            {
                reasons.Add(e.Reason);
            }
        }

        Assert.True(reasons.Count >= 5, string.Join(", ", reasons));
    }

    [Fact]
    public void Missing_file_is_file_not_found() =>
        Assert.Throws<FileNotFoundException>(() => new WavFileSource(new MediaClock(), _directory.File("none.wav")));

    [Fact]
    public async Task Unpaced_looping_mono_reads_allocate_nothing_in_steady_state()
    {
        var pool = new AudioFramePool(48_000, 2, 480);
        await using WavFileSource source = Open(Riff([Fmt(48_000, 1), Data(Ramp(1234))]), loop: true, pool: pool);
        for (int i = 0; i < 10; i++)
        {
            ToneAudioSourceTests.ReadAndDispose(source);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 600; i++)
        {
            ToneAudioSourceTests.ReadAndDispose(source);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1, pool.Created);
        Assert.Equal(610 * 480 / 1234, source.Loops);
    }

    /// <summary>Reads a finite source to its end; returns the samples, checking frame numbers and times.</summary>
    internal static async Task<List<short>> ReadAll(IAudioSource source, int expectedFrames)
    {
        var samples = new List<short>();
        int k = 0;
        while (await source.ReadFrameAsync(CancellationToken.None) is { } frame)
        {
            using (frame)
            {
                Assert.Equal((ulong)k, frame.FrameNumber);
                Assert.Equal(MediaTime.FromSampleIndex((long)k * source.Info.SamplesPerFrame, source.Info.SampleRate), frame.CaptureTime);
                Assert.Equal(source.Info.SamplesPerFrame, frame.SampleFrames);
                for (int i = 0; i < frame.Length; i += 2)
                {
                    samples.Add(BinaryPrimitives.ReadInt16LittleEndian(frame.Data[i..]));
                }
            }

            k++;
        }

        Assert.Equal(expectedFrames, k);
        return samples;
    }

    private WavFileSource Open(byte[] file, bool loop = false, MediaClock? clock = null, FramePacing pacing = FramePacing.Unpaced, AudioFramePool? pool = null) =>
        new(clock ?? new MediaClock(new ManualTimeProvider()), Write(file), loop, pacing: pacing, pool: pool);

    private string Write(byte[] file)
    {
        string path = _directory.File($"test{_files++}.wav");
        File.WriteAllBytes(path, file);
        return path;
    }
}
