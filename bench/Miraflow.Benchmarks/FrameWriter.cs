using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Benchmarks;

/// <summary>
/// The send stage's per-frame work without the socket: mux one access unit into TS packets and
/// pack them into RTP datagrams, in place, in one reused <see cref="DatagramBatch"/>.
/// </summary>
/// <remarks>
/// Frame <c>n</c> is stamped <c>n / frameRate</c> seconds for its PTS, DTS, PCR and RTP
/// timestamp, as a live source whose capture time is "now" would stamp it. So PAT, PMT and PCR
/// go out as often as in a real 60 fps session (about every 100 ms of stream time), however fast
/// the frames are written. Video only: the PMT announces no audio stream, as ffmpeg's and
/// GStreamer's output in <c>bench/compare-mux.sh</c> has none.
/// </remarks>
internal sealed class FrameWriter : IDisposable
{
    private readonly TsMuxer _muxer = new(new TsMuxerOptions { Audio = TsAudio.None });
    private readonly RtpPacketizer _packetizer = new(new RtpPacketizerOptions { Ssrc = 0x4D464C57, InitialSequenceNumber = 0, TimestampOffset = 0 });
    private readonly DatagramBatch _batch = new(256 * 1024);
    private readonly int _frameRate;
    private long _frame;

    /// <summary>Creates a writer for a stream of <paramref name="frameRate"/> frames per second.</summary>
    public FrameWriter(int frameRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameRate);
        _frameRate = frameRate;
    }

    /// <summary>What the muxer has written.</summary>
    public TsMuxerStatistics Statistics => _muxer.Statistics;

    /// <summary>The datagrams written.</summary>
    public long Datagrams => _packetizer.PacketCount;

    /// <summary>
    /// Muxes and packetizes the next frame into the writer's batch, which it returns; the batch
    /// is valid until the next call.
    /// </summary>
    public DatagramBatch Write(ReadOnlySpan<byte> accessUnit) => WriteInto(_batch, accessUnit);

    /// <summary>Muxes and packetizes the next frame into <paramref name="batch"/> (emptied first).</summary>
    public DatagramBatch WriteInto(DatagramBatch batch, ReadOnlySpan<byte> accessUnit)
    {
        MediaTime now = MediaTime.FromSampleIndex(_frame++, _frameRate);
        batch.Clear();
        RtpPacketizer packetizer = _packetizer;
        packetizer.Begin(batch, now);
        _muxer.WriteVideo(ref packetizer, accessUnit, now, now, now);
        return batch;
    }

    /// <inheritdoc/>
    public void Dispose() => _batch.Dispose();
}

/// <summary>
/// A TS packet sink that keeps nothing: every packet is written into the same 188-byte slot.
/// A struct, so the muxer's calls to it are specialised and not virtual.
/// </summary>
internal struct DiscardSink(byte[] slot) : ITsPacketSink
{
    private readonly byte[] _slot = slot;

    /// <summary>Packets written.</summary>
    public long Packets { get; private set; }

    /// <summary>Media units ended.</summary>
    public long Units { get; private set; }

    /// <inheritdoc/>
    public Span<byte> NextPacket()
    {
        Packets++;
        return _slot.AsSpan(0, TsPacket.Size);
    }

    /// <inheritdoc/>
    public void EndOfUnit(bool endOfFrame) => Units++;
}
