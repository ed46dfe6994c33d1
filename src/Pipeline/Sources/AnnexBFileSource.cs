using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Sources;

/// <summary>
/// Plays an H.264 Annex-B file (already encoded video, for the pass-through path) one access
/// unit per frame, from the start again at the end or once.
/// </summary>
/// <remarks>
/// The whole file is read into memory when the source is created (at most
/// <see cref="MaxFileBytes"/>) and split into access units there (H.264 §7.4.1.2.3: an access
/// unit delimiter, SPS, PPS or SEI after a picture, or a slice with <c>first_mb_in_slice</c> = 0,
/// starts the next one), so reads do no I/O. The picture size comes from the first SPS. Each
/// frame is a copy of one access unit in a pooled <see cref="EncodedFrame"/> with
/// <see cref="EncodedFrame.IsIdr"/> set; the access units put back together are the file. Capture
/// times follow decode order (<see cref="EncodedFrame.DecodeTime"/> is left null), which is the
/// presentation order of streams without B-frames (WFD's CBP and CHP). Looping starts again at
/// the first access unit, normally an IDR. Once the pool is warm a read allocates nothing but,
/// when it waits, the <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>.
/// One reader at a time; dispose the source after the last read has completed.
/// </remarks>
public sealed class AnnexBFileSource : IFrameSource, IPacedSource
{
    /// <summary>The largest file accepted (512 MiB).</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;

    private readonly byte[] _stream;
    private readonly AccessUnitRange[] _units;
    private readonly FramePacer _pacer;
    private readonly EncodedFramePool _pool;
    private readonly bool _loop;
    private int _next;
    private bool _disposed;

    /// <summary>Reads and splits an Annex-B file.</summary>
    /// <param name="clock">The session's clock: capture times and pacing.</param>
    /// <param name="path">The file.</param>
    /// <param name="frameRate">Access units (pictures) per second.</param>
    /// <param name="loop">Start again after the last access unit (true), or end there (false).</param>
    /// <param name="pacing">Real time, or as fast as read.</param>
    /// <param name="pool">Where frames come from; a new pool when null.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is larger than <see cref="MaxFileBytes"/>, is not an Annex-B stream, holds no
    /// slice or no readable SPS, or has an access unit larger than <see cref="EncodedFrame.MaxSize"/>.
    /// </exception>
    public AnnexBFileSource(
        MediaClock clock,
        string path,
        double frameRate,
        bool loop = true,
        FramePacing pacing = FramePacing.RealTime,
        EncodedFramePool? pool = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _pacer = new FramePacer(clock, frameRate, pacing);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"The H.264 file '{path}' does not exist.", path);
        }

        if (file.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"'{path}' is {file.Length} bytes; an Annex-B file source reads at most {MaxFileBytes} bytes into memory.");
        }

        _stream = File.ReadAllBytes(path);
        try
        {
            _units = [.. AccessUnitSplitter.Split(_stream)];
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }

        int idrCount = 0;
        foreach (AccessUnitRange unit in _units)
        {
            if (unit.Length > EncodedFrame.MaxSize)
            {
                throw new InvalidDataException($"'{path}' has an access unit of {unit.Length} bytes at offset {unit.Start}; the limit is {EncodedFrame.MaxSize}.");
            }

            idrCount += unit.IsIdr ? 1 : 0;
        }

        (int width, int height) = ReadPictureSize(_stream, path);
        _pool = pool ?? new EncodedFramePool();
        _loop = loop;
        IdrCount = idrCount;
        Path = path;
        Info = new FrameSourceInfo(width, height, frameRate, Encoded: true);
    }

    /// <inheritdoc/>
    public FrameSourceInfo Info { get; }

    /// <summary>The file played.</summary>
    public string Path { get; }

    /// <summary>Access units in the file.</summary>
    public int AccessUnitCount => _units.Length;

    /// <summary>IDR access units in the file.</summary>
    public int IdrCount { get; }

    /// <summary>Frames delivered so far (counting every loop).</summary>
    public long FramesRead => _pacer.NextIndex;

    /// <summary>Times the reader fell more than a frame period behind (see <see cref="FramePacing.RealTime"/>).</summary>
    public long LateFrames => _pacer.LateFrames;

    /// <inheritdoc/>
    /// <remarks>Null after the last access unit when the source does not loop. A read that needs no wait completes synchronously, without an async state machine.</remarks>
    public ValueTask<MediaFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_next == _units.Length)
        {
            if (!_loop)
            {
                return new ValueTask<MediaFrame?>((MediaFrame?)null);
            }

            _next = 0;
        }

        return _pacer.ReadAsync(this, cancellationToken);
    }

    /// <inheritdoc/>
    void IPacedSource.ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <inheritdoc/>
    MediaFrame IPacedSource.NextFrame()
    {
        AccessUnitRange unit = _units[_next];
        EncodedFrame frame = _pool.Rent();
        try
        {
            frame.Write(_stream.AsSpan(unit.Start, unit.Length));
        }
        catch
        {
            frame.Dispose();
            throw;
        }

        _next++;
        frame.IsIdr = unit.IsIdr;
        frame.CaptureTime = _pacer.Take(out long index);
        frame.FrameNumber = (ulong)index;
        frame.PartNumber = 0;
        return frame;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    private static (int Width, int Height) ReadPictureSize(ReadOnlySpan<byte> stream, string path)
    {
        int nal = AccessUnitLayout.NextNalUnit(stream, 0, out _);
        while (nal >= 0 && nal < stream.Length)
        {
            int next = AccessUnitLayout.NextNalUnit(stream, nal + 1, out int nextStartCode);
            if ((stream[nal] & 0x1F) == NalUnitType.Sps)
            {
                int end = next < 0 ? stream.Length : nextStartCode;
                if (H264Syntax.TryReadPictureSize(stream[nal..end], out int width, out int height))
                {
                    return (width, height);
                }

                throw new InvalidDataException($"'{path}': the sequence parameter set at offset {nal} cannot be read.");
            }

            nal = next;
        }

        throw new InvalidDataException($"'{path}' holds no sequence parameter set, so its picture size is unknown.");
    }
}
