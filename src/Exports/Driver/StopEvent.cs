using System.Runtime.InteropServices;
using Miraflow.Exports.Interop;

namespace Miraflow.Exports.Driver;

/// <summary>
/// The manual-reset event the chunk reader passes to <c>GetNextChunkData</c> as its one extra wait
/// event (contract §2.12), so a stop wakes a blocked call at once. A Windows event object on
/// Windows; an <c>eventfd</c> on Linux hosts (docs/kernel-protocol.md, "Linux hosts").
/// </summary>
internal sealed partial class StopEvent : IDisposable
{
    private readonly Lock _gate = new();
    private bool _disposed;

    /// <summary>Creates the event, unsignalled.</summary>
    /// <exception cref="IOException">The operating system refused to create it.</exception>
    public unsafe StopEvent()
    {
        if (OperatingSystem.IsWindows())
        {
            void* handle = CreateEventW(null, bManualReset: 1, bInitialState: 0, null);
            Handle = handle is not null ? new HANDLE(handle) : throw new IOException($"CreateEventW failed: error {Marshal.GetLastPInvokeError()}");
        }
        else
        {
            Handle = (HANDLE)LinuxWaitEvents.Create();
        }
    }

    /// <summary>The handle given to the OS.</summary>
    public HANDLE Handle { get; }

    /// <summary>Signals the event (it stays signalled). Safe to call after <see cref="Dispose"/>.</summary>
    public void Set()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (OperatingSystem.IsWindows())
            {
                _ = SetEvent(Handle);
            }
            else
            {
                _ = LinuxWaitEvents.Signal(Fd);
            }
        }
    }

    /// <summary>Closes the event. Call only once no <c>GetNextChunkData</c> call waits on it.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (OperatingSystem.IsWindows())
            {
                _ = CloseHandle(Handle);
            }
            else
            {
                LinuxWaitEvents.Close(Fd);
            }
        }
    }

    private unsafe int Fd => (int)(nint)Handle.Value;

    [LibraryImport("kernel32", SetLastError = true)]
    private static unsafe partial void* CreateEventW(void* lpEventAttributes, int bManualReset, int bInitialState, char* lpName);

    [LibraryImport("kernel32")]
    private static partial int SetEvent(HANDLE hEvent);

    [LibraryImport("kernel32")]
    private static partial int CloseHandle(HANDLE hObject);
}
