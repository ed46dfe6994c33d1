using System.Net.Sockets;
using Miraflow.Exports.Interop;
using Miraflow.Simulator.Os;

namespace Miraflow.Simulator.Tests.Os;

/// <summary>Lifecycle helpers (outside the unsafe helpers, so they can await).</summary>
internal static class OsSession
{
    /// <summary>Create and Start against the fake driver; the caller disposes the sockets.</summary>
    public static async Task<(Socket Source, Socket Sink)> StartAsync(OsEmulator os)
    {
        Assert.Equal(STATUS.STATUS_SUCCESS, os.Create());
        (Socket source, Socket sink) = await LoopbackTcp.ConnectPairAsync();
        Assert.Equal(STATUS.STATUS_SUCCESS, os.Start(source, new MIRACAST_WFD_CONNECTION_STATS { CurrentBitRate = 10_000_000 }, out _));
        FakeDriver.ThrowHookFailure();
        return (source, sink);
    }
}
