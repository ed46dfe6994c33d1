namespace Miraflow.Exports.Tests.Interop;

/// <summary>
/// Every size and offset of the driver contract's section 1.3 (docs/windows-driver-contract.md),
/// for x86 and x64, copied from its tables. Each key is also the C expression a compiler
/// evaluates over tests/native/netdispumdddi.h, so the same list checks the managed
/// declarations, the C transcription and the document against each other.
/// </summary>
internal static class ContractLayout
{
    /// <summary>(C expression, x86 value, x64 value).</summary>
    public static readonly IReadOnlyList<(string Expression, long X86, long X64)> Entries =
    [
        // Primitive types (section 0.1).
        ("sizeof(HANDLE)", 4, 8),
        ("sizeof(SOCKET)", 4, 8),
        ("sizeof(BOOL)", 4, 4),
        ("sizeof(NTSTATUS)", 4, 4),

        // Enumerations (section 1.2): all 4 bytes.
        ("sizeof(MIRACAST_STATUS)", 4, 4),
        ("sizeof(MIRACAST_PROTOCOL_EVENT)", 4, 4),
        ("sizeof(MIRACAST_STATISTIC_TYPE)", 4, 4),
        ("sizeof(MIRACAST_CHUNK_TYPE)", 4, 4),

        // MIRACAST_CHUNK_ID (union).
        ("sizeof(MIRACAST_CHUNK_ID)", 8, 8),
        ("offsetof(MIRACAST_CHUNK_ID, Value)", 0, 0),

        // MIRACAST_CHUNK_INFO.
        ("sizeof(MIRACAST_CHUNK_INFO)", 24, 24),
        ("offsetof(MIRACAST_CHUNK_INFO, ChunkType)", 0, 0),
        ("offsetof(MIRACAST_CHUNK_INFO, ChunkId)", 8, 8),
        ("offsetof(MIRACAST_CHUNK_INFO, ProcessingTime)", 16, 16),
        ("offsetof(MIRACAST_CHUNK_INFO, EncodeRate)", 20, 20),

        // MIRACAST_CHUNK_DATA (variable length; sizeof with the one-byte array).
        ("sizeof(MIRACAST_CHUNK_DATA)", 32, 32),
        ("offsetof(MIRACAST_CHUNK_DATA, ChunkInfo)", 0, 0),
        ("offsetof(MIRACAST_CHUNK_DATA, PrivateDriverDataSize)", 24, 24),
        ("offsetof(MIRACAST_CHUNK_DATA, PrivateDriverData)", 28, 28),

        // MIRACAST_STATISTIC_DATA.
        ("sizeof(MIRACAST_STATISTIC_DATA)", 32, 32),
        ("offsetof(MIRACAST_STATISTIC_DATA, StatisticType)", 0, 0),
        ("offsetof(MIRACAST_STATISTIC_DATA, EncodeComplete)", 8, 8),
        ("offsetof(MIRACAST_STATISTIC_DATA, EncodeComplete.ChunkInfo.ChunkType)", 8, 8),
        ("offsetof(MIRACAST_STATISTIC_DATA, EncodeComplete.ChunkInfo.ChunkId)", 16, 16),
        ("offsetof(MIRACAST_STATISTIC_DATA, EncodeComplete.ChunkInfo.ProcessingTime)", 24, 24),
        ("offsetof(MIRACAST_STATISTIC_DATA, EncodeComplete.ChunkInfo.EncodeRate)", 28, 28),
        ("offsetof(MIRACAST_STATISTIC_DATA, ChunkSent.ChunkId)", 8, 8),
        ("offsetof(MIRACAST_STATISTIC_DATA, ProtocolEvent.Event)", 8, 8),

        // MIRACAST_DATARATE_STATS.
        ("sizeof(MIRACAST_DATARATE_STATS)", 48, 48),
        ("offsetof(MIRACAST_DATARATE_STATS, EncoderBitRate)", 0, 0),
        ("offsetof(MIRACAST_DATARATE_STATS, CurrentMaxTxDataRate)", 8, 8),
        ("offsetof(MIRACAST_DATARATE_STATS, TransmittedFrameCount)", 16, 16),
        ("offsetof(MIRACAST_DATARATE_STATS, FailedFrameCount)", 24, 24),
        ("offsetof(MIRACAST_DATARATE_STATS, RetriedFrameCount)", 32, 32),
        ("offsetof(MIRACAST_DATARATE_STATS, MultipleRetryFrameCount)", 40, 40),

        // MIRACAST_WFD_CONNECTION_STATS.
        ("sizeof(MIRACAST_WFD_CONNECTION_STATS)", 24, 24),
        ("offsetof(MIRACAST_WFD_CONNECTION_STATS, CurrentBitRate)", 0, 0),
        ("offsetof(MIRACAST_WFD_CONNECTION_STATS, LocalMaxBitRate)", 8, 8),
        ("offsetof(MIRACAST_WFD_CONNECTION_STATS, RemoteMaxBitRate)", 16, 16),

        // MIRACAST_SESSION_INFO (union).
        ("sizeof(MIRACAST_SESSION_INFO)", 4, 4),
        ("offsetof(MIRACAST_SESSION_INFO, Value)", 0, 0),

        // MIRACAST_CALLBACKS: five pointers.
        ("sizeof(MIRACAST_CALLBACKS)", 20, 40),
        ("offsetof(MIRACAST_CALLBACKS, ReportSessionStatus)", 0, 0),
        ("offsetof(MIRACAST_CALLBACKS, MiracastIoControl)", 4, 8),
        ("offsetof(MIRACAST_CALLBACKS, ReportStatistic)", 8, 16),
        ("offsetof(MIRACAST_CALLBACKS, GetNextChunkData)", 12, 24),
        ("offsetof(MIRACAST_CALLBACKS, RegisterForDataRateNotifications)", 16, 32),

        // MIRACAST_DRIVER_INTERFACE: UINT, then five pointers (4 bytes of padding on x64).
        ("sizeof(MIRACAST_DRIVER_INTERFACE)", 24, 48),
        ("offsetof(MIRACAST_DRIVER_INTERFACE, Size)", 0, 0),
        ("offsetof(MIRACAST_DRIVER_INTERFACE, CreateMiracastContext)", 4, 8),
        ("offsetof(MIRACAST_DRIVER_INTERFACE, DestroyMiracastContext)", 8, 16),
        ("offsetof(MIRACAST_DRIVER_INTERFACE, StartMiracastSession)", 12, 24),
        ("offsetof(MIRACAST_DRIVER_INTERFACE, StopMiracastSession)", 16, 32),
        ("offsetof(MIRACAST_DRIVER_INTERFACE, HandleKernelModeMessage)", 20, 40),
    ];

    /// <summary>The expected value for a pointer size of 4 (x86) or 8 (x64).</summary>
    public static long Expected((string Expression, long X86, long X64) entry, int pointerSize) =>
        pointerSize switch
        {
            4 => entry.X86,
            8 => entry.X64,
            _ => throw new ArgumentOutOfRangeException(nameof(pointerSize), pointerSize, "x86 or x64 only"),
        };
}
