using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Miraflow.Exports.Driver;
using Miraflow.Exports.Interop;

namespace Miraflow.Exports.Tests.Driver;

/// <summary>
/// Tests that touch <see cref="DriverHooks"/> or count live contexts and threads run one at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DriverTestGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Driver";
}

/// <summary>
/// The OS side of the tests: reaches the driver only the way Windows does, through a pointer to
/// the exported <c>QueryMiracastDriverInterface</c> and the table it fills, and supplies callbacks
/// that are stdcall <c>[UnmanagedCallersOnly]</c> methods.
/// </summary>
internal static unsafe class DriverHarness
{
    public static readonly HANDLE Device = (HANDLE)0x0D15_EA5E;

    /// <summary>The export, as <c>GetProcAddress(h, "QueryMiracastDriverInterface")</c> would return it.</summary>
    public static delegate* unmanaged[Stdcall]<uint, uint, void*, int> Query => &DriverExports.QueryMiracastDriverInterface;

    /// <summary>Queries version 1 with the exact size and asserts success.</summary>
    public static MIRACAST_DRIVER_INTERFACE Table()
    {
        MIRACAST_DRIVER_INTERFACE table;
        Assert.Equal(STATUS.STATUS_SUCCESS, Query(Windows.MIRACAST_DRIVER_INTERFACE_VERSION_1, (uint)sizeof(MIRACAST_DRIVER_INTERFACE), &table));
        return table;
    }

    /// <summary>A callback table with every entry set.</summary>
    public static MIRACAST_CALLBACKS Callbacks()
    {
        MIRACAST_CALLBACKS callbacks = default;
        callbacks.ReportSessionStatus = &ReportSessionStatus;
        callbacks.MiracastIoControl = &MiracastIoControl;
        callbacks.ReportStatistic = &ReportStatistic;
        callbacks.GetNextChunkData = &GetNextChunkData;
        callbacks.RegisterForDataRateNotifications = &RegisterForDataRateNotifications;
        return callbacks;
    }

    /// <summary>Creates a context through the table and asserts success.</summary>
    public static void* Create(in MIRACAST_DRIVER_INTERFACE table)
    {
        MIRACAST_CALLBACKS callbacks = Callbacks();
        void* context = (void*)0xBAD;
        Assert.Equal(STATUS.STATUS_SUCCESS, table.CreateMiracastContext(Device, &callbacks, &context));
        Assert.True(context is not null);
        return context;
    }

    /// <summary>Threads of ours (named "Miraflow …") in this process, from /proc (Linux names are cut at 15 bytes).</summary>
    public static int OurThreads()
    {
        int count = 0;
        foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith("Miraflow", StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // the thread ended while we looked
            }
        }

        return count;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void ReportSessionStatus(HANDLE device, MIRACAST_STATUS status, int ntstatus)
    {
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int MiracastIoControl(HANDLE device, BOOL hardwareAccess, uint inputSize, void* input, uint outputSize, void* output, uint* returned) =>
        STATUS.STATUS_SUCCESS;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void ReportStatistic(HANDLE device, MIRACAST_STATISTIC_DATA* statistic)
    {
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int GetNextChunkData(HANDLE device, uint timeout, uint eventCount, HANDLE* events, uint* size, MIRACAST_CHUNK_DATA* buffer, uint* outstanding) =>
        STATUS.STATUS_TIMEOUT;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int RegisterForDataRateNotifications(HANDLE device, void* context, delegate* unmanaged[Stdcall]<void*, MIRACAST_DATARATE_STATS*, void> notify) =>
        STATUS.STATUS_SUCCESS;

    /// <summary>The managed context behind an opaque pointer (white-box checks only).</summary>
    public static DriverContext ContextOf(void* context) => (DriverContext)GCHandle.FromIntPtr((nint)context).Target!;
}
