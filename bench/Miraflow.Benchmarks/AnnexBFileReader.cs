using Microsoft.Win32.SafeHandles;
using Miraflow.Pipeline.Sources;

namespace Miraflow.Benchmarks;

/// <summary>
/// Reads an Annex-B H.264 file access unit by access unit through one reused buffer, as a
/// streaming tool does (ffmpeg reads 32 KB at a time): memory stays small and warm however long
/// the file is, instead of a fresh array the size of the file.
/// </summary>
/// <remarks>Each unit stays valid until the next call. The buffer grows if a unit is larger.</remarks>
internal sealed class AnnexBFileReader : IDisposable
{
    private readonly SafeFileHandle _file;
    private byte[] _buffer;
    private long _fileOffset;
    private int _start;
    private int _end;
    private bool _endOfFile;

    public AnnexBFileReader(string path, int bufferSize = 1024 * 1024)
    {
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        _buffer = new byte[bufferSize];
    }

    /// <summary>Returns the next access unit; false at the end of the file.</summary>
    public bool TryReadNext(out ReadOnlySpan<byte> accessUnit)
    {
        while (true)
        {
            ReadOnlySpan<byte> pending = _buffer.AsSpan(_start, _end - _start);
            int next = AccessUnitSplitter.FindNextUnit(pending);
            if (next > 0)
            {
                accessUnit = pending[..next];
                _start += next;
                return true;
            }

            if (_endOfFile)
            {
                accessUnit = pending;
                _start = _end;
                return !pending.IsEmpty;
            }

            Fill();
        }
    }

    public void Dispose() => _file.Dispose();

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        else if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = RandomAccess.Read(_file, _buffer.AsSpan(_end), _fileOffset);
        _fileOffset += read;
        _end += read;
        _endOfFile = read == 0;
    }
}
