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
        string snippet = Region(File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "Miraflow.Rtsp.Tests", "ReadmeSnippets.cs")));
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        Assert.Contains(snippet, readme.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
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

    /// <summary>The lines between the snippet markers, de-indented to the marker's column.</summary>
    private static string Region(string source)
    {
        string[] lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        int begin = Array.FindIndex(lines, l => l.Contains("begin-snippet: serve-one-sink", StringComparison.Ordinal));
        int end = Array.FindIndex(lines, l => l.Contains("end-snippet", StringComparison.Ordinal));
        int indent = lines[begin].IndexOf("//", StringComparison.Ordinal);
        return string.Join('\n', lines[(begin + 1)..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }
}
