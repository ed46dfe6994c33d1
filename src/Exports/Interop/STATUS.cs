namespace Miraflow.Exports.Interop;

/// <summary>
/// The <c>NTSTATUS</c> values of the Miracast contract (ntstatus.h; driver contract §2.14).
/// <c>NTSTATUS</c> itself is declared as a plain <see cref="int"/> tagged
/// <c>[NativeTypeName("NTSTATUS")]</c>, as in TerraFX: success and information codes are
/// non-negative, error codes (severity bits <c>11</c>) negative.
/// </summary>
public static partial class STATUS
{
    /// <summary>Success; returned everywhere.</summary>
    [NativeTypeName("#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)")]
    public const int STATUS_SUCCESS = 0x00000000;

    /// <summary>
    /// <c>GetNextChunkData</c>: additional wait event 0 was signalled. The same value as
    /// <see cref="STATUS_SUCCESS"/>: a written size of 0 tells it from "chunks returned".
    /// </summary>
    [NativeTypeName("#define STATUS_WAIT_0 ((NTSTATUS)0x00000000L)")]
    public const int STATUS_WAIT_0 = 0x00000000;

    /// <summary><c>GetNextChunkData</c>: additional wait event 1 was signalled (the written size is 0).</summary>
    [NativeTypeName("#define STATUS_WAIT_1 ((NTSTATUS)0x00000001L)")]
    public const int STATUS_WAIT_1 = 0x00000001;

    /// <summary><c>GetNextChunkData</c>: additional wait event 2 was signalled (the written size is 0).</summary>
    [NativeTypeName("#define STATUS_WAIT_2 ((NTSTATUS)0x00000002L)")]
    public const int STATUS_WAIT_2 = 0x00000002;

    /// <summary><c>GetNextChunkData</c>: additional wait event 3 was signalled (the written size is 0).</summary>
    [NativeTypeName("#define STATUS_WAIT_3 ((NTSTATUS)0x00000003L)")]
    public const int STATUS_WAIT_3 = 0x00000003;

    /// <summary><c>GetNextChunkData</c>: the timeout passed without a chunk.</summary>
    [NativeTypeName("#define STATUS_TIMEOUT ((NTSTATUS)0x00000102L)")]
    public const int STATUS_TIMEOUT = 0x00000102;

    /// <summary>Success of <c>DxgkCbMiracastSendMessage</c>: the message was queued.</summary>
    [NativeTypeName("#define STATUS_PENDING ((NTSTATUS)0x00000103L)")]
    public const int STATUS_PENDING = 0x00000103;

    /// <summary>An invalid argument (<c>RegisterForDataRateNotifications</c>; the KMD's chunk interrupt <c>Status</c>).</summary>
    [NativeTypeName("#define STATUS_INVALID_PARAMETER ((NTSTATUS)0xC000000DL)")]
    public const int STATUS_INVALID_PARAMETER = unchecked((int)0xC000000D);

    /// <summary>The KMD's chunk interrupt <c>Status</c> when its chunk queue is full.</summary>
    [NativeTypeName("#define STATUS_NO_MEMORY ((NTSTATUS)0xC0000017L)")]
    public const int STATUS_NO_MEMORY = unchecked((int)0xC0000017);

    /// <summary><c>GetNextChunkData</c>: the buffer cannot hold the next chunk.</summary>
    [NativeTypeName("#define STATUS_BUFFER_TOO_SMALL ((NTSTATUS)0xC0000023L)")]
    public const int STATUS_BUFFER_TOO_SMALL = unchecked((int)0xC0000023);

    /// <summary><c>GetNextChunkData</c>: the Miracast session is gone.</summary>
    [NativeTypeName("#define STATUS_INSTANCE_NOT_AVAILABLE ((NTSTATUS)0xC00000ABL)")]
    public const int STATUS_INSTANCE_NOT_AVAILABLE = unchecked((int)0xC00000AB);

    /// <summary>
    /// <c>RegisterForDataRateNotifications</c>: the OS cannot provide QoS data, or the call was not
    /// made on the thread the OS is calling <c>StartMiracastSession</c> or <c>StopMiracastSession</c> on.
    /// </summary>
    [NativeTypeName("#define STATUS_NOT_SUPPORTED ((NTSTATUS)0xC00000BBL)")]
    public const int STATUS_NOT_SUPPORTED = unchecked((int)0xC00000BB);

    /// <summary><c>GetNextChunkData</c>: chunks were lost because the queue overflowed.</summary>
    [NativeTypeName("#define STATUS_CONNECTION_RESET ((NTSTATUS)0xC000020DL)")]
    public const int STATUS_CONNECTION_RESET = unchecked((int)0xC000020D);

    /// <summary><c>StartMiracastSession</c>: the link cannot carry even 1024×768.</summary>
    [NativeTypeName("#define STATUS_DEVICE_INSUFFICIENT_RESOURCES ((NTSTATUS)0xC0000468L)")]
    public const int STATUS_DEVICE_INSUFFICIENT_RESOURCES = unchecked((int)0xC0000468);

    /// <summary><c>DxgkDdiMiracastCreateContext</c>: the hardware is busy with another session.</summary>
    [NativeTypeName("#define STATUS_RESOURCE_IN_USE ((NTSTATUS)0xC0000708L)")]
    public const int STATUS_RESOURCE_IN_USE = unchecked((int)0xC0000708);

    /// <summary>
    /// A generic failure. Not named by the Miracast pages (§2.3: "an ntstatus.h error code"); the
    /// driver returns it when an unexpected exception is caught at an export (docs/driver.md).
    /// </summary>
    [NativeTypeName("#define STATUS_UNSUCCESSFUL ((NTSTATUS)0xC0000001L)")]
    public const int STATUS_UNSUCCESSFUL = unchecked((int)0xC0000001);

    /// <summary>
    /// The request is not implemented. Not named by the Miracast pages; the driver returns it from
    /// <c>HandleKernelModeMessage</c> for a message type it does not handle (docs/driver.md).
    /// </summary>
    [NativeTypeName("#define STATUS_NOT_IMPLEMENTED ((NTSTATUS)0xC0000002L)")]
    public const int STATUS_NOT_IMPLEMENTED = unchecked((int)0xC0000002);

    /// <summary>
    /// The device is not in a state for this request. Not named by the Miracast pages; the driver
    /// returns it for a second <c>StartMiracastSession</c> while one runs and for a kernel message
    /// when no session runs (docs/driver.md).
    /// </summary>
    [NativeTypeName("#define STATUS_INVALID_DEVICE_STATE ((NTSTATUS)0xC0000184L)")]
    public const int STATUS_INVALID_DEVICE_STATE = unchecked((int)0xC0000184);

    /// <summary>
    /// An I/O request timed out. Not named by the Miracast pages; <c>StartMiracastSession</c>
    /// returns it when the sink did not answer in time (docs/driver.md).
    /// </summary>
    [NativeTypeName("#define STATUS_IO_TIMEOUT ((NTSTATUS)0xC00000B5L)")]
    public const int STATUS_IO_TIMEOUT = unchecked((int)0xC00000B5);

    /// <summary>
    /// The connection was disconnected. Not named by the Miracast pages; <c>StartMiracastSession</c>
    /// returns it when the sink closed the connection or tore the session down during the start.
    /// </summary>
    [NativeTypeName("#define STATUS_CONNECTION_DISCONNECTED ((NTSTATUS)0xC000020CL)")]
    public const int STATUS_CONNECTION_DISCONNECTED = unchecked((int)0xC000020C);
}
