/*
 * netdispumdddi.h - C transcription of the Windows 8.1 Miracast user-mode driver contract
 * (docs: windows-driver-contract.md section 1), for the layout tests and the tests/native host
 * program that loads the driver library like the OS does.
 *
 * Everything the SDK header declares is here under the SDK's names: the constants, the enums,
 * the structs and unions and the NTAPI function-pointer typedefs. The primitive Windows types
 * are spelled with fixed-width C types so the header compiles with gcc/clang for x86 (-m32) and
 * x64 (-m64) on Linux and gives the layout MSVC gives on Windows:
 *
 *   - UINT64 members are 8-aligned on x86 too. MSVC aligns 8-byte scalars to 8 inside structs;
 *     the i386 System V ABI aligns them to 4, so the typedef carries aligned(8).
 *   - NTAPI is __stdcall on x86 (callee pops the arguments) and nothing elsewhere (x64 has a
 *     single calling convention).
 *
 * Do not include it together with <windows.h> or the real SDK header: on Windows, use those.
 */
#ifndef MIRAFLOW_NETDISPUMDDDI_H
#define MIRAFLOW_NETDISPUMDDDI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* --- Windows primitive types (contract section 0.1) ---------------------------------------- */

#if defined(_MSC_VER)
#define NTAPI __stdcall
#elif defined(__i386__)
#define NTAPI __attribute__((stdcall))
#else
#define NTAPI
#endif

typedef void VOID;
typedef void *PVOID;
typedef void *HANDLE;
typedef uint8_t UCHAR;
typedef uint32_t UINT;
typedef int32_t BOOL;               /* Win32 BOOL: 4 bytes, non-zero is true */
typedef int32_t NTSTATUS;           /* negative: error */
typedef uintptr_t SOCKET;           /* UINT_PTR: 4 bytes on x86, 8 on x64 */
#if defined(_MSC_VER)
typedef uint64_t UINT64;            /* MSVC already aligns it to 8 inside structs */
#else
typedef uint64_t UINT64 __attribute__((aligned(8)));
#endif

/* --- Constants (section 1.1) ---------------------------------------------------------------- */

#define MIRACAST_DRIVER_INTERFACE_VERSION_1 0x01
#define MAX_ADDITIONAL_EVENTS 4
#ifndef INFINITE
#define INFINITE 0xFFFFFFFF
#endif

/* NTSTATUS values of the contract (section 2.14). */
#define STATUS_SUCCESS                       ((NTSTATUS)0x00000000L)
#define STATUS_WAIT_0                        ((NTSTATUS)0x00000000L)
#define STATUS_WAIT_1                        ((NTSTATUS)0x00000001L)
#define STATUS_WAIT_2                        ((NTSTATUS)0x00000002L)
#define STATUS_WAIT_3                        ((NTSTATUS)0x00000003L)
#define STATUS_TIMEOUT                       ((NTSTATUS)0x00000102L)
#define STATUS_PENDING                       ((NTSTATUS)0x00000103L)
#define STATUS_INVALID_PARAMETER             ((NTSTATUS)0xC000000DL)
#define STATUS_NO_MEMORY                     ((NTSTATUS)0xC0000017L)
#define STATUS_BUFFER_TOO_SMALL              ((NTSTATUS)0xC0000023L)
#define STATUS_INSTANCE_NOT_AVAILABLE        ((NTSTATUS)0xC00000ABL)
#define STATUS_NOT_SUPPORTED                 ((NTSTATUS)0xC00000BBL)
#define STATUS_CONNECTION_RESET              ((NTSTATUS)0xC000020DL)
#define STATUS_DEVICE_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC0000468L)
#define STATUS_RESOURCE_IN_USE               ((NTSTATUS)0xC0000708L)

/* --- Enumerations (section 1.2); all 4 bytes, *_FORCE_UINT32 only forces the size ----------- */

typedef enum {
    MIRACAST_STATUS_CRITICAL_ERROR = 0,
    MIRACAST_STATUS_MISSING_KEEPALIVE = 1,
    MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST = 2,         /* sic: the SDK's spelling */
    MIRACAST_STATUS_INSUFFICIENT_BANDWIDTH = 3,
    MIRACAST_STATUS_SINK_FAILED_STANDARD_MODE_CHANGE = 4,
    MIRACAST_STATUS_COMPANION_DRIVER_DISCONNECT = 5,     /* later headers only, not Windows 8.1 */
    MIRACAST_STATUS_FORCE_UINT32 = 0xffffffff
} MIRACAST_STATUS;

typedef enum {
    MIRACAST_PROTOCOL_EVENT_IFRAME_RQ = 0,
    MIRACAST_PROTOCOL_EVENT_MONITOR_ARRIVE = 1,
    MIRACAST_PROTOCOL_EVENT_MONITOR_DEPART = 2,
    MIRACAST_PROTOCOL_EVENT_SINK_FAILED_PREFERRED_MODE_CHANGE = 3,   /* system only */
    MIRACAST_PROTOCOL_EVENT_FORCE_UINT32 = 0xffffffff
} MIRACAST_PROTOCOL_EVENT;

