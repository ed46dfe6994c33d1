using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;

namespace Miraflow.Exports.Driver;

/// <summary>
/// The UMD → KMD messages of the reference kernel-driver protocol (docs/kernel-protocol.md), sent
/// through the OS's <c>MiracastIoControl</c> (contract §2.8) with <c>HardwareAccess = FALSE</c>:
/// none of them needs the GPU's pending DMA flushed.
/// </summary>
internal sealed unsafe class KernelChannel(HANDLE device, delegate* unmanaged[Stdcall]<HANDLE, BOOL, uint, void*, uint, void*, uint*, int> ioControl)
{
    /// <summary>Asks where the frame store is; the answer is checked.</summary>
    /// <returns>The OS's status, or STATUS_NOT_SUPPORTED for an answer that does not parse: a kernel driver that does not speak the reference protocol (<paramref name="error"/> says why).</returns>
    public int QueryFrameStore(out FrameStoreInfoMessage info, out string? error)
    {
        info = default;
        error = null;
        byte* request = stackalloc byte[KernelMessage.HeaderSize];
        KernelMessage.WriteHeader(new Span<byte>(request, KernelMessage.HeaderSize), KernelMessageType.QueryFrameStore, KernelMessage.HeaderSize);
        byte* answer = stackalloc byte[FrameStoreInfoMessage.Size];
        uint returned = 0;
        int status = ioControl(device, BOOL.FALSE, KernelMessage.HeaderSize, request, FrameStoreInfoMessage.Size, answer, &returned);
        if (status != STATUS.STATUS_SUCCESS)
        {
            error = $"QueryFrameStore failed with 0x{status:X8}";
            return status;
        }

        int length = (int)Math.Min(returned, (uint)FrameStoreInfoMessage.Size);
        if (FrameStoreInfoMessage.TryRead(new ReadOnlySpan<byte>(answer, length), out info, out error) != KernelMessageError.None)
        {
            return STATUS.STATUS_NOT_SUPPORTED;
        }

        return STATUS.STATUS_SUCCESS;
    }

    /// <summary>Reports the monitor behind the sink (the HPD arrival): connector, streamed mode, EDID.</summary>
    public int SendMonitorArrival(in MonitorArrivalMessage arrival)
    {
        byte[] message = new byte[arrival.Size];
        arrival.Write(message);
        return Send(message);
    }

    /// <summary>Reports that the sink's monitor went away (HPD departure).</summary>
    public int SendMonitorDeparture() => SendHeaderOnly(KernelMessageType.MonitorDeparture);

    /// <summary>Asks the GPU encoder for an IDR (pass-through sessions).</summary>
    public int RequestIdr() => SendHeaderOnly(KernelMessageType.RequestIdr);

    /// <summary>Gives frame-store slots back.</summary>
    public int ReleaseSlots(ReadOnlySpan<int> slots)
    {
        int size = ReleaseSlotsMessage.SizeFor(slots.Length);
        Span<byte> message = size <= 1024 ? stackalloc byte[size] : new byte[size];
        _ = ReleaseSlotsMessage.Write(message, slots);
        return Send(message);
    }

    private int SendHeaderOnly(KernelMessageType type)
    {
        Span<byte> message = stackalloc byte[KernelMessage.HeaderSize];
        KernelMessage.WriteHeader(message, type, KernelMessage.HeaderSize);
        return Send(message);
    }

    private int Send(ReadOnlySpan<byte> message)
    {
        fixed (byte* input = message)
        {
            return ioControl(device, BOOL.FALSE, (uint)message.Length, input, 0, null, null);
        }
    }
}
