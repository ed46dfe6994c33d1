using System.Net;
using System.Net.Sockets;
using Miraflow.Pipeline.Rtp;

namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>
/// Sends the datagrams of a <see cref="DatagramBatch"/> one system call each on a connected UDP
/// socket.
/// </summary>
/// <remarks>
/// A stand-in until <c>Miraflow.Pipeline.Transport.UdpMediaSender</c> (another branch) is
/// merged; then the integration tests should send through it. It deliberately never uses UDP
/// segmentation offload (GSO): a capture on <c>lo</c> shows a GSO send as one large UDP packet,
/// which would hide the datagram boundaries the capture test checks.
/// </remarks>
internal sealed class PlainUdpSender : IDisposable
{
    private readonly Socket _socket;

    public PlainUdpSender(IPEndPoint destination)
    {
        _socket = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Connect(destination);
    }

    /// <summary>Datagrams sent so far.</summary>
    public long DatagramsSent { get; private set; }

    /// <summary>Sends every datagram of <paramref name="batch"/>, in order.</summary>
    public void Send(DatagramBatch batch)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            Send(batch[i]);
        }
    }

    /// <summary>Sends one datagram.</summary>
    public void Send(ReadOnlySpan<byte> datagram)
    {
        int sent = _socket.Send(datagram);
        if (sent != datagram.Length)
        {
            throw new InvalidOperationException($"Sent {sent} of {datagram.Length} bytes of a datagram.");
        }

        DatagramsSent++;
    }

    public void Dispose() => _socket.Dispose();
}
