using Miraflow.Pipeline.Media;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Pipeline.Sources;

/// <summary>
/// A moving test picture that looks like a desktop: a still wallpaper with icons and a taskbar,
/// a window with text drifting slowly across it, and a clock (the capture time,
/// <c>HH:MM:SS.mmm</c>) and frame counter that change every frame. So the encoder sees both
/// still and changing regions, as with a real desktop.
/// </summary>
/// <remarks>
/// Any even size works (every WFD mode); the picture is written directly in I420 or NV12.
/// Frame k depends only on k and its capture time, so two unpaced sources give identical
/// frames. A frame costs one picture copy (of a cached still background) plus the window and
/// text: well under 2 ms at 1080p on one core. Frames are rented from a
/// <see cref="VideoFramePool"/>; once the pool is warm a read allocates nothing but, when it
/// waits, the <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>.
/// One reader at a time; dispose the source after the last read has completed.
/// </remarks>
public sealed class TestPictureSource : IFrameSource, IPacedSource
{
    private readonly FramePacer _pacer;
    private readonly DesktopPicture _picture;
    private readonly VideoFramePool _pool;
    private bool _disposed;

    /// <summary>Creates a test picture source.</summary>
    /// <param name="clock">The session's clock: capture times and pacing.</param>
    /// <param name="width">Picture width (even).</param>
    /// <param name="height">Picture height (even).</param>
    /// <param name="frameRate">Frames per second.</param>
    /// <param name="format">I420 or NV12.</param>
    /// <param name="pacing">Real time, or as fast as read.</param>
    /// <param name="pool">Where frames come from; one of this size and format is created when null.</param>
    public TestPictureSource(
        MediaClock clock,
        int width,
        int height,
        double frameRate,
        PixelFormat format = PixelFormat.I420,
        FramePacing pacing = FramePacing.RealTime,
        VideoFramePool? pool = null)
    {
        VideoFramePool.CheckGeometry(width, height, format, 0, 0);
        _pacer = new FramePacer(clock, frameRate, pacing);
        _pool = pool ?? new VideoFramePool(width, height, format);
        if (_pool.Width != width || _pool.Height != height || _pool.Format != format)
        {
            throw new ArgumentException($"The pool makes {_pool.Width}×{_pool.Height} {_pool.Format} frames, not {width}×{height} {format}.", nameof(pool));
        }

        _picture = new DesktopPicture(width, height, format, frameRate);
        Info = new FrameSourceInfo(width, height, frameRate, Encoded: false, format);
    }

    /// <summary>Creates a test picture source for a WFD video mode (its size and frames per second).</summary>
    public static TestPictureSource ForMode(
        MediaClock clock,
        VideoMode mode,
        PixelFormat format = PixelFormat.I420,
        FramePacing pacing = FramePacing.RealTime,
        VideoFramePool? pool = null) =>
        new(clock, mode.Width, mode.Height, mode.FramesPerSecond, format, pacing, pool);

    /// <inheritdoc/>
    public FrameSourceInfo Info { get; }

    /// <summary>Frames delivered so far.</summary>
    public long FramesRead => _pacer.NextIndex;

    /// <summary>Times the reader fell more than a frame period behind (see <see cref="FramePacing.RealTime"/>).</summary>
    public long LateFrames => _pacer.LateFrames;

    /// <inheritdoc/>
    /// <remarks>Never ends: the result is never null. A read that needs no wait completes synchronously, without an async state machine.</remarks>
    public ValueTask<MediaFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        return _pacer.ReadAsync(this, cancellationToken);
    }

    /// <inheritdoc/>
    void IPacedSource.ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <inheritdoc/>
    MediaFrame IPacedSource.NextFrame()
    {
        MediaTime captureTime = _pacer.Take(out long index);
        VideoFrame frame = _pool.Rent();
        try
        {
            Render(frame, index, captureTime);
        }
        catch
        {
            frame.Dispose();
            throw;
        }

        frame.CaptureTime = captureTime;
        frame.FrameNumber = (ulong)index;
        frame.PartNumber = 0;
        return frame;
    }

    /// <summary>
    /// Draws frame <paramref name="frameIndex"/> with the clock showing
    /// <paramref name="captureTime"/> into <paramref name="destination"/> (of the source's size
    /// and format, any stride). Does not change the frame's timestamps.
    /// </summary>
    public void Render(VideoFrame destination, long frameIndex, MediaTime captureTime)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _picture.Render(destination, frameIndex, captureTime);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _picture.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The layout of the picture, for tests.</summary>
    internal DesktopPicture Picture => _picture;
}
