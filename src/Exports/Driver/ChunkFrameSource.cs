using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Rtsp.Negotiation;

namespace Miraflow.Exports.Driver;

/// <summary>
/// The driver's frame source: pictures (or GPU-encoded access units) assembled from the chunks the
/// OS returns from <c>GetNextChunkData</c> (contract §2.12, docs/kernel-protocol.md). The media
/// session pumps it on its dedicated capture thread, so that thread is the one chunk reader the
/// contract asks for.
/// </summary>
/// <remarks>
/// <code>
///  GetNextChunkData(timeout 200 ms, stop event)       what the reader does
///  STATUS_SUCCESS, size &gt; 0                         read every packed chunk (unaligned), assemble, release slots
///  STATUS_WAIT_0, size 0 (the stop event)           the pump is stopping: OperationCanceledException
///  STATUS_TIMEOUT                                   ask again (and notice a cancellation)
///  STATUS_BUFFER_TOO_SMALL                          grow the buffer (doubling, at least what the OS asks) and ask again
///  STATUS_CONNECTION_RESET                          drop the frame in progress, FRAME_DROPPED, IDR at the next picture
///  STATUS_INSTANCE_NOT_AVAILABLE                    the session is gone: end of the source (null)
///  anything else                                    a fault: the session ends with CriticalError
/// </code>
/// Every frame the reader gives up is reported as FRAME_DROPPED (except those the kernel driver
/// dropped and reported itself) and makes the next picture an IDR.
/// </remarks>
internal sealed unsafe partial class ChunkFrameSource : IFrameSource
{
    /// <summary>How long one GetNextChunkData call may block; a stop also signals the stop event.</summary>
    internal const uint WaitMilliseconds = 200;

    /// <summary>The buffer the reader starts with: 16 chunks with a reference-protocol descriptor each.</summary>
    internal const int InitialBufferSize = 16 * (MiracastChunkDataReader.HeaderSize + ChunkDescriptor.Size);

    /// <summary>The largest buffer the reader grows to; a chunk that needs more ends the session.</summary>
    internal const int MaxBufferSize = 1024 * 1024;

    private readonly DriverSession _session;
    private readonly MappedFrameStore _store;
    private readonly ChunkAssembler _assembler;
    private readonly Collector _collector;
    private readonly StopEvent _stop;
    private readonly ILogger _logger;
    private CancellationTokenRegistration _registration;
    private byte* _buffer;
    private int _bufferSize;
    private int _disposed;

    public ChunkFrameSource(DriverSession session, MappedFrameStore store, MediaClock clock, NegotiatedFormat format, bool encoded, ILogger logger)
    {
        _session = session;
        _store = store;
        _logger = logger;
        _collector = new Collector(session);
        _assembler = new ChunkAssembler(clock, store);
        _stop = new StopEvent();
        _bufferSize = InitialBufferSize;
        _buffer = (byte*)NativeMemory.Alloc((nuint)_bufferSize);
        Info = new FrameSourceInfo(format.Mode.Width, format.Mode.Height, format.Mode.FramesPerSecond, encoded, PixelFormat.Nv12);
    }

    /// <inheritdoc/>
    public FrameSourceInfo Info { get; }

    /// <summary>What the assembler saw (tests, logs).</summary>
    public ChunkAssemblerStatistics AssemblerStatistics => _assembler.Statistics;

