using System.Globalization;
using System.Text;
using Miraflow.Exports.Interop;
using Miraflow.Exports.Tests.Driver;
using Miraflow.Pipeline.Chunks;
using Miraflow.Simulator.Os;
using Xunit.Abstractions;

namespace Miraflow.Exports.Tests.Conformance;

/// <summary>
/// HLK "Verify Monitor Arrival Departure", "Verify Monitor Disconnect", "Verify Edid" and "Verify
/// Connector Type" under simulation (contract §4.3, §2.8): one arrival per session with the sink's
/// connector and unmodified EDID, the KMD's departure at Destroy, and a departure when the sink says
/// its monitor was unplugged.
/// </summary>
[Collection(DriverTestGroup.Name)]
[Trait("Category", "integration")]
public sealed class MonitorConformanceTests(ITestOutputHelper output)
{
    private const int Swaps = 12;

    [Fact]
    public async Task Repeated_display_swaps_report_one_arrival_each_with_the_sinks_connector_and_unmodified_edid()
    {
        // Three sinks in turn: an HDMI TV with a two-block EDID, a sink that is its own display
        // (connector 07, one block) and an adapter with no monitor behind it (no arrival at all).
        byte[] twoBlocks = Edid(2, seed: 0x11);
        byte[] oneBlock = Edid(1, seed: 0x5A);
        (string Caps, byte[]? Edid, uint Connector)[] sinks =
        [
            (WithMonitor(TestSinks.Sink720p30, "05", twoBlocks), twoBlocks, 5),
            (WithMonitor(TestSinks.Sink720p30, "07", oneBlock), oneBlock, MonitorArrivalMessage.VotMiracast),
            (WithMonitor(TestSinks.Sink720p30, "none", null), null, 0),
        ];

        for (int i = 0; i < Swaps; i++)
        {
            (string caps, byte[]? edid, uint connector) = sinks[i % sinks.Length];
            await using DriverRig rig = await DriverRig.StartAsync(output, sink: caps);
            Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
            Assert.Equal(edid is null ? 0u : 1u, rig.Info.MonitorConnected);
            await rig.WaitUntilStreamingAsync();
            if (edid is null)
            {
                await Task.Delay(300);
                Assert.Null(rig.Os.Monitor);
                Assert.DoesNotContain(rig.Os.IoControls, r => r.Type == KernelMessageType.MonitorArrival);
            }
            else
            {
                await DriverRig.WaitUntilAsync(() => rig.Os.Monitor is not null, TimeSpan.FromSeconds(5), "the arrival");
                MonitorArrivalMessage monitor = rig.Os.Monitor!.Value;
                Assert.Equal(connector, monitor.ConnectorType);
                Assert.Equal(edid, monitor.Edid.ToArray()); // passed through unmodified
                IoControlRecord arrival = Assert.Single(rig.Os.IoControls, r => r.Type == KernelMessageType.MonitorArrival);
                Assert.False(arrival.StartInProgress);
                Assert.Equal([MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_ARRIVE], rig.Events().Where(e => e != MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_IFRAME_RQ));
            }

            rig.Stop();
            rig.Destroy();
            Assert.Null(rig.Os.Monitor); // the KMD's DestroyContext reports the departure
            Assert.DoesNotContain(rig.Os.IoControls, r => r.Type == KernelMessageType.MonitorDeparture); // never the UMD's on Stop
            Assert.Empty(rig.Os.SessionStatuses);
            Assert.Empty(rig.Os.Violations);
        }
    }

    [Fact]
    public async Task A_monitor_unplugged_at_the_sink_is_reported_as_a_departure_and_the_session_stops()
    {
        await using DriverRig rig = await DriverRig.StartAsync(output);
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
        await rig.WaitUntilStreamingAsync();
        await DriverRig.WaitUntilAsync(() => rig.Os.Monitor is not null, TimeSpan.FromSeconds(5), "the arrival");

        await rig.Sink.UnplugMonitorAsync();
        await DriverRig.WaitUntilAsync(() => rig.Os.SessionStatuses.Count > 0, TimeSpan.FromSeconds(5), "the session status");

        Assert.Null(rig.Os.Monitor);
        IoControlRecord departure = Assert.Single(rig.Os.IoControls, r => r.Type == KernelMessageType.MonitorDeparture);
        SessionStatusRecord status = Assert.Single(rig.Os.SessionStatuses);
        Assert.True(departure.Timestamp < status.Timestamp, "the departure comes before the status");
        Assert.Equal(MIRACAST_STATUS.MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST, status.Status);
        Assert.Equal(MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_DEPART, rig.Events()[^1]);
        rig.Stop(); // the OS tears the session down on the status; the socket is its to close
        Assert.InRange(rig.Os.StopDuration, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Single(rig.Os.SessionStatuses); // Stop reports nothing more
        Assert.Empty(rig.Os.Violations);
    }

    /// <summary>A sink answering M3 with this connector type and EDID (null: <c>none</c>).</summary>
    private static string WithMonitor(string caps, string connector, byte[]? edid)
    {
        string edidValue = edid is null ? "none"
            : string.Create(CultureInfo.InvariantCulture, $"{edid.Length / 128:x4} {Convert.ToHexStringLower(edid)}");
        var text = new StringBuilder();
        foreach (string line in caps.Split("\r\n"))
        {
            text.Append(line.StartsWith("wfd_display_edid:", StringComparison.Ordinal) ? "wfd_display_edid: " + edidValue
                : line.StartsWith("wfd_connector_type:", StringComparison.Ordinal) ? "wfd_connector_type: " + connector
                : line).Append("\r\n");
        }

        return text.ToString().TrimEnd('\r', '\n') + "\r\n";
    }

    /// <summary>An EDID-shaped test pattern: the fixed header, then bytes from the seed.</summary>
    private static byte[] Edid(int blocks, byte seed)
    {
        byte[] edid = new byte[blocks * 128];
        for (int i = 0; i < edid.Length; i++)
        {
            edid[i] = unchecked((byte)(seed + (i * 7)));
        }

        ((ReadOnlySpan<byte>)[0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]).CopyTo(edid);
        return edid;
    }
}
