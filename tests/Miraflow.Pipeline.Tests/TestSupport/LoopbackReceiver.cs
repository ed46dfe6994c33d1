using System.Net;
using System.Net.Sockets;

namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>
/// A UDP socket on 127.0.0.1 that keeps a copy of every datagram it receives, in arrival order.
/// It also gives a capture test a listening port, so the sends do not draw ICMP port-unreachable
/// errors.
/// </summary>
/// <param name="keep">Whether to keep the datagrams; a receiver that only drains counts them.</param>
internal sealed class LoopbackReceiver : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte[]> _datagrams = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly bool _keep;
    private int _count;

    public LoopbackReceiver(bool keep = true)
    {
        _keep = keep;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        // As much room as the kernel grants (net.core.rmem_max caps it), for bursts of IDR datagrams.
        _socket.ReceiveBufferSize = 8 * 1024 * 1024;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Where to send.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Datagrams received so far.</summary>
    public int Count
    {
        get
        {
            return Volatile.Read(ref _count);
        }
    }

    /// <summary>A copy of the list of datagrams received so far, in arrival order.</summary>
    public List<byte[]> Snapshot()
    {
        lock (_datagrams)
        {
            return [.. _datagrams];
        }
    }

    /// <summary>
    /// Waits until at least <paramref name="count"/> datagrams have arrived; fails with how many
    /// did when <paramref name="timeout"/> passes first (a datagram was lost).
    /// </summary>
    public async Task WaitForCountAsync(long count, TimeSpan timeout)
    {
        long giveUp = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Count < count)
        {
            long left = giveUp - Environment.TickCount64;
            if (left <= 0 || _loop.IsCompleted)
            {
                await _loop.ConfigureAwait(false); // surfaces a receive error, if that is why
                throw new TimeoutException($"Received {Count} datagrams on {EndPoint}; waited {timeout.TotalSeconds:F0} s for {count}.");
            }

            await _arrived.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(left, 100))).ConfigureAwait(false);
        }
    }

    /// <summary>The blocking form of <see cref="WaitForCountAsync"/>, for a sending thread that paces itself on the receiver.</summary>
    public void WaitForCount(long count, TimeSpan timeout)
    {
        long giveUp = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Count < count)
        {
            long left = giveUp - Environment.TickCount64;
            if (left <= 0 || _loop.IsCompleted)
            {
                throw new TimeoutException($"Received {Count} datagrams on {EndPoint}; waited {timeout.TotalSeconds:F0} s for {count} (a datagram was lost, or receiving failed: {_loop.Exception?.GetBaseException().Message ?? "no error"}).");
            }

            _arrived.Wait(TimeSpan.FromMilliseconds(Math.Min(left, 100)));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _arrived.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[65_536];
        while (!_stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || (e is SocketException && _stop.IsCancellationRequested))
            {
                return;
            }

            if (_keep)
            {
                lock (_datagrams)
                {
                    _datagrams.Add(buffer.AsSpan(0, received).ToArray());
                }
            }

            Interlocked.Increment(ref _count);
            _arrived.Release();
        }
    }
}
