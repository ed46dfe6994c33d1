using System.Net.Sockets;
using Miraflow.Rtsp.Sessions;
using Miraflow.Rtsp.Transport;

namespace Miraflow.Rtsp.Tests;

/// <summary>
/// The code shown in README.md, compiled and run here so it cannot rot:
/// <see cref="ReadmeTests"/> checks that the README holds exactly the region below and runs it.
/// </summary>
internal static class ReadmeSnippets
{
    public static async Task ServeOneSinkAsync(TcpListener listener, TextWriter log)
    {
        // begin-snippet: serve-one-sink
        // The sink dials the source (port 7236 in WFD); we serve one RTSP session on that socket.
        using Socket socket = await listener.AcceptSocketAsync();
        var session = new SourceSession(new SourceSessionOptions { SuggestedBitrate = 8_000_000 });
        await using var runner = new RtspSocketRunner<SourceSession>(socket, session);
        runner.Start();

        await foreach (SessionEvent e in runner.Events.ReadAllAsync())
        {
            switch (e)
            {
                case CapabilitiesReceived caps:
                    log.WriteLine(caps.Negotiation.Reason);
                    break;
                case PlayStarted play:
                    log.WriteLine($"stream MPEG-TS over RTP to port {play.RtpPort}");
                    break;
                case IdrRequested:
                    log.WriteLine("the sink wants an IDR picture");
                    break;
                case SessionEnded end:
                    log.WriteLine($"ended: {end.Reason} ({end.Detail})");
                    break;
            }
        }
        // end-snippet
    }
}
