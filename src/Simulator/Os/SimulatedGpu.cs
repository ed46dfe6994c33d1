using System.Diagnostics;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;

namespace Miraflow.Simulator.Os;

/// <summary>
/// The GPU behind the Miracast target: once the monitor arrived and the OS presents, it captures
/// a desktop picture per frame period (Stopwatch-paced), colour-converts it to NV12 in a free
/// frame-store slot and submits the chunks (§3.2) to the OS queue.
/// </summary>
/// <remarks>
/// Extension point (issue 7, GPU H.264 encoding): <see cref="SubmitRawPicture"/> is where an
/// encoder stage goes. It would encode the slot's NV12 into a bitstream in another slot and submit
/// <c>ENCODE_COMPLETE</c> chunks whose <see cref="ChunkDescriptor"/> says
/// <see cref="ChunkPayload.Bitstream"/> (IDR on request, see <c>RequestIdr</c>), instead of the
/// <c>COLOR_CONVERT_COMPLETE</c> chunks of the raw picture.
/// </remarks>
internal sealed class SimulatedGpu : IDisposable
{
    /// <summary>The thread's name.</summary>
    public const string ThreadName = "Simulated GPU";

    private readonly FrameStore _store;
    private readonly ChunkQueue _queue;
    private readonly OsEmulatorOptions _options;
    private readonly Action<string> _error;
    private readonly Lock _lock = new();
    private readonly ManualResetEventSlim _wake = new();
    private readonly List<long> _captureTimestamps = [];
    private Thread? _thread;
    private volatile bool _stop;
    private volatile bool _presenting;
    private ulong _frameNumber;
    private long _produced;
    private long _dropped;

    public SimulatedGpu(FrameStore store, ChunkQueue queue, OsEmulatorOptions options, Action<string> error)
    {
        _store = store;
        _queue = queue;
        _options = options;
        _error = error;
        _presenting = options.Presenting;
    }

    /// <summary>Frames whose chunks were submitted.</summary>
    public long FramesProduced => Interlocked.Read(ref _produced);

    /// <summary>Frames the KMD dropped for want of a free slot (a <c>FRAME_DROPPED</c> chunk each).</summary>
    public long FramesDropped => Interlocked.Read(ref _dropped);

    /// <summary>Capture timestamps kept at most (frames 1 … 2^20; 8 MiB): later frames are not recorded.</summary>
    public const int MaxRecordedCaptures = 1 << 20;

    /// <summary>
    /// The <see cref="Stopwatch"/> timestamp at which frame <paramref name="frameNumber"/> was
    /// captured (the one its chunks carry); false for a frame not produced yet or beyond
    /// <see cref="MaxRecordedCaptures"/>.
    /// </summary>
    public bool TryGetCaptureTimestamp(ulong frameNumber, out long timestamp)
    {
        lock (_captureTimestamps)
        {
            if (frameNumber >= 1 && frameNumber <= (ulong)_captureTimestamps.Count)
            {
                timestamp = _captureTimestamps[(int)(frameNumber - 1)];
                return timestamp != 0;
            }
        }

        timestamp = 0;
        return false;
    }

