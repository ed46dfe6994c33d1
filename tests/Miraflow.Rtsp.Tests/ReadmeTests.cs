using System.Net;
using System.Net.Sockets;
using Miraflow.Rtsp.Sessions;
using Miraflow.Rtsp.Tests.TestSupport;
using Miraflow.Rtsp.Transport;

namespace Miraflow.Rtsp.Tests;

[Trait("Category", "integration")]
public sealed class ReadmeTests
{
    [Fact]
    public void Readme_ShowsTheCompiledSnippet()
    {
        string snippet = ReadmeSnippet.Region("tests/Miraflow.Rtsp.Tests/ReadmeSnippets.cs", "serve-one-sink");
        Assert.Contains(snippet, ReadmeSnippet.Readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snippet_ServesOurSinkUntilItTearsDown()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var log = new StringWriter();
        Task serve = ReadmeSnippets.ServeOneSinkAsync(listener, log);

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(listener.LocalEndpoint);
        await using var sink = new RtspSocketRunner<SinkSession>(socket, new SinkSession());
        var events = new EventLog(sink.Events);
        sink.Start();
        await events.WaitFor<SinkPlaying>();
        await sink.InvokeAsync(s => s.Teardown());
        await serve.WaitAsync(TimeSpan.FromSeconds(10));

        string output = log.ToString();
        Assert.Contains("stream MPEG-TS over RTP to port 19000", output, StringComparison.Ordinal);
        Assert.Contains("ended: SinkDisconnectRequest", output, StringComparison.Ordinal);
    }
}
