using System.Net;
using System.Net.Sockets;
using Miraflow.Pipeline.Rtp;

namespace Miraflow.Benchmarks;

/// <summary>
/// Opens the UDP sender the benchmarks and <c>mux-send</c> use. The one place that names the
/// sender type (with the alias in <c>GlobalUsings.cs</c>): switching to
/// <c>Miraflow.Pipeline.Transport.UdpMediaSender</c> is that alias and this body.
/// </summary>
internal static class BenchUdp
{
    /// <summary>A sender connected to <paramref name="remote"/>, with or without segmentation offload.</summary>
    public static MediaSender Open(IPEndPoint remote, bool offload) => new(remote, offload);
}

/// <summary>
/// A minimal stand-in for <c>UdpMediaSender</c> (branch <c>udp</c>, not merged yet) with the
/// same surface: a connected socket, <see cref="Send"/> of a <see cref="DatagramBatch"/>,
/// and Linux <c>UDP_SEGMENT</c> offload when asked for.
/// </summary>
/// <remarks>
/// With offload, a run of datagrams of the first one's size (ended by a shorter one, at most
/// 64 datagrams and 65507 bytes) leaves in one <c>send</c> and the kernel splits it
/// (<c>udp(7)</c>); the segment size is set once on the socket, since the packetizer's
/// datagrams are never longer than 1328 bytes. Errors are counted, never thrown, so a send
/// allocates nothing.
/// </remarks>
internal sealed class StandInUdpSender : IDisposable
{
    private const int SolUdp = 17;
    private const int UdpSegment = 103;
    private const int MaxSegments = 64;
    private const int MaxBytesPerSend = 65507;
    private const int SegmentSize = 12 + (7 * 188);

    private readonly Socket _socket;
    private long _datagrams;
    private long _bytes;
    private long _calls;
    private long _errors;

    public StandInUdpSender(IPEndPoint remote, bool offload)
    {
        ArgumentNullException.ThrowIfNull(remote);
        _socket = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { SendBufferSize = 1024 * 1024 };
        _socket.Connect(remote);
        if (offload)
        {
            if (!OperatingSystem.IsLinux())
            {
                throw new PlatformNotSupportedException("The stand-in sender offloads only on Linux (UDP_SEGMENT).");
            }

            _socket.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(SegmentSize));
        }

        UsesSegmentationOffload = offload;
    }

    /// <summary>Whether runs of datagrams leave in one system call.</summary>
    public bool UsesSegmentationOffload { get; }

    /// <summary>Counters since the sender was opened.</summary>
    public (long DatagramsSent, long BytesSent, long SendCalls, long SendErrors) Statistics => (_datagrams, _bytes, _calls, _errors);

    /// <summary>Sends every datagram of <paramref name="batch"/>.</summary>
    public void Send(DatagramBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ReadOnlySpan<byte> bytes = batch.Bytes;
        int count = batch.Count;
        int index = 0;
        while (index < count)
        {
            (int offset, int size) = batch.GetRange(index);
            int run = 1;
            int runBytes = size;
            if (UsesSegmentationOffload && size <= SegmentSize)
            {
                while (index + run < count && run < MaxSegments)
                {
                    int next = batch.GetRange(index + run).Length;
                    if (next > size || runBytes + next > MaxBytesPerSend || size != SegmentSize)
                    {
                        break;
                    }

                    run++;
                    runBytes += next;
                    if (next < size)
                    {
                        break;
                    }
                }
            }

            _socket.Send(bytes.Slice(offset, runBytes), SocketFlags.None, out SocketError error);
            _calls++;
            if (error == SocketError.Success)
            {
                _datagrams += run;
                _bytes += runBytes;
            }
            else
            {
                _errors++;
            }

            index += run;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();
}
