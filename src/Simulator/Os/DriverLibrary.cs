using System.Runtime.InteropServices;
using Miraflow.Exports.Driver;
using Miraflow.Exports.Interop;

namespace Miraflow.Simulator.Os;

/// <summary>
/// A Miracast user-mode driver as the OS loads it (driver contract §2.1): the address of its
/// <c>QueryMiracastDriverInterface</c> export, called once with
/// <see cref="Windows.MIRACAST_DRIVER_INTERFACE_VERSION_1"/> and
/// <c>sizeof(MIRACAST_DRIVER_INTERFACE)</c>, and the function table it returned.
/// </summary>
/// <remarks>
/// A loaded library is never unloaded: a NativeAOT runtime cannot be unloaded from a process
/// (its GC, threads and static data stay), so <see cref="Load"/> keeps the module for the life of
/// the process. Windows unloads the DLL after <c>DestroyMiracastContext</c> (§2.1); we cannot.
/// </remarks>
public sealed unsafe class DriverLibrary
{
    /// <summary>The export's name, undecorated on every architecture (§0.3).</summary>
    public const string QueryExportName = "QueryMiracastDriverInterface";

    private DriverLibrary(MIRACAST_DRIVER_INTERFACE table, string description)
    {
        Interface = table;
        Description = description;
    }

    /// <summary>The function table the driver returned.</summary>
    public MIRACAST_DRIVER_INTERFACE Interface { get; }

    /// <summary>Where the driver came from: "in-process" or the library's path.</summary>
    public string Description { get; }

    /// <summary>The driver compiled into this process (<see cref="DriverExports.QueryMiracastDriverInterface"/>), reached through its function pointer.</summary>
    /// <exception cref="InvalidOperationException">The driver refused the query or returned an incomplete table.</exception>
    public static DriverLibrary InProcess() => Query(&DriverExports.QueryMiracastDriverInterface, "in-process");

    /// <summary>
    /// Loads a native driver library (for example the NativeAOT <c>Miraflow.Exports.so</c>) and
    /// queries its table. The library stays loaded for the life of the process.
    /// </summary>
    /// <param name="path">The library's path.</param>
    /// <exception cref="DllNotFoundException">The library cannot be loaded.</exception>
    /// <exception cref="EntryPointNotFoundException">It does not export <c>QueryMiracastDriverInterface</c> (the OS would fail the device, §2.1).</exception>
    /// <exception cref="InvalidOperationException">The driver refused the query or returned an incomplete table.</exception>
    public static DriverLibrary Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        nint module = NativeLibrary.Load(path);
        if (!NativeLibrary.TryGetExport(module, QueryExportName, out nint export))
        {
            // Not unloaded either: it may be a NativeAOT library whose runtime already started.
            throw new EntryPointNotFoundException($"{path} does not export {QueryExportName}; the OS would fail the Miracast device (contract §2.1).");
        }

        return Query((delegate* unmanaged[Stdcall]<uint, uint, void*, int>)export, path);
    }

    /// <summary>A driver given by its table (tests: a fake driver written in C#).</summary>
    internal static DriverLibrary FromTable(MIRACAST_DRIVER_INTERFACE table, string description)
    {
        CheckTable(table, description);
        return new DriverLibrary(table, description);
    }

    private static DriverLibrary Query(delegate* unmanaged[Stdcall]<uint, uint, void*, int> query, string description)
    {
        MIRACAST_DRIVER_INTERFACE table = default;
        int status = query(Windows.MIRACAST_DRIVER_INTERFACE_VERSION_1, (uint)sizeof(MIRACAST_DRIVER_INTERFACE), &table);
        if (!Windows.NT_SUCCESS(status))
        {
            throw new InvalidOperationException($"{description}: {QueryExportName}(1, {sizeof(MIRACAST_DRIVER_INTERFACE)}) failed with NTSTATUS 0x{status:X8}.");
        }

        if (table.Size < (uint)sizeof(MIRACAST_DRIVER_INTERFACE))
        {
            throw new InvalidOperationException($"{description}: {QueryExportName} returned Size {table.Size}, less than sizeof(MIRACAST_DRIVER_INTERFACE) = {sizeof(MIRACAST_DRIVER_INTERFACE)}.");
        }

        CheckTable(table, description);
        return new DriverLibrary(table, description);
    }

    private static void CheckTable(in MIRACAST_DRIVER_INTERFACE table, string description)
    {
        if (table.CreateMiracastContext is null || table.DestroyMiracastContext is null || table.StartMiracastSession is null
            || table.StopMiracastSession is null || table.HandleKernelModeMessage is null)
        {
            throw new InvalidOperationException($"{description}: the driver's MIRACAST_DRIVER_INTERFACE has a NULL function pointer.");
        }
    }
}
