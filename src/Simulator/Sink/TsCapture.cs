namespace Miraflow.Simulator.Sink;

/// <summary>
/// The TS bytes a sink kept, in arrival order, up to a limit: in memory, in 1 MiB segments so a
/// long capture never copies what it already holds, or straight into a file (a long run stays
/// flat in memory). Beyond the limit it keeps nothing more (whole payloads only: a payload that
/// does not fit is dropped, so the capture ends on a packet boundary). Not thread-safe.
/// </summary>
internal sealed class TsCapture : IDisposable
{
    private const int SegmentSize = 1024 * 1024;
    private readonly long _maxBytes;
    private readonly List<byte[]> _segments = [];
    private readonly string? _path;
    private FileStream? _file;
    private int _lastUsed;
    private bool _sealed;

    /// <summary>A capture of at most <paramref name="maxBytes"/>, in memory, or written to <paramref name="path"/> (created or replaced) when given.</summary>
    /// <exception cref="IOException">The file cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be created.</exception>
    public TsCapture(long maxBytes, string? path = null)
    {
        _maxBytes = maxBytes;
        _path = path;
        if (path is not null)
        {
            _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, SegmentSize);
        }
    }

    public long Length { get; private set; }

    /// <summary>True once a payload was not kept: past the limit, after <see cref="Seal"/>, or when writing the file failed.</summary>
    public bool Truncated { get; private set; }

    /// <summary>Why writing the file failed (the capture keeps nothing after that), or null.</summary>
    public string? WriteError { get; private set; }

    /// <summary>The file the capture is written to, or null when it is kept in memory.</summary>
    public string? FilePath => _path;

    public void Append(ReadOnlySpan<byte> payload)
    {
        if (payload.IsEmpty)
        {
            return;
        }

        if (_sealed || Truncated || Length + payload.Length > _maxBytes)
        {
            Truncated |= !_sealed;
            return;
        }

        if (_file is not null)
        {
            try
            {
                _file.Write(payload);
                Length += payload.Length;
            }
            catch (IOException ex)
            {
                // A full disk: what was written stays, nothing more is kept, and the error is said.
                WriteError = ex.Message;
                Truncated = true;
            }

            return;
        }

        while (!payload.IsEmpty)
        {
            if (_segments.Count == 0 || _lastUsed == SegmentSize)
            {
                _segments.Add(new byte[SegmentSize]);
                _lastUsed = 0;
            }

            int n = Math.Min(payload.Length, SegmentSize - _lastUsed);
            payload[..n].CopyTo(_segments[^1].AsSpan(_lastUsed));
            _lastUsed += n;
            Length += n;
            payload = payload[n..];
        }
    }

    /// <summary>
    /// Ends the capture here: later payloads are not kept (and do not count as truncation), and a
    /// file capture is flushed and closed, so the file holds exactly <see cref="Length"/> bytes.
    /// </summary>
    public void Seal()
    {
        _sealed = true;
        CloseFile();
    }

    /// <summary>The bytes kept; a file capture is read back (flushed first).</summary>
    /// <exception cref="InvalidOperationException">The capture is larger than one array can hold.</exception>
    public byte[] ToArray()
    {
        if (Length > Array.MaxLength)
        {
            throw new InvalidOperationException($"The capture holds {Length} bytes, more than one array can; read {_path} instead.");
        }

        var all = new byte[Length];
        if (_path is not null)
        {
            _file?.Flush();
            using var read = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            read.ReadExactly(all);
            return all;
        }

        int offset = 0;
        for (int i = 0; i < _segments.Count; i++)
        {
            int used = i == _segments.Count - 1 ? _lastUsed : SegmentSize;
            _segments[i].AsSpan(0, used).CopyTo(all.AsSpan(offset));
            offset += used;
        }

        return all;
    }

    public void Dispose() => CloseFile();

    private void CloseFile()
    {
        FileStream? file = _file;
        _file = null;
        if (file is null)
        {
            return;
        }

        try
        {
            file.Dispose(); // flushes
        }
        catch (IOException ex)
        {
            WriteError ??= ex.Message;
            Truncated = true;
        }
    }
}