    /// <summary>Whether frames are produced while running.</summary>
    public bool Presenting
    {
        get => _presenting;
        set
        {
            _presenting = value;
            _wake.Set();
        }
    }

    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _thread is not null;
            }
        }
    }

    /// <summary>The capture time the test picture shows for a Stopwatch timestamp: CLOCK_MONOTONIC on the 27 MHz media clock.</summary>
    public static MediaTime CaptureTimeOf(long stopwatchTimestamp)
    {
        long seconds = Math.DivRem(stopwatchTimestamp, Stopwatch.Frequency, out long rest);
        return new MediaTime((seconds * MediaTime.TicksPerSecond) + (rest * MediaTime.TicksPerSecond / Stopwatch.Frequency));
    }

    /// <summary>Starts producing frames of a mode (HPD arrival); a running GPU is restarted with the new mode.</summary>
    public void Start(int width, int height, int framesPerSecond)
    {
        Stop();
        lock (_lock)
        {
            _stop = false;
            var thread = new Thread(() => Run(width, height, framesPerSecond)) { IsBackground = true, Name = ThreadName };
            _thread = thread;
            thread.Start();
        }
    }

    /// <summary>Stops producing (departure, Stop, Destroy) and waits for the thread.</summary>
    public void Stop()
    {
        Thread? thread;
        lock (_lock)
        {
            thread = _thread;
            _thread = null;
            _stop = true;
        }

        _wake.Set();
        if (thread is not null && thread != Thread.CurrentThread && !thread.Join(TimeSpan.FromSeconds(5)))
        {
            _error("The simulated GPU did not stop within 5 s.");
        }
    }

    public void Dispose()
    {
        Stop();
        _wake.Dispose();
    }

    private void Run(int width, int height, int framesPerSecond)
    {
        TestPictureSource? picture = null;
        VideoFrame? capture = null;
        try
        {
            IFrameSource? source = _options.FrameSource;
            if (source is null)
            {
                picture = new TestPictureSource(new MediaClock(), width, height, framesPerSecond, PixelFormat.I420, FramePacing.Unpaced);
                capture = VideoFrame.Create(width, height, PixelFormat.I420);
            }

            long period = Math.Max(1, Stopwatch.Frequency / framesPerSecond);
            long next = Stopwatch.GetTimestamp();
            while (!_stop)
            {
                _wake.Reset();
                if (_stop)
                {
                    break;
                }

                if (!_presenting)
                {
                    _wake.Wait();
                    next = Stopwatch.GetTimestamp();
                    continue;
                }

                long now = Stopwatch.GetTimestamp();
                if (now < next)
                {
                    _ = _wake.Wait(TimeSpan.FromTicks(Math.Max(1, (next - now) * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
                    continue;
                }

                if (!ProduceFrame(width, height, picture, capture, source))
                {
                    break;
                }

                next += period;
                if (now - next > period)
                {
                    next = now; // fell behind (a slow machine): skip ahead instead of bursting
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _error($"The simulated GPU failed: {e}");
        }
        finally
        {
            capture?.Dispose();
            // Completes synchronously (it only frees the cached background).
            picture?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>One frame period: capture, convert into a slot, submit. False when a user source ended.</summary>
    private bool ProduceFrame(int width, int height, TestPictureSource? picture, VideoFrame? capture, IFrameSource? source)
    {
        ulong frameNumber = ++_frameNumber;
        long captureTimestamp = Stopwatch.GetTimestamp();
        RecordCapture(frameNumber, captureTimestamp);
        VideoFrame? read = null;
        try
        {
            VideoFrame picked;
            if (source is null)
            {
                picture!.Render(capture!, (long)frameNumber - 1, CaptureTimeOf(captureTimestamp));
                picked = capture!;
            }
            else
            {
                // The GPU thread is the emulator's own thread; blocking it on the source is the point.
                ValueTask<MediaFrame?> pending = source.ReadFrameAsync(CancellationToken.None);
                MediaFrame? frame = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
                if (frame is null)
                {
                    return false;
                }

                if (frame is not VideoFrame video || video.Width != width || video.Height != height)
                {
                    frame.Dispose();
                    _error($"The frame source gave frame {frameNumber} that is not a {width}×{height} raw picture; it was dropped.");
                    SubmitDrop(frameNumber);
                    return true;
                }

                read = video;
                picked = video;
            }

            int slot = _store.TryTakeForGpu();
            if (slot < 0)
            {
                SubmitDrop(frameNumber);
                return true;
            }

            try
            {
                if (_options.FrameStartChunks)
                {
                    _ = _queue.Enqueue(new QueuedChunk(Info(ChunkType.FrameStart, frameNumber, 0, 0), [], -1));
                }

                long started = Stopwatch.GetTimestamp();
                ConvertToNv12(picked, _store.Slot(slot));
                uint micros = (uint)Math.Min(uint.MaxValue, Stopwatch.GetElapsedTime(started).Ticks / 10);
                SubmitRawPicture(frameNumber, width, height, slot, captureTimestamp, micros);
            }
            finally
            {
                _store.EndGpuWrite(slot);
            }

            _ = Interlocked.Increment(ref _produced);
            return true;
        }
        finally
        {
            read?.Dispose();
        }
    }

    private void RecordCapture(ulong frameNumber, long captureTimestamp)
    {
        lock (_captureTimestamps)
        {
            // Frame numbers rise by one from 1 over the emulator's life, so the list is indexed by number − 1.
            if (frameNumber <= (ulong)_options.RecordedCaptures)
            {
                while ((ulong)_captureTimestamps.Count < frameNumber - 1)
                {
                    _captureTimestamps.Add(0);
                }

                _captureTimestamps.Add(captureTimestamp);
            }
        }
    }

    /// <summary>Writes a picture into a slot as NV12: Y rows, then interleaved UV rows, strides = width.</summary>
    internal static void ConvertToNv12(VideoFrame picture, Span<byte> slot)
    {
        int width = picture.Width, height = picture.Height;
        PictureConverter.CopyPlane(picture.Y, picture.LumaStride, slot, width, width, height);
        Span<byte> uv = slot.Slice(width * height, width * height / 2);
        if (picture.Format == PixelFormat.Nv12)
        {
            PictureConverter.CopyPlane(picture.U, picture.ChromaStride, uv, width, width, height / 2);
            return;
        }

        ReadOnlySpan<byte> u = picture.U, v = picture.V;
        int chromaWidth = width / 2, stride = picture.ChromaStride;
        for (int row = 0; row < height / 2; row++)
        {
            PictureConverter.Interleave(u.Slice(row * stride, chromaWidth), v.Slice(row * stride, chromaWidth), uv.Slice(row * width, width));
        }
    }

    /// <summary>
    /// Submits a colour-converted picture as <see cref="OsEmulatorOptions.PartsPerFrame"/>
    /// <c>COLOR_CONVERT_COMPLETE</c> chunks: luma rows split evenly in even counts, part numbers
    /// 1 … N−1 in order and the last part 0 (§2.10). Issue 7's encoder stage goes here.
    /// </summary>
    private void SubmitRawPicture(ulong frameNumber, int width, int height, int slot, long captureTimestamp, uint micros)
    {
        int pairs = height / 2;
        int parts = Math.Min(_options.PartsPerFrame, pairs);
        int firstPair = 0;
        Span<byte> data = stackalloc byte[ChunkDescriptor.Size];
        for (int k = 0; k < parts; k++)
        {
            int pairCount = (pairs / parts) + (k < pairs % parts ? 1 : 0);
            var descriptor = new ChunkDescriptor
            {
                Payload = ChunkPayload.RawPicture,
                PixelFormat = PixelFormat.Nv12,
                Width = width,
                Height = height,
                LumaStride = width,
                ChromaStride = width,
                FirstRow = 2 * firstPair,
                RowCount = 2 * pairCount,
                PartCount = parts,
                CaptureTimestamp = captureTimestamp,
                Slot = slot,
                Offset = 0,
                Length = width * height * 3 / 2,
            };
            descriptor.Write(data);
            uint part = k == parts - 1 ? 0u : (uint)(k + 1);
            _ = _queue.Enqueue(new QueuedChunk(Info(ChunkType.ColorConvertComplete, frameNumber, part, micros), data.ToArray(), slot));
            firstPair += pairCount;
        }
    }

    private void SubmitDrop(ulong frameNumber)
    {
        _ = Interlocked.Increment(ref _dropped);
        _ = _queue.Enqueue(new QueuedChunk(Info(ChunkType.FrameDropped, frameNumber, 0, 0), [], -1));
    }

    private static MIRACAST_CHUNK_INFO Info(ChunkType type, ulong frameNumber, uint part, uint micros) => new()
    {
        ChunkType = (MIRACAST_CHUNK_TYPE)(uint)type,
        ChunkId = new MIRACAST_CHUNK_ID { Value = new ChunkId(frameNumber, part).Value },
        ProcessingTime = micros,
    };
}