typedef enum {
    MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE = 0,
    MIRACAST_STATISTIC_TYPE_CHUNK_SENT = 1,
    MIRACAST_STATISTIC_TYPE_EVENT = 2,
    MIRACAST_STATISTIC_TYPE_FORCE_UINT32 = 0xffffffff
} MIRACAST_STATISTIC_TYPE;

typedef enum {
    MIRACAST_CHUNK_TYPE_UNKNOWN = 0,
    MIRACAST_CHUNK_TYPE_COLOR_CONVERT_COMPLETE = 1,
    MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE = 2,
    MIRACAST_CHUNK_TYPE_FRAME_START = 3,
    MIRACAST_CHUNK_TYPE_FRAME_DROPPED = 4,
    MIRACAST_CHUNK_TYPE_ENCODE_DRIVER_DEFINED_1 = 0x80000000,
    MIRACAST_CHUNK_TYPE_ENCODE_DRIVER_DEFINED_2 = 0x80000001,
    MIRACAST_CHUNK_TYPE_ENCODE_FORCE_UINT32 = 0xffffffff
} MIRACAST_CHUNK_TYPE;

/* --- Structures and unions (section 1.3) ---------------------------------------------------- */

/* Bits 0-39 frame, bits 40-63 part (bit-fields are allocated from the least significant bit). */
typedef union {
    struct {
        UINT64 FrameNumber : 40;
        UINT64 PartNumber : 24;
    };
    UINT64 Value;
} MIRACAST_CHUNK_ID;

typedef struct {
    MIRACAST_CHUNK_TYPE ChunkType;   /* 4 bytes of padding follow: ChunkId is 8-aligned */
    MIRACAST_CHUNK_ID ChunkId;
    UINT ProcessingTime;             /* microseconds */
    UINT EncodeRate;                 /* kilobits per second */
} MIRACAST_CHUNK_INFO;

typedef struct {
    MIRACAST_STATISTIC_TYPE StatisticType;
    union {
        struct {
            MIRACAST_CHUNK_INFO ChunkInfo;
        } EncodeComplete;
        struct {
            MIRACAST_CHUNK_ID ChunkId;
        } ChunkSent;
        struct {
            MIRACAST_PROTOCOL_EVENT Event;
        } ProtocolEvent;
    };
} MIRACAST_STATISTIC_DATA;

/* Variable length: entries are packed back to back, 28 + PrivateDriverDataSize bytes each. */
typedef struct {
    MIRACAST_CHUNK_INFO ChunkInfo;
    UINT PrivateDriverDataSize;
    UCHAR PrivateDriverData[1];
} MIRACAST_CHUNK_DATA;

typedef struct {
    UINT64 EncoderBitRate;           /* bit/s recommended for the A/V encoder */
    UINT64 CurrentMaxTxDataRate;     /* bit/s, theoretical maximum from the Wi-Fi driver */
    UINT64 TransmittedFrameCount;    /* since the last sample: sent with zero retries */
    UINT64 FailedFrameCount;         /* ... exhausted the retries */
    UINT64 RetriedFrameCount;        /* ... succeeded after one retry */
    UINT64 MultipleRetryFrameCount;  /* ... succeeded after more than one retry */
} MIRACAST_DATARATE_STATS;

typedef struct {
    UINT64 CurrentBitRate;           /* bit/s recommended for the A/V encoder */
    UINT64 LocalMaxBitRate;          /* bit/s the local Wi-Fi Direct hardware supports */
    UINT64 RemoteMaxBitRate;         /* bit/s the sink's hardware supports */
} MIRACAST_WFD_CONNECTION_STATS;

typedef union {
    struct {
        UINT MonitorConnected : 1;
        UINT ReducedModeListDueToBandwidth : 1;
        UINT Reserved : 30;
    };
    UINT Value;
} MIRACAST_SESSION_INFO;

/* --- Function-pointer typedefs (sections 1.4 and 1.5) --------------------------------------- */

/* Exported by name from the driver library. */
typedef NTSTATUS (NTAPI *QUERY_MIRACAST_DRIVER_INTERFACE)(
    UINT MiracastDriverInterfaceVersion,
    UINT MiracastDriverInterfaceSize,
    VOID *pMiracastDriverInterface);

/* OS callbacks. */
typedef VOID (NTAPI *PFN_REPORT_SESSION_STATUS)(
    HANDLE hMiracastDeviceHandle,
    MIRACAST_STATUS MiracastStatus,
    NTSTATUS Status);

typedef NTSTATUS (NTAPI *PFN_MIRACAST_IO_CONTROL)(
    HANDLE hMiracastDeviceHandle,
    BOOL HardwareAccess,
    UINT InputBufferSize,
    VOID *pInputBuffer,
    UINT OutputBufferSize,
    VOID *pOutputBuffer,
    UINT *pBytesReturned);           /* optional */

