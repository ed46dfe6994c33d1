using System.Buffers;

namespace Miraflow.Pipeline.Ts;

/// <summary>
/// An <see cref="ITsPacketSink"/> that appends packets to an <see cref="IBufferWriter{T}"/>:
/// a plain <c>.ts</c> byte stream, for recordings, files and tests.
/// </summary>
public sealed class TsBufferSink(IBufferWriter<byte> output) : ITsPacketSink
{
    private readonly IBufferWriter<byte> _output = output ?? throw new ArgumentNullException(nameof(output));
    private bool _pending;

    /// <summary>Packets written so far.</summary>
    public long PacketCount { get; private set; }

    /// <summary>Media units completed so far.</summary>
    public long UnitCount { get; private set; }

    /// <inheritdoc/>
    public Span<byte> NextPacket()
    {
        Commit();
        _pending = true;
        PacketCount++;
        return _output.GetSpan(TsPacket.Size)[..TsPacket.Size];
    }

    /// <inheritdoc/>
    public void EndOfUnit(bool endOfFrame)
    {
        Commit();
        UnitCount++;
    }

    private void Commit()
    {
        if (_pending)
        {
            _output.Advance(TsPacket.Size);
            _pending = false;
        }
    }
}
