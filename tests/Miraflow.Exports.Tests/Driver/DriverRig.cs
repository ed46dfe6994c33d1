using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Miraflow.Exports.Driver;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Control;
using Miraflow.Pipeline.Ts;
using Miraflow.Simulator.Os;
using Miraflow.Simulator.Sink;
using Xunit.Abstractions;

namespace Miraflow.Exports.Tests.Driver;

/// <summary>
/// The in-process driver as Windows drives it: the simulator's OS emulator calls the managed
/// exports through the function table (its callbacks are <c>[UnmanagedCallersOnly]</c>), hands
/// Start the socket it "accepted" from our sink emulator, and records every report.
/// </summary>
internal sealed class DriverRig : IAsyncDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly Socket _osSocket;
    private readonly Socket _sinkSocket;
    private readonly TcpRelay? _relay;
    private bool _stopped;
    private bool _destroyed;

    private DriverRig(ITestOutputHelper output, OsEmulator os, Socket osSocket, Socket sinkSocket, SinkEmulator sink, TcpRelay? relay)
    {
        _output = output;
        Os = os;
        _osSocket = osSocket;
        _sinkSocket = sinkSocket;
        Sink = sink;
        _relay = relay;
    }

    public OsEmulator Os { get; }

    public SinkEmulator Sink { get; }

    public int StartStatus { get; private set; }

    public MIRACAST_SESSION_INFO Info { get; private set; }

    /// <summary>The RTSP relay between driver and sink, when asked for (to make the sink stop reading).</summary>
    public TcpRelay Relay => _relay ?? throw new InvalidOperationException("The rig has no relay.");

    /// <summary>The driver's one live context (white box).</summary>
    public static DriverContext Context => Assert.Single(DriverExports.LiveContexts);

    /// <summary>The running session's controller (white box).</summary>
    public static SessionController Controller => Context.Session?.Controller ?? throw new InvalidOperationException("No session runs.");

    /// <summary>Creates a context, connects the sink and calls Start (which runs M1–M4 before it returns).</summary>
    public static async Task<DriverRig> StartAsync(
        ITestOutputHelper output,
        string? sink = null,
        ulong bitrate = 20_000_000,
        OsEmulatorOptions? os = null,
        Action<IServiceCollection>? services = null,
        bool relay = false,
        SinkEmulatorOptions? sinkOptions = null,
        TimeSpan sinkAnswerDelay = default)
    {
        DriverHooks.ConfigureServices = services;
        var emulator = new OsEmulator(DriverLibrary.InProcess(), os);
        Assert.Equal(STATUS.STATUS_SUCCESS, emulator.Create());

        (Socket osSocket, Socket driverEnd) = await LoopbackTcp.ConnectPairAsync();
        Socket sinkSocket = driverEnd;
        TcpRelay? tcpRelay = null;
        if (relay)
        {
            (Socket sinkSide, Socket sinkEnd) = await LoopbackTcp.ConnectPairAsync();
            tcpRelay = new TcpRelay(driverEnd, sinkSide, sinkAnswerDelay);
            sinkSocket = sinkEnd;
        }

        SinkEmulator sinkEmulator = SinkEmulator.Start(sinkSocket, sinkOptions ?? SinkEmulatorOptions.FromText(sink ?? TestSinks.Sink720p30));
        var rig = new DriverRig(output, emulator, osSocket, sinkSocket, sinkEmulator, tcpRelay);
        MIRACAST_WFD_CONNECTION_STATS stats = default;
        stats.CurrentBitRate = bitrate;
        stats.LocalMaxBitRate = 300_000_000;
        stats.RemoteMaxBitRate = 300_000_000;
        (rig.StartStatus, rig.Info) = await Task.Run(() =>
        {
            int status = emulator.Start(osSocket, stats, out MIRACAST_SESSION_INFO info);
            return (status, info);
        });
        output.WriteLine($"Start: 0x{rig.StartStatus:X8}, session info 0x{rig.Info.Value:X}, {emulator.StartDuration.TotalMilliseconds:F0} ms");
        return rig;
    }

    /// <summary>Waits until the sink receives media.</summary>
    public Task WaitUntilStreamingAsync() => Sink.Streaming.WaitAsync(TimeSpan.FromSeconds(20));

    /// <summary>Waits until <paramref name="condition"/> holds (polling), failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (!condition())
        {
            Assert.True(Environment.TickCount64 < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>The chunk statistics the driver reported, in order: (type, chunk type, frame, part).</summary>
    public IReadOnlyList<(MIRACAST_STATISTIC_TYPE Type, MIRACAST_CHUNK_TYPE Chunk, ulong Frame, ulong Part)> ChunkReports() =>
        [.. Os.Statistics
            .Select(r => r.Data)
            .Where(d => d.StatisticType != MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_EVENT)
            .Select(d => d.StatisticType == MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT
                ? (d.StatisticType, MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_UNKNOWN, d.ChunkSent.ChunkId.FrameNumber, d.ChunkSent.ChunkId.PartNumber)
                : (d.StatisticType, d.EncodeComplete.ChunkInfo.ChunkType, d.EncodeComplete.ChunkInfo.ChunkId.FrameNumber, d.EncodeComplete.ChunkInfo.ChunkId.PartNumber))];

    /// <summary>The protocol events the driver reported, in order.</summary>
    public IReadOnlyList<MIRACAST_PROTOCOL_EVENT> Events() =>
        [.. Os.Statistics.Where(r => r.Data.StatisticType == MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_EVENT).Select(r => r.Data.ProtocolEvent.Event)];

    /// <summary>The sink's capture with the audio PID removed (ffmpeg 5.1 cannot judge WFD LPCM).</summary>
    public byte[] VideoCapture() => TsPacketFilter.WithoutPid(Sink.CaptureTs(), TsPid.Audio);

    /// <summary>
    /// <see cref="VideoCapture"/> once the sink has read every datagram the stopped source sent: the
    /// last ones may still sit in the sink's socket when Stop returns, and a picture read half
    /// would decode as garbage. Waits until no datagram has come for 300 ms (at most 5 s).
    /// </summary>
    public async Task<byte[]> SettledVideoCaptureAsync()
    {
        long seen = -1;
        long quietSince = System.Diagnostics.Stopwatch.GetTimestamp();
        long begun = quietSince;
        while (System.Diagnostics.Stopwatch.GetElapsedTime(begun) < TimeSpan.FromSeconds(5))
        {
            long now = Sink.Statistics.Datagrams;
            if (now != seen)
            {
                seen = now;
                quietSince = System.Diagnostics.Stopwatch.GetTimestamp();
            }
            else if (System.Diagnostics.Stopwatch.GetElapsedTime(quietSince) >= TimeSpan.FromMilliseconds(300))
            {
                break;
            }

            await Task.Delay(20);
        }

        return VideoCapture();
    }

    public void Stop()
    {
        _stopped = true;
        Os.Stop();
        _output.WriteLine($"Stop: {Os.StopDuration.TotalMilliseconds:F0} ms");
    }

    public void Destroy()
    {
        if (!_stopped)
        {
            _stopped = true; // Destroy without Stop stops the session itself
        }

        _destroyed = true;
        Os.Destroy();
        _output.WriteLine($"Destroy: {Os.DestroyDuration.TotalMilliseconds:F0} ms");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_destroyed)
            {
                if (!_stopped)
                {
                    Stop();
                }

                Destroy();
            }

            foreach (string violation in Os.Violations)
            {
                _output.WriteLine($"violation: {violation}");
            }

            foreach (string error in Os.Errors)
            {
                _output.WriteLine($"emulator error: {error}");
            }
        }
        finally
        {
            DriverHooks.ConfigureServices = null;
            await Sink.DisposeAsync();
            _relay?.Dispose();
            _sinkSocket.Dispose();
            _osSocket.Dispose(); // the OS closes its socket after Stop and Destroy (§2.4)
            Os.Dispose();
        }
    }
}

