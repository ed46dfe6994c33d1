using System.Net;
using System.Net.Sockets;

namespace Miraflow.Pipeline.Tests.Transport;

/// <summary>
/// A UDP socket bound to a loopback port that receives datagram by datagram, each receive with a
/// timeout so no test can hang. Its receive buffer is raised to 4 MiB so a 150-datagram burst fits.
/// </summary>
internal sealed class LoopbackReceiver : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[65536];

    public LoopbackReceiver(AddressFamily family = AddressFamily.InterNetwork, int port = 0)
    {
        _socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        IPAddress loopback = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        _socket.Bind(new IPEndPoint(loopback, port));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>A loopback port that was free a moment ago (bound, then closed): nothing listens on it.</summary>
    public static IPEndPoint ClosedPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)probe.LocalEndPoint!;
    }

    /// <summary>The next datagram, or a test failure after <see cref="Timeout"/>.</summary>
    public byte[] Receive() => Receive(out _);

    /// <summary>The next datagram and its sender, or a test failure after <see cref="Timeout"/>.</summary>
    public byte[] Receive(out IPEndPoint from)
    {
        if (!_socket.Poll(Timeout, SelectMode.SelectRead))
        {
            Assert.Fail($"No datagram arrived at {EndPoint} within {Timeout}.");
        }

        EndPoint any = new IPEndPoint(EndPoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        int length = _socket.ReceiveFrom(_buffer, ref any);
        from = (IPEndPoint)any;
        return _buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>The next <paramref name="count"/> datagrams, in arrival order.</summary>
    public List<byte[]> Receive(int count)
    {
        var datagrams = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            datagrams.Add(Receive());
        }

        return datagrams;
    }

    /// <summary>Whether a datagram arrives within <paramref name="wait"/>.</summary>
    public bool Arrives(TimeSpan wait) => _socket.Poll(wait, SelectMode.SelectRead);

    /// <summary>Reads and drops whatever has arrived.</summary>
    public int Drain()
    {
        int dropped = 0;
        while (_socket.Available > 0)
        {
            _socket.Receive(_buffer);
            dropped++;
        }

        return dropped;
    }

    public void Dispose() => _socket.Dispose();
}
