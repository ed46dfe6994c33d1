namespace Miraflow.Exports.Interop;

/// <summary>
/// The constants of netdispumdddi.h (and <c>INFINITE</c> from winbase.h) and the
/// <c>NT_SUCCESS</c> macro, in the TerraFX place for a header's free-standing declarations.
/// </summary>
public static partial class Windows
{
    /// <summary>The interface version the Windows 8.1 OS passes to <c>QueryMiracastDriverInterface</c>.</summary>
    [NativeTypeName("#define MIRACAST_DRIVER_INTERFACE_VERSION_1 0x01")]
    public const uint MIRACAST_DRIVER_INTERFACE_VERSION_1 = 0x01;

    /// <summary>The largest <c>AdditionalWaitEventCount</c> <c>GetNextChunkData</c> accepts.</summary>
    [NativeTypeName("#define MAX_ADDITIONAL_EVENTS 4")]
    public const uint MAX_ADDITIONAL_EVENTS = 4;

    /// <summary>The <c>TimeoutInMilliseconds</c> of <c>GetNextChunkData</c> that blocks until a chunk arrives (winbase.h).</summary>
    [NativeTypeName("#define INFINITE 0xFFFFFFFF")]
    public const uint INFINITE = 0xFFFFFFFF;

    /// <summary><c>NT_SUCCESS(Status)</c> (ntdef.h): success and information codes are non-negative.</summary>
    public static bool NT_SUCCESS([NativeTypeName("NTSTATUS")] int status) => status >= 0;
}
