using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;

namespace Miraflow.Pipeline.Audio;

/// <summary>
/// Plays a RIFF/WAVE file: 16-bit PCM (format tag 1, or WAVE_FORMAT_EXTENSIBLE with the PCM
/// subformat), 1 or 2 channels, 44.1 or 48 kHz. Frames are always stereo: a mono file's samples
/// are duplicated to both channels.
/// </summary>
/// <remarks>
/// <para>The file is untrusted input: the header is walked chunk by chunk, each bounds-checked
/// against the RIFF form before it is read; unknown chunks (<c>LIST</c>, <c>fact</c>, ...) are
/// skipped and odd-sized chunks are followed by their pad byte. Anything malformed or
/// unsupported is a <see cref="WavFormatException"/> whose <see cref="WavFormatException.Reason"/>
/// says why.</para>
/// <para>Looping, the samples continue from the start of the data with no gap (a frame may span
/// the loop point). Not looping, the last frame is padded with silence to the full frame size
/// (so every frame has the same size, as the sink expects) and the next read returns null.</para>
/// <para>Timestamps and pacing follow <see cref="IAudioSource"/>. Samples are read from the file
/// on demand (synchronously, one frame at a time, a few KB); once the pool is warm an unpaced read
/// allocates nothing. One reader at a time; dispose the source after the last read has
/// completed.</para>
/// </remarks>
public sealed class WavFileSource : IAudioSource, IPacedAudioSource
{
    private readonly SafeFileHandle _file;
    private readonly WavLayout _layout;
    private readonly AudioPacer _pacer;
    private readonly AudioFramePool _pool;
    private readonly bool _loop;
    private long _position;
    private bool _disposed;

    /// <summary>Opens a WAV file and reads its header.</summary>
    /// <param name="clock">The session's clock: timestamps and pacing.</param>
    /// <param name="path">The file.</param>
    /// <param name="loop">Start again after the last sample (true), or end there (false).</param>
    /// <param name="samplesPerFrame">Sample frames per frame; 0 for 10 ms (480 at 48 kHz, 441 at 44.1 kHz).</param>
    /// <param name="pacing">Real time, or as fast as read.</param>
    /// <param name="pool">Where frames come from (stereo, the file's rate, this frame size); one is created when null.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="WavFormatException">The file is malformed or not 16-bit mono/stereo PCM at 44.1 or 48 kHz.</exception>
    public WavFileSource(
        MediaClock clock,
        string path,
        bool loop = false,
        int samplesPerFrame = 0,
        FramePacing pacing = FramePacing.RealTime,
        AudioFramePool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The WAV file '{path}' does not exist.", path);
        }

        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            _layout = WavParser.Parse(_file, path);
            samplesPerFrame = AudioFormat.ResolveFrameSize(_layout.SampleRate, 2, samplesPerFrame);
            _pacer = new AudioPacer(clock, _layout.SampleRate, samplesPerFrame, pacing);
            _pool = pool ?? new AudioFramePool(_layout.SampleRate, 2, samplesPerFrame);
            if (_pool.SampleRate != _layout.SampleRate || _pool.Channels != 2 || _pool.SampleFrames != samplesPerFrame)
            {
                throw new ArgumentException($"The pool makes {_pool.SampleFrames}-sample {_pool.Channels}-channel {_pool.SampleRate} Hz frames, not {samplesPerFrame}-sample stereo {_layout.SampleRate} Hz.", nameof(pool));
            }
        }
        catch
        {
            _file.Dispose();
            throw;
        }

        Path = path;
        _loop = loop;
        Info = new AudioSourceInfo(_layout.SampleRate, 2, samplesPerFrame);
    }

    /// <inheritdoc/>
    public AudioSourceInfo Info { get; }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Channels in the file (frames are stereo either way).</summary>
    public int FileChannels => _layout.Channels;

    /// <summary>Sample frames in the file.</summary>
    public long FileSampleFrames => _layout.DataLength / _layout.BlockAlign;

    /// <summary>Frames delivered so far (counting every loop).</summary>
    public long FramesRead => _pacer.NextIndex;

    /// <summary>Times the file was started again from its first sample.</summary>
    public long Loops { get; private set; }

    /// <inheritdoc/>
    /// <remarks>Null after the last frame when the source does not loop (at once, without waiting). A read that needs no wait completes synchronously, without an async state machine.</remarks>
    public ValueTask<AudioFrame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        return AtEnd ? default : _pacer.ReadAsync(this, cancellationToken);
    }

    /// <inheritdoc/>
    void IPacedAudioSource.ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <inheritdoc/>
    AudioFrame? IPacedAudioSource.NextFrame()
    {
        if (AtEnd)
        {
            return null;
        }

        AudioFrame frame = _pool.Rent();
        try
        {
            Fill(frame.Data);
        }
        catch
        {
            frame.Dispose();
            throw;
        }

        frame.CaptureTime = _pacer.Take(out long index);
        frame.FrameNumber = (ulong)index;
        frame.PartNumber = 0;
        return frame;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _file.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private bool AtEnd => !_loop && _position >= _layout.DataLength;

    /// <summary>Fills a stereo frame from the current position, looping or padding with silence at the end.</summary>
    private void Fill(Span<byte> destination)
    {
        int blockAlign = _layout.BlockAlign;
        int filled = 0;
        while (filled < destination.Length)
        {
            if (_position == _layout.DataLength)
            {
                if (!_loop)
                {
                    destination[filled..].Clear();
                    return;
                }

                _position = 0;
                Loops++;
            }

            int frames = (int)Math.Min((destination.Length - filled) / 4, (_layout.DataLength - _position) / blockAlign);
            int bytes = frames * blockAlign;
            Span<byte> target = destination.Slice(filled, frames * 4);
            if (blockAlign == 4)
            {
                WavParser.ReadExactly(_file, target, _layout.DataOffset + _position, Path);
            }
            else
            {
                // Mono: read into the second half, then spread each sample to both channels
                // front to back; sample j moves to frame j, never over an unread sample.
                WavParser.ReadExactly(_file, target[bytes..], _layout.DataOffset + _position, Path);
                Span<short> samples = MemoryMarshal.Cast<byte, short>(target);
                for (int j = 0; j < frames; j++)
                {
                    short sample = samples[frames + j];
                    samples[2 * j] = sample;
                    samples[(2 * j) + 1] = sample;
                }
            }

            _position += bytes;
            filled += frames * 4;
        }
    }
}
