using System.Runtime.InteropServices;

namespace Miraflow.Exports.Interop;

/// <summary>
/// The contract's wait events on Linux (docs/kernel-protocol.md, "Linux hosts"): a
/// <see cref="HANDLE"/> passed to <c>GetNextChunkData</c> is an <c>eventfd</c> file descriptor,
/// signalled while readable. The OS side only polls it, so it stays signalled like a Windows
/// manual-reset event until its owner reads (<see cref="Reset"/>) or closes it.
/// </summary>
/// <remarks>libc declared by hand like the Windows types (house style §6); blittable, no marshalling.</remarks>
public static unsafe partial class LinuxWaitEvents
{
    private const int EFD_CLOEXEC = 0x80000;
    private const int EFD_NONBLOCK = 0x800;
    private const short POLLIN = 0x001;
    private const int MaxEvents = 8;

    /// <summary>Creates an unsignalled event.</summary>
    /// <exception cref="IOException">eventfd failed (the errno is in the message).</exception>
    public static int Create()
    {
        int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        return fd >= 0 ? fd : throw new IOException($"eventfd failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Signals the event; false when the write failed (a closed descriptor).</summary>
    public static bool Signal(int fd)
    {
        ulong one = 1;
        return write(fd, &one, sizeof(ulong)) == sizeof(ulong);
    }

    /// <summary>Makes the event unsignalled again (reads its counter).</summary>
    public static void Reset(int fd)
    {
        ulong value;
        _ = read(fd, &value, sizeof(ulong));
    }

    /// <summary>Closes the event.</summary>
    public static void Close(int fd) => _ = close(fd);

    /// <summary>
    /// Waits until one of <paramref name="fds"/> is signalled, at most <paramref name="timeoutMilliseconds"/>
    /// (−1: for ever). Returns the index of the first signalled one, or −1 on timeout.
    /// </summary>
    /// <exception cref="ArgumentException">More than 8 events.</exception>
    /// <exception cref="IOException">poll failed with something other than EINTR.</exception>
    public static int WaitAny(ReadOnlySpan<int> fds, int timeoutMilliseconds)
    {
        if (fds.Length > MaxEvents)
        {
            throw new ArgumentException($"At most {MaxEvents} events.", nameof(fds));
        }

        PollFd* set = stackalloc PollFd[MaxEvents];
        for (int i = 0; i < fds.Length; i++)
        {
            set[i] = new PollFd { fd = fds[i], events = POLLIN };
        }

        int result = poll(set, (nuint)fds.Length, timeoutMilliseconds);
        if (result < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == 4 /* EINTR */ ? -1 : throw new IOException($"poll failed: errno {errno}");
        }

        for (int i = 0; i < fds.Length; i++)
        {
            if ((set[i].revents & POLLIN) != 0)
            {
                return i;
            }
        }

        return -1;
    }

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int eventfd(uint initval, int flags);

    [LibraryImport("libc", EntryPoint = "write")]
    private static partial nint write(int fd, void* buf, nuint count);

    [LibraryImport("libc", EntryPoint = "read")]
    private static partial nint read(int fd, void* buf, nuint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int close(int fd);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int poll(PollFd* fds, nuint nfds, int timeout);

    /// <summary><c>struct pollfd</c>, 8 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int fd;
        public short events;
        public short revents;
    }
}
