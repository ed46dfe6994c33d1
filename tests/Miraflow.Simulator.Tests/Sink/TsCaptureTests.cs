using Miraflow.Simulator.Sink;

namespace Miraflow.Simulator.Tests.Sink;

/// <summary>The sink's capture, in memory and written to a file as it arrives.</summary>
[Trait("Category", "unit")]
public sealed class TsCaptureTests : IDisposable
{
    private const int Datagram = 7 * 188;
    private readonly string _directory = Directory.CreateTempSubdirectory("miraflow-capture-").FullName;

    [Fact]
    public void A_file_capture_holds_the_same_bytes_as_one_in_memory()
    {
        string path = Path.Combine(_directory, "capture.ts");
        using var memory = new TsCapture(long.MaxValue - 1);
        using var file = new TsCapture(long.MaxValue, path);
        var random = new Random(7);
        for (int i = 0; i < 1000; i++) // 1.3 MB: more than one in-memory segment and the file's buffer
        {
            byte[] payload = new byte[Datagram * (1 + (i % 2))];
            random.NextBytes(payload);
            memory.Append(payload);
            file.Append(payload);
        }

        Assert.Equal(memory.Length, file.Length);
        Assert.Equal(memory.ToArray(), file.ToArray()); // read back before the end, the buffer flushed
        file.Seal();
        Assert.Equal(memory.ToArray(), File.ReadAllBytes(path));
        Assert.False(file.Truncated);
        Assert.Null(file.WriteError);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Past_the_limit_nothing_more_is_kept_and_the_capture_says_so(bool toFile)
    {
        string path = Path.Combine(_directory, "limited.ts");
        using var capture = new TsCapture(2 * Datagram + 100, toFile ? path : null);
        capture.Append(new byte[Datagram]);
        capture.Append(new byte[Datagram]);
        Assert.False(capture.Truncated);

        capture.Append(new byte[Datagram]); // would pass the limit: not kept
        capture.Append(new byte[94]); // would fit, but the capture must not skip what came before
        capture.Seal();

        Assert.True(capture.Truncated);
        Assert.Equal(2 * Datagram, capture.Length);
        Assert.Equal(2 * Datagram, capture.ToArray().Length);
        if (toFile)
        {
            Assert.Equal(2 * Datagram, new FileInfo(path).Length);
        }
    }

    [Fact]
    public void Sealing_ends_the_file_there_and_later_payloads_are_not_a_truncation()
    {
        string path = Path.Combine(_directory, "sealed.ts");
        using var capture = new TsCapture(long.MaxValue, path);
        capture.Append(new byte[Datagram]);
        capture.Seal();
        capture.Append(new byte[Datagram]);

        Assert.False(capture.Truncated);
        Assert.Equal(Datagram, capture.Length);
        using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None); // closed by Seal
        Assert.Equal(Datagram, exclusive.Length);
    }

    [Fact]
    public void A_full_disk_keeps_what_was_written_says_why_and_throws_nothing()
    {
        // Linux's /dev/full fails every write with ENOSPC.
        using var capture = new TsCapture(long.MaxValue, "/dev/full");
        for (int i = 0; i < 1000; i++) // past the file's 1 MiB buffer: the failing write comes during an append
        {
            capture.Append(new byte[Datagram]);
        }

        capture.Seal();

        Assert.True(capture.Truncated);
        Assert.NotNull(capture.WriteError);
        Assert.Contains("space", capture.WriteError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_file_that_cannot_be_created_is_an_error_at_once()
    {
        Assert.ThrowsAny<IOException>(() => new TsCapture(long.MaxValue, Path.Combine(_directory, "no-such-directory", "capture.ts")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
