using System.Runtime.InteropServices;

namespace Miraflow.Exports.Driver;

/// <summary>
/// Pins the driver DLL in the OS's host process (contract §5.14, docs/driver.md "Unloading"): the
/// OS unloads the UMD after <c>DestroyMiracastContext</c>, but a NativeAOT runtime keeps threads of
/// its own (GC, finalizer, thread pool) that cannot survive <c>FreeLibrary</c>. A pinned module stays
/// mapped until the process ends, so a later load finds the same runtime.
/// </summary>
internal static unsafe partial class ModulePin
{
    private const uint GET_MODULE_HANDLE_EX_FLAG_PIN = 0x1;
    private const uint GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS = 0x4;
    private static int s_pinned;

    /// <summary>Pins the module that contains <paramref name="address"/>, once per process; nothing off Windows.</summary>
    /// <returns>True when pinned now or before; false off Windows or when the OS refused.</returns>
    public static bool PinModuleOf(void* address)
    {
        if (!OperatingSystem.IsWindows())
        {
            return false;
        }

        if (Volatile.Read(ref s_pinned) != 0)
        {
            return true;
        }

        void* module;
        if (GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_PIN | GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, address, &module) == 0)
        {
            return false;
        }

        Volatile.Write(ref s_pinned, 1);
        return true;
    }

    [LibraryImport("kernel32")]
    private static partial int GetModuleHandleExW(uint dwFlags, void* lpModuleName, void** phModule);
}
