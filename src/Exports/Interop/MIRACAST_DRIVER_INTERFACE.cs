namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_DRIVER_INTERFACE</c> (netdispumdddi.h, <c>struct _MIRACAST_DRIVER_INTERFACE</c>):
/// the UMD's function table, written by the exported <c>QueryMiracastDriverInterface</c>
/// (<c>QUERY_MIRACAST_DRIVER_INTERFACE</c>:
/// <c>NTSTATUS (NTAPI *)(UINT MiracastDriverInterfaceVersion, UINT MiracastDriverInterfaceSize, VOID* pMiracastDriverInterface)</c>).
/// 24 bytes on x86 (no padding), 48 on x64 (4 bytes of padding after <see cref="Size"/>).
/// </summary>
/// <remarks>
/// Sequential layout with pointer-sized fields, so the runtime of each platform produces the
/// header's layout (offsets 0/4/8/12/16/20 on x86, 0/8/16/24/32/40 on x64). Every function
/// pointer is <c>delegate* unmanaged[Stdcall]</c> because every typedef is <c>NTAPI</c>; see
/// <see cref="MIRACAST_CALLBACKS"/> for why, and fill the fields with
/// <c>[UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]</c> methods.
/// </remarks>
[NativeTypeName("struct _MIRACAST_DRIVER_INTERFACE")]
public unsafe partial struct MIRACAST_DRIVER_INTERFACE
{
    /// <summary>The size in bytes of the structure the driver returns.</summary>
    [NativeTypeName("UINT")]
    public uint Size;

    /// <summary>
    /// <c>NTSTATUS CreateMiracastContext(HANDLE hMiracastDeviceHandle, MIRACAST_CALLBACKS* pMiracastCallbacks,
    /// PVOID* ppMiracastContext)</c>: creates the UMD's context for one Miracast device.
    /// </summary>
    [NativeTypeName("PFN_CREATE_MIRACAST_CONTEXT")]
    public delegate* unmanaged[Stdcall]<HANDLE, MIRACAST_CALLBACKS*, void**, int> CreateMiracastContext;

    /// <summary><c>VOID DestroyMiracastContext(PVOID pMiracastContext)</c>: destroys the context; the OS unloads the DLL afterwards.</summary>
    [NativeTypeName("PFN_DESTROY_MIRACAST_CONTEXT")]
    public delegate* unmanaged[Stdcall]<void*, void> DestroyMiracastContext;

    /// <summary>
    /// <c>NTSTATUS StartMiracastSession(PVOID pMiracastContext, SOCKET MiracastRTSPSocket,
    /// MIRACAST_WFD_CONNECTION_STATS* pWfdConnectionStats, MIRACAST_SESSION_INFO* pSessionInfo)</c>:
    /// starts a session over the connected RTSP socket the OS keeps owning.
    /// </summary>
    [NativeTypeName("PFN_START_MIRACAST_SESSION")]
    public delegate* unmanaged[Stdcall]<void*, SOCKET, MIRACAST_WFD_CONNECTION_STATS*, MIRACAST_SESSION_INFO*, int> StartMiracastSession;

    /// <summary><c>VOID StopMiracastSession(PVOID pMiracastContext)</c>: stops the session.</summary>
    [NativeTypeName("PFN_STOP_MIRACAST_SESSION")]
    public delegate* unmanaged[Stdcall]<void*, void> StopMiracastSession;

    /// <summary>
    /// <c>NTSTATUS HandleKernelModeMessage(PVOID pMiracastContext, UINT InputBufferSize, VOID* pInputBuffer,
    /// UINT OutputBufferSize, VOID* pOutputBuffer, UINT* pBytesReturned)</c>: handles a private
    /// message the KMD sent with <c>DxgkCbMiracastSendMessage</c>.
    /// </summary>
    [NativeTypeName("PFN_HANDLE_KMD_MESSAGE")]
    public delegate* unmanaged[Stdcall]<void*, uint, void*, uint, void*, uint*, int> HandleKernelModeMessage;
}