    /// <inheritdoc/>
    public ValueTask<MediaFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        if (_registration == default && cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static state => ((StopEvent)state!).Set(), _stop);
        }

        while (true)
        {
            if (_collector.TryDequeue(out MediaFrame? ready))
            {
                return ValueTask.FromResult<MediaFrame?>(ready);
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!ReadChunks(cancellationToken))
            {
                return ValueTask.FromResult<MediaFrame?>(null);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        _stop.Set();
        _registration.Dispose();
        _collector.Clear();
        _assembler.Dispose();
        _ = _store.FlushReleases();
        _stop.Dispose();
        NativeMemory.Free(_buffer);
        _buffer = null;
        return ValueTask.CompletedTask;
    }

    /// <summary>One GetNextChunkData call and what follows; false when the session is gone.</summary>
    private bool ReadChunks(CancellationToken cancellationToken)
    {
        HANDLE stop = _stop.Handle;
        uint size = (uint)_bufferSize;
        uint outstanding = 0;
        int status = _session.Callbacks.GetNextChunkData(_session.Device, WaitMilliseconds, 1, &stop, &size, (MIRACAST_CHUNK_DATA*)_buffer, &outstanding);
        switch (status)
        {
            case STATUS.STATUS_SUCCESS when size == 0:
                // STATUS_WAIT_0 (= STATUS_SUCCESS) with nothing written: the stop event.
                cancellationToken.ThrowIfCancellationRequested();
                throw new OperationCanceledException("The chunk reader's stop event was signalled.");
            case STATUS.STATUS_SUCCESS:
                Assemble(new ReadOnlySpan<byte>(_buffer, (int)Math.Min(size, (uint)_bufferSize)));
                return true;
            case STATUS.STATUS_TIMEOUT:
                return true;
            case STATUS.STATUS_BUFFER_TOO_SMALL:
                Grow(size);
                return true;
            case STATUS.STATUS_CONNECTION_RESET:
                LogQueueReset(_logger);
                _assembler.Reset(_collector);
                _session.OnChunksLost();
                _ = _store.FlushReleases();
                return true;
            case STATUS.STATUS_INSTANCE_NOT_AVAILABLE:
                LogInstanceGone(_logger);
                return false;
            default:
                throw new IOException($"GetNextChunkData failed with 0x{status:X8}.");
        }
    }

    private void Assemble(ReadOnlySpan<byte> chunks)
    {
        var reader = new MiracastChunkDataReader(chunks);
        while (reader.TryReadNext(out MIRACAST_CHUNK_INFO info, out ReadOnlySpan<byte> privateData))
        {
            var id = new ChunkId(info.ChunkId.Value);
            _assembler.Process((ChunkType)(uint)info.ChunkType, id, privateData, _collector);
        }

        if (reader.BytesRemaining != 0)
        {
            LogTrailingBytes(_logger, reader.BytesRemaining);
        }

        _ = _store.FlushReleases();
    }

    private void Grow(uint asked)
    {
        long next = Math.Max((long)_bufferSize * 2, asked);
        if (next > MaxBufferSize)
        {
            throw new IOException($"GetNextChunkData needs a buffer of more than {MaxBufferSize} bytes (asked for {asked}); the chunk's private data is larger than any reference-protocol descriptor.");
        }

        _buffer = (byte*)NativeMemory.Realloc(_buffer, (nuint)next);
        _bufferSize = (int)next;
        LogBufferGrown(_logger, _bufferSize);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "GetNextChunkData: the chunk queue was reset (STATUS_CONNECTION_RESET); the next picture is an IDR")]
    private static partial void LogQueueReset(ILogger logger);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "GetNextChunkData: the session was destroyed (STATUS_INSTANCE_NOT_AVAILABLE); the chunk reader ends")]
    private static partial void LogInstanceGone(ILogger logger);

    [LoggerMessage(EventId = 22, Level = LogLevel.Debug, Message = "GetNextChunkData: buffer grown to {Size} bytes")]
    private static partial void LogBufferGrown(ILogger logger, int size);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "GetNextChunkData: {Count} bytes after the last whole chunk were ignored")]
    private static partial void LogTrailingBytes(ILogger logger, int count);

    /// <summary>Receives what the assembler completes, in order, and reports what it drops.</summary>
    private sealed class Collector(DriverSession session) : IAssembledFrameSink
    {
        private readonly Queue<MediaFrame> _ready = new(capacity: 4);

        public bool TryDequeue([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MediaFrame? frame) => _ready.TryDequeue(out frame);

        public void OnPicture(VideoFrame picture) => _ready.Enqueue(picture);

        public void OnAccessUnit(EncodedFrame accessUnit) => _ready.Enqueue(accessUnit);

        public void OnDropped(ulong frameNumber, FrameDropReason reason)
        {
            if (reason != FrameDropReason.KernelDropped)
            {
                session.ReportFrameDropped(frameNumber); // the kernel driver reports its own drops
            }

            session.OnChunksLost();
        }

        public void Clear()
        {
            while (_ready.TryDequeue(out MediaFrame? frame))
            {
                frame.Dispose();
            }
        }
    }
}
