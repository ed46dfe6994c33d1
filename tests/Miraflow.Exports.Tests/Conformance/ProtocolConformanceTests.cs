using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Miraflow.Exports.Interop;
using Miraflow.Exports.Tests.Driver;
using Miraflow.Simulator.Os;
using Miraflow.Simulator.Sink;
using Xunit.Abstractions;

namespace Miraflow.Exports.Tests.Conformance;

/// <summary>
/// HLK wireless-display protocol tests under simulation (contract §4.3): a sink that fails to set
/// the mode, and a sink that answers with corrupted messages.
/// </summary>
[Collection(DriverTestGroup.Name)]
[Trait("Category", "integration")]
public sealed class ProtocolConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Sink_failed_to_set_mode_M4_goes_out_within_15_s_and_start_fails_without_a_monitor()
    {
        // HLK "Verify Sink Failed To Set Mode": our M4 goes out at once; the sink refuses every format.
        var refusing = new SinkEmulatorOptions { Capabilities = SinkEmulatorOptions.FromText(TestSinks.Sink720p30).Capabilities, AcceptFormat = _ => false };
        var clock = Stopwatch.StartNew();
        await using DriverRig rig = await DriverRig.StartAsync(output, sinkOptions: refusing);

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(15));
        Assert.Equal(STATUS.STATUS_NOT_SUPPORTED, rig.StartStatus); // the session ended with SinkFailedModeChange inside Start
        Assert.Equal(0u, rig.Info.Value);
        await Task.Delay(300);
        Assert.DoesNotContain(rig.Os.IoControls, r => r.Type == Pipeline.Chunks.KernelMessageType.MonitorArrival);
        Assert.Empty(rig.Os.Violations);
    }

    [Fact]
    public async Task A_sink_that_answers_every_message_late_but_within_the_timeouts_keeps_its_session()
    {
        // HLK "Verify Message Timeouts": delayed protocol messages are handled; the session stays started.
        await using DriverRig rig = await DriverRig.StartAsync(output, relay: true, sinkAnswerDelay: TimeSpan.FromMilliseconds(1500));

        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
        Assert.True(rig.Os.StartDuration >= TimeSpan.FromSeconds(3), $"M1–M4 with 1.5 s late answers took {rig.Os.StartDuration}");
        await rig.WaitUntilStreamingAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(rig.Os.SessionStatuses);
        rig.Stop();
        Assert.InRange(rig.Os.StopDuration, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Empty(rig.Os.Violations);
    }

    [Fact]
    public async Task A_sink_that_answers_with_corrupted_messages_fails_start_quickly_and_nothing_crashes()
    {
        // HLK "Verify Protocol": corrupted or incomplete sequences ⇒ the driver times out and disconnects.
        using var os = new OsEmulator(DriverLibrary.InProcess());
        Assert.Equal(STATUS.STATUS_SUCCESS, os.Create());
        (Socket osSocket, Socket sinkSocket) = await LoopbackTcp.ConnectPairAsync();
        using (osSocket)
        using (sinkSocket)
        {
            Task hostile = Task.Run(async () =>
            {
                byte[] buffer = new byte[4096];
                _ = await sinkSocket.ReceiveAsync(buffer, SocketFlags.None); // our M1
                await sinkSocket.SendAsync(Encoding.ASCII.GetBytes("RTSP/1.0 200 OK\r\nCSeq: banana\r\nContent-Length: -5\r\n\r\n\0\0\xff garbage \r\n\r\n"), SocketFlags.None);
            });

            var clock = Stopwatch.StartNew();
            int status = await Task.Run(() => os.Start(osSocket, new MIRACAST_WFD_CONNECTION_STATS { CurrentBitRate = 20_000_000 }, out _));
            output.WriteLine($"Start: 0x{status:X8} after {clock.ElapsedMilliseconds} ms");
            await hostile;

            Assert.NotEqual(STATUS.STATUS_SUCCESS, status);
            Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10)); // the RTSP answer timeout (5 s) at most, not the 20 s Start bound
            os.Destroy();
            Assert.InRange(os.DestroyDuration, TimeSpan.Zero, TimeSpan.FromSeconds(3));
            Assert.Empty(os.Violations);
        }
    }
}
