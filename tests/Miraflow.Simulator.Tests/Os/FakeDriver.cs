using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Miraflow.Exports.Interop;
using Miraflow.Simulator.Os;

namespace Miraflow.Simulator.Tests.Os;

/// <summary>The OS emulator tests share <see cref="FakeDriver"/>'s static state, so they run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OsTestGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Os";
}

/// <summary>
/// A Miracast UMD written in C# for the emulator's own tests: a real table of stdcall
/// <c>[UnmanagedCallersOnly]</c> functions that remember the device handle and callbacks and run
/// test hooks inside Start and Stop (on the OS thread, as a driver would).
/// </summary>
internal static unsafe class FakeDriver
{
    public static HANDLE Device;
    public static MIRACAST_CALLBACKS Callbacks;
    public static Action? OnStart;
    public static Action? OnStop;
    public static Exception? HookFailure;
    public static int KernelMessages;
    public static int Destroyed;

    public static DriverLibrary Library()
    {
        Device = default;
        Callbacks = default;
        OnStart = null;
        OnStop = null;
        HookFailure = null;
        KernelMessages = 0;
        Destroyed = 0;
        MIRACAST_DRIVER_INTERFACE table = default;
        table.Size = (uint)sizeof(MIRACAST_DRIVER_INTERFACE);
        table.CreateMiracastContext = &Create;
        table.DestroyMiracastContext = &Destroy;
        table.StartMiracastSession = &Start;
        table.StopMiracastSession = &Stop;
        table.HandleKernelModeMessage = &HandleKernelModeMessage;
        return DriverLibrary.FromTable(table, "fake driver");
    }

    /// <summary>Rethrows an exception a hook threw inside the driver.</summary>
    public static void ThrowHookFailure()
    {
        if (HookFailure is not null)
        {
            throw new InvalidOperationException("A fake-driver hook failed.", HookFailure);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int Create(HANDLE device, MIRACAST_CALLBACKS* callbacks, void** context)
    {
        Device = device;
        Callbacks = *callbacks;
        *context = (void*)0x1234;
        return STATUS.STATUS_SUCCESS;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void Destroy(void* context) => Destroyed++;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int Start(void* context, SOCKET socket, MIRACAST_WFD_CONNECTION_STATS* stats, MIRACAST_SESSION_INFO* info)
    {
        *info = default;
        Run(OnStart);
        return STATUS.STATUS_SUCCESS;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void Stop(void* context) => Run(OnStop);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static int HandleKernelModeMessage(void* context, uint inputSize, void* input, uint outputSize, void* output, uint* returned)
    {
        Interlocked.Increment(ref KernelMessages);
        *returned = 0;
        return STATUS.STATUS_SUCCESS;
    }

    private static void Run(Action? hook)
    {
        try
        {
            hook?.Invoke();
        }
#pragma warning disable CA1031 // an exception must not cross the unmanaged boundary
        catch (Exception e)
#pragma warning restore CA1031
        {
            HookFailure = e;
        }
    }
}
