using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;

namespace Miraflow.Exports.Driver;

/// <summary>
/// The Miracast UMD's entry points (driver contract §1.4, §2.1–2.6): the exported
/// <c>QueryMiracastDriverInterface</c> and the five functions of the
/// <see cref="MIRACAST_DRIVER_INTERFACE"/> table it fills. docs/driver.md records what the contract
/// leaves open and what we chose.
/// </summary>
/// <remarks>
/// House rule 21: every entry point is a static <c>[UnmanagedCallersOnly]</c> stdcall method whose
/// body runs in a catch-all that maps any exception to an NTSTATUS (or, for the <c>VOID</c> ones,
/// logs and swallows it), so no managed exception reaches the OS (§5.14). The context is a
/// <see cref="GCHandle"/> to a <see cref="DriverContext"/>, given to the OS as an opaque pointer and
/// checked against the live set before it is dereferenced, so a null, stale or foreign pointer is an
/// error and never a crash. No export blocks on a <see cref="Task"/>.
/// </remarks>
public static unsafe partial class DriverExports
{
    /// <summary>How long <c>DestroyMiracastContext</c> may spend disposing (the contract allows 3 s in all, §2.6).</summary>
    internal static readonly TimeSpan DestroyBudget = TimeSpan.FromMilliseconds(2500);

    /// <summary>What a Destroy that must also stop a session spends on both: stop (at most 2.5 s) and disposal share 2.75 s.</summary>
    private static readonly TimeSpan StopAndDestroyBudget = TimeSpan.FromMilliseconds(2750);

    /// <summary>The least time the container's disposal gets, even after a slow stop.</summary>
    private static readonly TimeSpan MinimumDisposeBudget = TimeSpan.FromMilliseconds(250);

    /// <summary>The contexts created and not yet destroyed, by their <see cref="GCHandle"/> value.</summary>
    private static readonly ConcurrentDictionary<nint, DriverContext> s_live = new();

    /// <summary>The number of live contexts (tests).</summary>
    internal static int LiveContextCount => s_live.Count;

    /// <summary>The live contexts (white-box tests reach a session's controller through them).</summary>
    internal static IReadOnlyCollection<DriverContext> LiveContexts => [.. s_live.Values];

    /// <summary>
    /// <c>NTSTATUS QueryMiracastDriverInterface(UINT MiracastDriverInterfaceVersion, UINT MiracastDriverInterfaceSize,
    /// VOID* pMiracastDriverInterface)</c> (§1.4, §2.1), exported undecorated.
    /// </summary>
    /// <returns>
    /// <c>STATUS_SUCCESS</c> with the table filled and <c>Size</c> set to <c>sizeof(MIRACAST_DRIVER_INTERFACE)</c>;
    /// <c>STATUS_INVALID_PARAMETER</c> for a null buffer; <c>STATUS_NOT_SUPPORTED</c> for a version other than
    /// <see cref="Windows.MIRACAST_DRIVER_INTERFACE_VERSION_1"/>; <c>STATUS_BUFFER_TOO_SMALL</c> for a size below
    /// <c>sizeof(MIRACAST_DRIVER_INTERFACE)</c> (48 on x64, 24 on x86). Nothing is written on failure.
    /// </returns>
    [UnmanagedCallersOnly(EntryPoint = "QueryMiracastDriverInterface", CallConvs = [typeof(CallConvStdcall)])]
    [return: NativeTypeName("NTSTATUS")]
    public static int QueryMiracastDriverInterface(
        [NativeTypeName("UINT")] uint miracastDriverInterfaceVersion,
        [NativeTypeName("UINT")] uint miracastDriverInterfaceSize,
        void* pMiracastDriverInterface)
    {
        try
        {
            if (pMiracastDriverInterface is null)
            {
                return STATUS.STATUS_INVALID_PARAMETER;
            }

            if (miracastDriverInterfaceVersion != Windows.MIRACAST_DRIVER_INTERFACE_VERSION_1)
            {
                return STATUS.STATUS_NOT_SUPPORTED;
            }

            if (miracastDriverInterfaceSize < (uint)sizeof(MIRACAST_DRIVER_INTERFACE))
            {
                return STATUS.STATUS_BUFFER_TOO_SMALL;
            }

            // The OS unloads the DLL after Destroy; the NativeAOT runtime must not go with it (docs/driver.md, "Unloading").
            _ = ModulePin.PinModuleOf((delegate* unmanaged[Stdcall]<uint, uint, void*, int>)&QueryMiracastDriverInterface);

            // A larger buffer is accepted and only our bytes are written; Size says how many.
            var table = (MIRACAST_DRIVER_INTERFACE*)pMiracastDriverInterface;
            *table = default;
            table->Size = (uint)sizeof(MIRACAST_DRIVER_INTERFACE);
            table->CreateMiracastContext = &CreateMiracastContext;
            table->DestroyMiracastContext = &DestroyMiracastContext;
            table->StartMiracastSession = &StartMiracastSession;
            table->StopMiracastSession = &StopMiracastSession;
            table->HandleKernelModeMessage = &HandleKernelModeMessage;
            return STATUS.STATUS_SUCCESS;
        }
        catch (Exception e)
        {
            return ToNtStatus(e);
        }
    }

