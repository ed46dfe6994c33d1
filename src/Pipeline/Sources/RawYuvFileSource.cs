using Microsoft.Win32.SafeHandles;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Sources;

/// <summary>
/// Plays a raw 4:2:0 file (I420, as <c>ffmpeg -pix_fmt yuv420p -f rawvideo</c> writes it, or
/// NV12) of a given size and frame rate, from the start again at the end or once.
/// </summary>
/// <remarks>
/// The file holds whole pictures back to back, each <c>Width × Height × 3 / 2</c> bytes with no
/// row padding; its size must be a whole number of pictures. Frames are read as they are asked
/// for (a synchronous positioned read of one picture, usually from the page cache), straight
/// into a pooled frame when its rows are not padded. Once the pool is warm a read allocates
/// nothing but, when it waits, the <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>.
/// One reader at a time; dispose the source after the last read has completed.
/// </remarks>
public sealed class RawYuvFileSource : IFrameSource, IPacedSource
{
    private readonly SafeFileHandle _file;
    private readonly FramePacer _pacer;
    private readonly VideoFramePool _pool;
    private readonly bool _loop;
    private readonly int _frameBytes;
    private readonly byte[]? _scratch;
    private long _next;
    private bool _disposed;

    /// <summary>Opens a raw YUV file.</summary>
    /// <param name="clock">The session's clock: capture times and pacing.</param>
    /// <param name="path">The file.</param>
    /// <param name="width">Picture width (even).</param>
    /// <param name="height">Picture height (even).</param>
    /// <param name="frameRate">Frames per second.</param>
    /// <param name="format">The file's layout, and the frames'.</param>
    /// <param name="loop">Start again after the last picture (true), or end there (false).</param>
    /// <param name="pacing">Real time, or as fast as read.</param>
    /// <param name="pool">Where frames come from (any strides); one of this size and format is created when null.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty or not a whole number of pictures.</exception>
    public RawYuvFileSource(
        MediaClock clock,
        string path,
        int width,
        int height,
        double frameRate,
        PixelFormat format = PixelFormat.I420,
        bool loop = true,
        FramePacing pacing = FramePacing.RealTime,
        VideoFramePool? pool = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        VideoFramePool.CheckGeometry(width, height, format, 0, 0);
        _pacer = new FramePacer(clock, frameRate, pacing);
        _pool = pool ?? new VideoFramePool(width, height, format);
        if (_pool.Width != width || _pool.Height != height || _pool.Format != format)
        {
            throw new ArgumentException($"The pool makes {_pool.Width}×{_pool.Height} {_pool.Format} frames, not {width}×{height} {format}.", nameof(pool));
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The raw {format} file '{path}' does not exist.", path);
        }

        _frameBytes = width * height * 3 / 2;
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            long length = RandomAccess.GetLength(_file);
            if (length == 0 || length % _frameBytes != 0)
            {
                throw new InvalidDataException(
                    $"'{path}' is {length} bytes, not a whole number of {width}×{height} {format} pictures of {_frameBytes} bytes each.");
            }

            FrameCount = length / _frameBytes;
        }
        catch
        {
            _file.Dispose();
            throw;
        }

        if (_pool.LumaStride != width || _pool.ChromaStride != (format == PixelFormat.I420 ? width / 2 : width))
        {
            _scratch = new byte[_frameBytes];
        }

        _loop = loop;
        Path = path;
        Info = new FrameSourceInfo(width, height, frameRate, Encoded: false, format);
    }

    /// <inheritdoc/>
    public FrameSourceInfo Info { get; }

    /// <summary>The file played.</summary>
    public string Path { get; }

    /// <summary>Pictures in the file.</summary>
    public long FrameCount { get; }

    /// <summary>Frames delivered so far (counting every loop).</summary>
    public long FramesRead => _pacer.NextIndex;

    /// <summary>Times the reader fell more than a frame period behind (see <see cref="FramePacing.RealTime"/>).</summary>
    public long LateFrames => _pacer.LateFrames;

    /// <inheritdoc/>
    /// <remarks>Null after the last picture when the source does not loop. A read that needs no wait completes synchronously, without an async state machine.</remarks>
    public ValueTask<MediaFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_next == FrameCount)
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
        VideoFrame frame = _pool.Rent();
        try
        {
            Read(frame, _next);
        }
        catch
        {
            frame.Dispose();
            throw;
        }

        _next++;
        frame.CaptureTime = _pacer.Take(out long index);
        frame.FrameNumber = (ulong)index;
        frame.PartNumber = 0;
        return frame;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _file.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Read(VideoFrame frame, long picture)
    {
        Span<byte> target = _scratch ?? frame.Data;
        long offset = picture * _frameBytes;
        int done = 0;
        while (done < _frameBytes)
        {
            int read = RandomAccess.Read(_file, target[done.._frameBytes], offset + done);
            if (read == 0)
            {
                throw new InvalidDataException($"'{Path}' ended inside picture {picture}: it shrank after it was opened.");
            }

            done += read;
        }

        if (_scratch is null)
        {
            return;
        }

        int width = frame.Width, height = frame.Height, lumaBytes = width * height;
        PictureConverter.CopyPlane(_scratch, width, frame.Y, frame.LumaStride, width, height);
        if (frame.Format == PixelFormat.I420)
        {
            int chromaBytes = lumaBytes / 4;
            PictureConverter.CopyPlane(_scratch.AsSpan(lumaBytes, chromaBytes), width / 2, frame.U, frame.ChromaStride, width / 2, height / 2);
            PictureConverter.CopyPlane(_scratch.AsSpan(lumaBytes + chromaBytes, chromaBytes), width / 2, frame.V, frame.ChromaStride, width / 2, height / 2);
        }
        else
        {
            PictureConverter.CopyPlane(_scratch.AsSpan(lumaBytes), width, frame.U, frame.ChromaStride, width, height / 2);
        }
    }
}
