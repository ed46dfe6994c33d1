namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_CALLBACKS</c> (netdispumdddi.h, <c>struct _MIRACAST_CALLBACKS</c>): the OS's
/// callback table, passed to <c>CreateMiracastContext</c>. Every callback takes the device handle
/// the OS passed there (<c>hMiracastDeviceHandle</c>), not the UMD's context. Five pointers, no
/// padding: 20 bytes on x86, 40 on x64.
/// </summary>
/// <remarks>
/// <para>
/// Sequential layout with pointer-sized fields, so the runtime of each platform produces the
/// header's layout (offsets 0/4/8/12/16 on x86, 0/8/16/24/32 on x64).
/// </para>
/// <para>
/// Calling convention: every <c>PFN_…</c> typedef of netdispumdddi.h is <c>NTAPI</c>
/// (<c>__stdcall</c>), so every function pointer of the contract is declared
/// <c>delegate* unmanaged[Stdcall]</c>, saying what the header says rather than relying on the
/// platform default. On x86 that is callee-pops stdcall; on x64 and ARM64 <c>Stdcall</c> is
/// ignored and the single platform convention applies. The compiler only lets
/// <c>&amp;Method</c> into such a field when the method is
/// <c>[UnmanagedCallersOnly(CallConvs = [typeof(CallConvStdcall)])]</c>, so the exports and the
/// simulator's callbacks are forced to match.
/// </para>
/// </remarks>
[NativeTypeName("struct _MIRACAST_CALLBACKS")]
public unsafe partial struct MIRACAST_CALLBACKS
{
    /// <summary>
    /// <c>VOID ReportSessionStatus(HANDLE hMiracastDeviceHandle, MIRACAST_STATUS MiracastStatus, NTSTATUS Status)</c>:
    /// reports that the session failed and why; <c>Status</c> is only logged.
    /// </summary>
    [NativeTypeName("PFN_REPORT_SESSION_STATUS")]
    public delegate* unmanaged[Stdcall]<HANDLE, MIRACAST_STATUS, int, void> ReportSessionStatus;

    /// <summary>
    /// <c>NTSTATUS MiracastIoControl(HANDLE hMiracastDeviceHandle, BOOL HardwareAccess, UINT InputBufferSize,
    /// VOID* pInputBuffer, UINT OutputBufferSize, VOID* pOutputBuffer, UINT* pBytesReturned)</c>:
    /// sends a private request to the KMD (<c>HardwareAccess</c> TRUE flushes pending GPU DMA
    /// first; <c>pBytesReturned</c> may be NULL).
    /// </summary>
    [NativeTypeName("PFN_MIRACAST_IO_CONTROL")]
    public delegate* unmanaged[Stdcall]<HANDLE, BOOL, uint, void*, uint, void*, uint*, int> MiracastIoControl;

    /// <summary>
    /// <c>VOID ReportStatistic(HANDLE hMiracastDeviceHandle, MIRACAST_STATISTIC_DATA* pStatistics)</c>:
    /// logs a chunk or protocol statistic.
    /// </summary>
    [NativeTypeName("PFN_REPORT_STATISTIC")]
    public delegate* unmanaged[Stdcall]<HANDLE, MIRACAST_STATISTIC_DATA*, void> ReportStatistic;

    /// <summary>
    /// <c>NTSTATUS GetNextChunkData(HANDLE hMiracastDeviceHandle, UINT TimeoutInMilliseconds,
    /// UINT AdditionalWaitEventCount, HANDLE* pAdditionalWaitEvents, UINT* pChunkDataBufferSize,
    /// MIRACAST_CHUNK_DATA* pChunkDataBuffer, UINT* pOutstandingChunksToProcess)</c>: waits for
    /// encode chunks (or one of at most <see cref="Windows.MAX_ADDITIONAL_EVENTS"/> extra events)
    /// and packs as many as fit into the buffer (read it with <see cref="MiracastChunkDataReader"/>).
    /// </summary>
    [NativeTypeName("PFN_GET_NEXT_CHUNK_DATA")]
    public delegate* unmanaged[Stdcall]<HANDLE, uint, uint, HANDLE*, uint*, MIRACAST_CHUNK_DATA*, uint*, int> GetNextChunkData;

    /// <summary>
    /// <c>NTSTATUS RegisterForDataRateNotifications(HANDLE hMiracastDeviceHandle, PVOID pNotificationContext,
    /// PFN_DATARATE_NOTIFICATION pfnDataRateNotify)</c>: registers (or, with a NULL routine,
    /// unregisters) the QoS notification routine. Its third parameter is the
    /// <c>PFN_DATARATE_NOTIFICATION</c> typedef,
    /// <c>void (NTAPI *)(PVOID context, MIRACAST_DATARATE_STATS* pDataRateStats)</c>, declared
    /// inline as <c>delegate* unmanaged[Stdcall]&lt;void*, MIRACAST_DATARATE_STATS*, void&gt;</c>;
    /// the OS passes <c>pNotificationContext</c> back as <c>context</c>, and a NULL
    /// <c>pDataRateStats</c> means QoS data is no longer available.
    /// </summary>
    [NativeTypeName("PFN_REGISTER_DATARATE_NOTIFICATIONS")]
    public delegate* unmanaged[Stdcall]<HANDLE, void*, delegate* unmanaged[Stdcall]<void*, MIRACAST_DATARATE_STATS*, void>, int> RegisterForDataRateNotifications;
}