typedef VOID (NTAPI *PFN_REPORT_STATISTIC)(
    HANDLE hMiracastDeviceHandle,
    MIRACAST_STATISTIC_DATA *pStatistics);

typedef NTSTATUS (NTAPI *PFN_GET_NEXT_CHUNK_DATA)(
    HANDLE hMiracastDeviceHandle,
    UINT TimeoutInMilliseconds,
    UINT AdditionalWaitEventCount,
    HANDLE *pAdditionalWaitEvents,   /* optional */
    UINT *pChunkDataBufferSize,      /* in: capacity; out: bytes written */
    MIRACAST_CHUNK_DATA *pChunkDataBuffer,
    UINT *pOutstandingChunksToProcess);

typedef void (NTAPI *PFN_DATARATE_NOTIFICATION)(
    PVOID context,
    MIRACAST_DATARATE_STATS *pDataRateStats);   /* optional: NULL = no more QoS data */

typedef NTSTATUS (NTAPI *PFN_REGISTER_DATARATE_NOTIFICATIONS)(
    HANDLE hMiracastDeviceHandle,
    PVOID pNotificationContext,                 /* optional */
    PFN_DATARATE_NOTIFICATION pfnDataRateNotify);   /* optional: NULL = unregister */

typedef struct _MIRACAST_CALLBACKS {
    PFN_REPORT_SESSION_STATUS ReportSessionStatus;
    PFN_MIRACAST_IO_CONTROL MiracastIoControl;
    PFN_REPORT_STATISTIC ReportStatistic;
    PFN_GET_NEXT_CHUNK_DATA GetNextChunkData;
    PFN_REGISTER_DATARATE_NOTIFICATIONS RegisterForDataRateNotifications;
} MIRACAST_CALLBACKS, *PMIRACAST_CALLBACKS;

/* Driver entry points. */
typedef NTSTATUS (NTAPI *PFN_CREATE_MIRACAST_CONTEXT)(
    HANDLE hMiracastDeviceHandle,
    MIRACAST_CALLBACKS *pMiracastCallbacks,
    PVOID *ppMiracastContext);

typedef VOID (NTAPI *PFN_DESTROY_MIRACAST_CONTEXT)(
    PVOID pMiracastContext);

typedef NTSTATUS (NTAPI *PFN_START_MIRACAST_SESSION)(
    PVOID pMiracastContext,
    SOCKET MiracastRTSPSocket,
    MIRACAST_WFD_CONNECTION_STATS *pWfdConnectionStats,
    MIRACAST_SESSION_INFO *pSessionInfo);

typedef VOID (NTAPI *PFN_STOP_MIRACAST_SESSION)(
    PVOID pMiracastContext);

typedef NTSTATUS (NTAPI *PFN_HANDLE_KMD_MESSAGE)(
    PVOID pMiracastContext,
    UINT InputBufferSize,
    VOID *pInputBuffer,
    UINT OutputBufferSize,
    VOID *pOutputBuffer,
    UINT *pBytesReturned);

typedef struct _MIRACAST_DRIVER_INTERFACE {
    UINT Size;
    PFN_CREATE_MIRACAST_CONTEXT CreateMiracastContext;
    PFN_DESTROY_MIRACAST_CONTEXT DestroyMiracastContext;
    PFN_START_MIRACAST_SESSION StartMiracastSession;
    PFN_STOP_MIRACAST_SESSION StopMiracastSession;
    PFN_HANDLE_KMD_MESSAGE HandleKernelModeMessage;
} MIRACAST_DRIVER_INTERFACE, *PMIRACAST_DRIVER_INTERFACE;

/* --- The sizes of contract section 1.3, checked wherever this header is compiled ------------ */

#if !defined(__cplusplus)
_Static_assert(sizeof(MIRACAST_CHUNK_ID) == 8, "MIRACAST_CHUNK_ID");
_Static_assert(sizeof(MIRACAST_CHUNK_INFO) == 24, "MIRACAST_CHUNK_INFO");
_Static_assert(sizeof(MIRACAST_CHUNK_DATA) == 32, "MIRACAST_CHUNK_DATA");
_Static_assert(sizeof(MIRACAST_STATISTIC_DATA) == 32, "MIRACAST_STATISTIC_DATA");
_Static_assert(sizeof(MIRACAST_DATARATE_STATS) == 48, "MIRACAST_DATARATE_STATS");
_Static_assert(sizeof(MIRACAST_WFD_CONNECTION_STATS) == 24, "MIRACAST_WFD_CONNECTION_STATS");
_Static_assert(sizeof(MIRACAST_SESSION_INFO) == 4, "MIRACAST_SESSION_INFO");
_Static_assert(sizeof(MIRACAST_CALLBACKS) == 5 * sizeof(void *), "MIRACAST_CALLBACKS");
_Static_assert(sizeof(MIRACAST_DRIVER_INTERFACE) == 6 * sizeof(void *), "MIRACAST_DRIVER_INTERFACE");
#endif

#ifdef __cplusplus
}
#endif

#endif /* MIRAFLOW_NETDISPUMDDDI_H */