    /// <summary>
    /// <c>NTSTATUS CreateMiracastContext(HANDLE hMiracastDeviceHandle, MIRACAST_CALLBACKS* pMiracastCallbacks,
    /// PVOID* ppMiracastContext)</c> (§2.3): copies the callbacks, builds and validates the context's
    /// container and writes the context's <see cref="GCHandle"/> to <paramref name="ppMiracastContext"/>.
    /// </summary>
    /// <returns>
    /// <c>STATUS_SUCCESS</c>; <c>STATUS_INVALID_PARAMETER</c> for a null out-pointer, a null callback table or
    /// a null callback in it, and for invalid options; <c>STATUS_NO_MEMORY</c> when out of memory;
    /// <c>STATUS_UNSUCCESSFUL</c> for any other failure. <c>*ppMiracastContext</c> is NULL on failure.
    /// </returns>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    [return: NativeTypeName("NTSTATUS")]
    private static int CreateMiracastContext(HANDLE hMiracastDeviceHandle, MIRACAST_CALLBACKS* pMiracastCallbacks, void** ppMiracastContext)
    {
        try
        {
            if (ppMiracastContext is null)
            {
                return STATUS.STATUS_INVALID_PARAMETER;
            }

            *ppMiracastContext = null;
            if (pMiracastCallbacks is null
                || pMiracastCallbacks->ReportSessionStatus is null
                || pMiracastCallbacks->MiracastIoControl is null
                || pMiracastCallbacks->ReportStatistic is null
                || pMiracastCallbacks->GetNextChunkData is null
                || pMiracastCallbacks->RegisterForDataRateNotifications is null)
            {
                return STATUS.STATUS_INVALID_PARAMETER;
            }

            DriverHooks.BeforeCreate?.Invoke();
            DriverContext context = DriverContext.Create(hMiracastDeviceHandle, *pMiracastCallbacks, DriverHooks.ConfigureServices, DestroyBudget);
            GCHandle handle;
            try
            {
                handle = GCHandle.Alloc(context);
            }
            catch
            {
                _ = context.Dispose(DestroyBudget);
                throw;
            }

            nint value = GCHandle.ToIntPtr(handle);
            s_live[value] = context;
            *ppMiracastContext = (void*)value;
            return STATUS.STATUS_SUCCESS;
        }
        catch (Exception e)
        {
            return ToNtStatus(e);
        }
    }

