using System.Net;
using System.Net.Sockets;

namespace Miraflow.Testing;

/// <summary>A connected TCP pair on 127.0.0.1: the sink dials, the source accepts, as in WFD.</summary>
public static class LoopbackTcp
{
    /// <summary>Connects a new pair; the caller disposes both sockets.</summary>
    public static async Task<(Socket Source, Socket Sink)> ConnectPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var sink = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Task connect = sink.ConnectAsync(listener.LocalEndpoint);
        Socket source = await listener.AcceptSocketAsync().ConfigureAwait(false);
        await connect.ConfigureAwait(false);
        listener.Stop();
        return (source, sink);
    }
}
