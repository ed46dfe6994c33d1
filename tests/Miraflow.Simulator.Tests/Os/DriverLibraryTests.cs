using System.Net.Sockets;
using Miraflow.Exports.Interop;
using Miraflow.Simulator.Os;

namespace Miraflow.Simulator.Tests.Os;

/// <summary>The real in-process Miraflow driver, reached as the OS reaches it.</summary>
[Collection(OsTestGroup.Name)]
[Trait("Category", "integration")]
public sealed class DriverLibraryTests
{
    [Fact]
    public unsafe void InProcess_returns_the_full_table()
    {
        DriverLibrary driver = DriverLibrary.InProcess();
        MIRACAST_DRIVER_INTERFACE table = driver.Interface;
        Assert.Equal((uint)sizeof(MIRACAST_DRIVER_INTERFACE), table.Size);
        Assert.True(table.CreateMiracastContext is not null);
        Assert.True(table.DestroyMiracastContext is not null);
        Assert.True(table.StartMiracastSession is not null);
        Assert.True(table.StopMiracastSession is not null);
        Assert.True(table.HandleKernelModeMessage is not null);
    }

    [Fact]
    public void Load_of_a_library_without_the_export_says_so()
    {
        string libc = OperatingSystem.IsLinux() ? "libc.so.6" : "kernel32.dll";
        EntryPointNotFoundException e = Assert.Throws<EntryPointNotFoundException>(() => DriverLibrary.Load(libc));
        Assert.Contains(DriverLibrary.QueryExportName, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_and_Destroy_through_the_emulator_against_the_real_driver_succeed()
    {
        string path;
        using (var os = new OsEmulator(DriverLibrary.InProcess(), new OsEmulatorOptions { SlotCount = 2, SlotSize = 4096 }))
        {
            path = os.FrameStorePath;
            Assert.True(File.Exists(path));
            Assert.Equal(STATUS.STATUS_SUCCESS, os.Create());

            // The driver's Start is being written elsewhere: whatever it returns, Stop and Destroy follow.
            // The sink end is closed first, so a Start that talks RTSP sees end of stream at once
            // instead of waiting for an M1 answer.
            (Socket source, Socket sink) = await LoopbackTcp.ConnectPairAsync();
            sink.Dispose();
            using (source)
            {
                _ = os.Start(source, new MIRACAST_WFD_CONNECTION_STATS { CurrentBitRate = 10_000_000 }, out _);
                os.Stop();
            }

            os.Destroy();
            Assert.True(os.StopDuration < TimeSpan.FromSeconds(3));
            Assert.True(os.DestroyDuration < TimeSpan.FromSeconds(3));
            Assert.False(File.Exists(path));
            Assert.Throws<InvalidOperationException>(() => os.Create());
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new OsEmulator(DriverLibrary.InProcess(), new OsEmulatorOptions { SlotCount = 0 }));
        Assert.Throws<ArgumentException>(() => new OsEmulator(DriverLibrary.InProcess(), new OsEmulatorOptions { FrameStoreDirectory = "/a/very/long/directory/name" }));
        Assert.Throws<ArgumentException>(() => new OsEmulator(DriverLibrary.InProcess(), new OsEmulatorOptions { PartsPerFrame = 0 }));
    }
}
