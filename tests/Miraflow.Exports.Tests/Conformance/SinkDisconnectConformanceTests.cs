using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Miraflow.Exports.Driver;
using Miraflow.Exports.Interop;
using Miraflow.Exports.Tests.Driver;
using Miraflow.Pipeline.Chunks;
using Miraflow.Simulator.Os;
using Xunit.Abstractions;

namespace Miraflow.Exports.Tests.Conformance;

/// <summary>
/// HLK "Verify Sink Disconnect" under simulation (contract §4.3, §2.9): the keep-alive timeout the
/// source advertises is within 10–120 s and is honoured, and each way a sink leaves is reported
/// with its own reason.
/// </summary>
[Collection(DriverTestGroup.Name)]
[Trait("Category", "integration")]
public sealed class SinkDisconnectConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_driver_advertises_a_30_s_keep_alive_and_a_sinks_TEARDOWN_is_reported_as_its_disconnect_request()
    {
        await using DriverRig rig = await DriverRig.StartAsync(output);
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
        await rig.WaitUntilStreamingAsync();
        Assert.Equal(30, rig.Sink.AdvertisedSessionTimeoutSeconds);
        Assert.InRange(rig.Sink.AdvertisedSessionTimeoutSeconds!.Value, 10, 120);

        Assert.NotNull(await rig.Sink.TeardownAsync());
        await DriverRig.WaitUntilAsync(() => rig.Os.SessionStatuses.Count > 0, TimeSpan.FromSeconds(5), "the session status");
        SessionStatusRecord status = Assert.Single(rig.Os.SessionStatuses);
        Assert.Equal(MIRACAST_STATUS.MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST, status.Status);
        Assert.Equal(STATUS.STATUS_CONNECTION_DISCONNECTED, status.NtStatus);
        Assert.DoesNotContain(rig.Os.IoControls, r => r.Type == KernelMessageType.MonitorDeparture);
        Assert.Empty(rig.Os.Violations);
    }

    [Fact]
    public async Task A_sink_that_stops_answering_keep_alives_ends_the_session_with_MISSING_KEEPALIVE_within_the_advertised_timeout()
    {
        // The shortest timeout the HLK allows, so the test takes seconds: M16 every 5 s, 10 s for each answer.
        await using DriverRig rig = await DriverRig.StartAsync(output,
            services: s => s.Configure<DriverSessionOptions>(o => o.SessionTimeoutSeconds = 10));
        Assert.Equal(STATUS.STATUS_SUCCESS, rig.StartStatus);
        await rig.WaitUntilStreamingAsync();
        Assert.Equal(10, rig.Sink.AdvertisedSessionTimeoutSeconds);

        // One keep-alive answered: the session lives past its first interval.
        await DriverRig.WaitUntilAsync(() => rig.Sink.KeepAlivesReceived >= 1, TimeSpan.FromSeconds(8), "the first M16");
        await Task.Delay(200);
        Assert.Empty(rig.Os.SessionStatuses);

        await rig.Sink.StopAnsweringKeepAlivesAsync();
        var silent = Stopwatch.StartNew();
        await DriverRig.WaitUntilAsync(() => rig.Os.SessionStatuses.Count > 0, TimeSpan.FromSeconds(20), "MISSING_KEEPALIVE");
        output.WriteLine($"MISSING_KEEPALIVE {silent.Elapsed.TotalSeconds:F1} s after the sink fell silent; {rig.Sink.KeepAlivesReceived} M16 received");

        // The next M16 goes out within 5 s and may wait 10 s for its answer: 15 s at most (+ scheduling on a loaded machine).
        Assert.InRange(silent.Elapsed, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(18));
        SessionStatusRecord status = Assert.Single(rig.Os.SessionStatuses);
        Assert.Equal(MIRACAST_STATUS.MIRACAST_STATUS_MISSING_KEEPALIVE, status.Status);
        Assert.Equal(STATUS.STATUS_IO_TIMEOUT, status.NtStatus);
        Assert.Empty(rig.Os.Violations);
    }

    [Fact]
    public void The_default_keep_alive_settings_are_inside_the_HLK_range()
    {
        var defaults = new DriverSessionOptions();
        Assert.InRange(defaults.SessionTimeoutSeconds, 10, 120);
        Assert.Equal(TimeSpan.FromSeconds(10), defaults.KeepAliveResponseTimeout);
    }
}