    /// <summary>
    /// <c>VOID DestroyMiracastContext(PVOID pMiracastContext)</c> (§2.6): forgets the context, frees its
    /// handle and disposes its services within <see cref="DestroyBudget"/>. A null, unknown or already
    /// destroyed context is ignored (there is no status to return).
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void DestroyMiracastContext(void* pMiracastContext)
    {
        try
        {
            if (pMiracastContext is null || !s_live.TryRemove((nint)pMiracastContext, out DriverContext? context))
            {
                return;
            }

            try
            {
                // Destroy without Stop (§5.2): stopped exactly as StopMiracastSession would, within the same 3 s.
                long start = Stopwatch.GetTimestamp();
                StopSession(context);
                TimeSpan left = StopAndDestroyBudget - Stopwatch.GetElapsedTime(start);
                _ = context.Dispose(left < MinimumDisposeBudget ? MinimumDisposeBudget : left > DestroyBudget ? DestroyBudget : left);
            }
            finally
            {
                GCHandle.FromIntPtr((nint)pMiracastContext).Free();
            }
        }
        catch (Exception e)
        {
            _ = ToNtStatus(e); // VOID export: nothing to report the failure to yet
        }
    }

    /// <summary>
    /// <c>NTSTATUS StartMiracastSession(PVOID pMiracastContext, SOCKET MiracastRTSPSocket,
    /// MIRACAST_WFD_CONNECTION_STATS* pWfdConnectionStats, MIRACAST_SESSION_INFO* pSessionInfo)</c> (§2.4):
    /// runs the WFD session through M3 and M4 on this thread (<see cref="DriverSession.Start"/>); M5–M7
    /// and the monitor arrival follow after it returns.
    /// </summary>
    /// <returns>
    /// <c>STATUS_SUCCESS</c> with <c>*pSessionInfo</c> filled; <c>STATUS_INVALID_PARAMETER</c> for an unknown
    /// context, <c>INVALID_SOCKET</c>, a null pointer or a socket that is not connected;
    /// <c>STATUS_INVALID_DEVICE_STATE</c> while a session already runs; <c>STATUS_DEVICE_INSUFFICIENT_RESOURCES</c>
    /// when a monitor is connected and the suggested rate cannot carry 1024×768 (or no mode fits it);
    /// <c>STATUS_IO_TIMEOUT</c>, <c>STATUS_CONNECTION_DISCONNECTED</c>, <c>STATUS_NOT_SUPPORTED</c> or
    /// <c>STATUS_UNSUCCESSFUL</c> when the negotiation fails (docs/driver.md, "Start"). <c>*pSessionInfo</c>
    /// is zero on failure.
    /// </returns>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    [return: NativeTypeName("NTSTATUS")]
    private static int StartMiracastSession(void* pMiracastContext, SOCKET miracastRTSPSocket, MIRACAST_WFD_CONNECTION_STATS* pWfdConnectionStats, MIRACAST_SESSION_INFO* pSessionInfo)
    {
        DriverSession? started = null;
        try
        {
            if (!TryGetContext(pMiracastContext, out DriverContext? context)
                || miracastRTSPSocket == SOCKET.INVALID_SOCKET
                || pWfdConnectionStats is null
                || pSessionInfo is null)
            {
                return STATUS.STATUS_INVALID_PARAMETER;
            }

            *pSessionInfo = default;
            if (context.Session is not null)
            {
                return STATUS.STATUS_INVALID_DEVICE_STATE;
            }

            int status = DriverSession.Start(context, miracastRTSPSocket, *pWfdConnectionStats, out MIRACAST_SESSION_INFO info, out started);
            *pSessionInfo = info;
            return status;
        }
        catch (Exception e)
        {
            return ToNtStatus(e);
        }
        finally
        {
            // The last thing before the OS gets control back: the monitor arrival may go out now (§2.4).
            started?.OnStartReturned();
        }
    }

    /// <summary>
    /// <c>VOID StopMiracastSession(PVOID pMiracastContext)</c> (§2.5): stops the running session within
    /// 3 s (TEARDOWN with 2 s for M8, streaming stopped, our sockets closed, the data-rate registration
    /// cancelled on this thread), reporting neither a departure nor a status. A null or unknown context,
    /// or a context with no session, is ignored.
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    private static void StopMiracastSession(void* pMiracastContext)
    {
        try
        {
            if (TryGetContext(pMiracastContext, out DriverContext? context))
            {
                StopSession(context);
            }
        }
        catch (Exception e)
        {
            _ = ToNtStatus(e);
        }
    }