/// <summary>
/// Copies bytes both ways between two sockets (the driver's end <c>a</c>, the sink's <c>b</c>) until
/// frozen: a frozen relay is a peer that stopped reading. What the sink sends can be held back a
/// while first: a sink that answers late.
/// </summary>
internal sealed class TcpRelay : IDisposable
{
    private readonly Socket _a;
    private readonly Socket _b;
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _frozen;

    public TcpRelay(Socket a, Socket b, TimeSpan sinkDelay = default)
    {
        _a = a;
        _b = b;
        _ = PumpAsync(a, b, TimeSpan.Zero);
        _ = PumpAsync(b, a, sinkDelay);
    }

    /// <summary>Stops reading from either side: what the driver sends stays in the kernel's buffers, nothing reaches the sink.</summary>
    public void Freeze() => _frozen = true;

    public void Dispose()
    {
        _stop.Cancel();
        _a.Dispose();
        _b.Dispose();
        _stop.Dispose();
    }

    private async Task PumpAsync(Socket from, Socket to, TimeSpan delay)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                if (_frozen)
                {
                    await Task.Delay(50, _stop.Token);
                    continue;
                }

                int read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0 || _frozen)
                {
                    return; // a read that raced the freeze is dropped: the peer "stopped reading" before it
                }

                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _stop.Token);
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }
}
