using System.Net;
using System.Net.Sockets;

namespace Miraflow.Benchmarks;

/// <summary>
/// A UDP socket on 127.0.0.1 that a background thread drains and discards, counting what
/// arrives, so a sender to it gets no ICMP errors and its datagrams are really delivered.
/// </summary>
/// <remarks>
/// The receive buffer is made as large as the system allows (64 MiB asked; Linux caps
/// <c>SO_RCVBUF</c> at <c>net.core.rmem_max</c>, so <c>SO_RCVBUFFORCE</c> is tried too, which
/// root may use). The thread never allocates (errors come back as codes, the
/// receive times out every 100 ms to look at the stop flag), so it does not show up in
/// BenchmarkDotNet's allocation column, which counts every thread.
/// </remarks>
internal sealed class LoopbackReceiver : IDisposable
{
    private readonly Socket _socket;
    private readonly Thread _thread;
    private long _datagrams;
    private long _bytes;
    private volatile bool _stopping;

    public LoopbackReceiver(int receiveBufferSize = 64 * 1024 * 1024)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = receiveBufferSize,
            ReceiveTimeout = 100,
        };
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // SO_RCVBUFFORCE (SOL_SOCKET 1, option 33) passes net.core.rmem_max with CAP_NET_ADMIN.
                _socket.SetRawSocketOption(1, 33, BitConverter.GetBytes(receiveBufferSize));
            }
            catch (SocketException)
            {
                // Not privileged: keep what SO_RCVBUF got.
            }
        }
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _thread = new Thread(Drain) { IsBackground = true, Name = "loopback receiver" };
        _thread.Start();
    }

    /// <summary>Where to send.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The receive buffer the kernel granted.</summary>
    public int ReceiveBufferSize => _socket.ReceiveBufferSize;

    /// <summary>Datagrams received so far.</summary>
    public long Datagrams => Interlocked.Read(ref _datagrams);

    /// <summary>Bytes received so far.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Waits until nothing has arrived for <paramref name="quiet"/>, then returns the counts.</summary>
    public (long Datagrams, long Bytes) WaitForQuiet(TimeSpan quiet)
    {
        long last = -1;
        while (Datagrams != last)
        {
            last = Datagrams;
            Thread.Sleep(quiet);
        }

        return (Datagrams, Bytes);
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        _socket.Dispose();
    }

    private void Drain()
    {
        byte[] buffer = new byte[65536];
        while (!_stopping)
        {
            int n = _socket.Receive(buffer, SocketFlags.None, out SocketError error);
            if (error == SocketError.Success)
            {
                Interlocked.Increment(ref _datagrams);
                Interlocked.Add(ref _bytes, n);
            }
        }
    }
}