    /// <summary>
    /// <c>NTSTATUS HandleKernelModeMessage(PVOID pMiracastContext, UINT InputBufferSize, VOID* pInputBuffer,
    /// UINT OutputBufferSize, VOID* pOutputBuffer, UINT* pBytesReturned)</c> (§2.7): the reference protocol's
    /// <c>PowerOff</c> (M12 standby, the session kept), <c>PowerOn</c> (resume with an IDR, no reconnect)
    /// and <c>SetMode</c> (a mid-session M4 to the OS's new mode; STATUS_NOT_SUPPORTED for a mode the sink did not offer).
    /// May run on several threads at once; the controller serializes the commands on its loop.
    /// </summary>
    /// <returns>
    /// <c>STATUS_SUCCESS</c> once the command is queued (the OS thread does not wait for the sink), with
    /// <c>*pBytesReturned = 0</c>; <c>STATUS_INVALID_PARAMETER</c> for an unknown context, a null
    /// <paramref name="pBytesReturned"/>, a null buffer with a non-zero size or a malformed message;
    /// <c>STATUS_NOT_IMPLEMENTED</c> for another message type; <c>STATUS_INVALID_DEVICE_STATE</c> when no
    /// session is streaming.
    /// </returns>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]
    [return: NativeTypeName("NTSTATUS")]
    private static int HandleKernelModeMessage(void* pMiracastContext, uint inputBufferSize, void* pInputBuffer, uint outputBufferSize, void* pOutputBuffer, uint* pBytesReturned)
    {
        try
        {
            if (!TryGetContext(pMiracastContext, out DriverContext? context)
                || pBytesReturned is null
                || (pInputBuffer is null && inputBufferSize != 0)
                || (pOutputBuffer is null && outputBufferSize != 0))
            {
                return STATUS.STATUS_INVALID_PARAMETER;
            }

            *pBytesReturned = 0;
            var message = new ReadOnlySpan<byte>(pInputBuffer, (int)Math.Min(inputBufferSize, int.MaxValue));
            if (!KernelMessage.TryReadType(message, out KernelMessageType type))
            {
                return STATUS.STATUS_INVALID_PARAMETER;
            }

            if (type == KernelMessageType.SetMode)
            {
                if (SetModeMessage.TryRead(message, out SetModeMessage mode, out _) != KernelMessageError.None)
                {
                    return STATUS.STATUS_INVALID_PARAMETER;
                }

                return context.Session is { } current ? current.OnSetMode(mode) : STATUS.STATUS_INVALID_DEVICE_STATE;
            }

            if (type is not (KernelMessageType.PowerOff or KernelMessageType.PowerOn))
            {
                return STATUS.STATUS_NOT_IMPLEMENTED;
            }

            if (KernelMessage.CheckHeader(message, type, KernelMessage.HeaderSize, out _) != KernelMessageError.None)
            {
                return STATUS.STATUS_INVALID_PARAMETER;
            }

            return context.Session is { } session
                ? session.OnPowerMessage(powerOn: type == KernelMessageType.PowerOn)
                : STATUS.STATUS_INVALID_DEVICE_STATE;
        }
        catch (Exception e)
        {
            return ToNtStatus(e);
        }
    }

    /// <summary>Stops and forgets the context's session, if any (Stop, and Destroy without Stop).</summary>
    private static void StopSession(DriverContext context)
    {
        if (context.Session is { } session)
        {
            context.Session = null;
            session.Stop();
        }
    }

    /// <summary>Finds a live context; false for null and for any pointer we did not hand out or already destroyed.</summary>
    private static bool TryGetContext(void* pMiracastContext, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DriverContext? context)
    {
        context = null;
        return pMiracastContext is not null && s_live.TryGetValue((nint)pMiracastContext, out context);
    }

    /// <summary>The NTSTATUS an exception caught at an export becomes (docs/driver.md, "Errors").</summary>
    internal static int ToNtStatus(Exception exception) => exception switch
    {
        OptionsValidationException => STATUS.STATUS_INVALID_PARAMETER,
        OutOfMemoryException or InsufficientExecutionStackException => STATUS.STATUS_NO_MEMORY,
        _ => STATUS.STATUS_UNSUCCESSFUL,
    };
}
