using System.Net.Sockets;
using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;
using Miraflow.Simulator.Os;

namespace Miraflow.Simulator.Tests.Os;

/// <summary>Calls the emulator's callbacks the way a driver does: through the function pointers of its <see cref="MIRACAST_CALLBACKS"/>.</summary>
internal static unsafe class OsCalls
{
    public static int GetNextChunkData(OsEmulator os, uint timeout, Span<byte> buffer, out uint size, out uint outstanding, params ReadOnlySpan<int> events)
    {
        HANDLE* handles = stackalloc HANDLE[Math.Max(1, events.Length)];
        for (int i = 0; i < events.Length; i++)
        {
            handles[i] = (HANDLE)events[i];
        }

        uint s = (uint)buffer.Length;
        uint left = 0xDEAD;
        fixed (byte* b = buffer)
        {
            int status = os.Callbacks.GetNextChunkData(os.DeviceHandle, timeout, (uint)events.Length, events.Length == 0 ? null : handles, &s, (MIRACAST_CHUNK_DATA*)b, &left);
            size = s;
            outstanding = left;
            return status;
        }
    }

    public static int IoControl(OsEmulator os, ReadOnlySpan<byte> input, Span<byte> output, out uint returned)
    {
        uint r = 0xDEAD;
        fixed (byte* i = input)
        fixed (byte* o = output)
        {
            int status = os.Callbacks.MiracastIoControl(os.DeviceHandle, BOOL.FALSE, (uint)input.Length, i, (uint)output.Length, o, &r);
            returned = r;
            return status;
        }
    }

    public static int HeaderOnly(OsEmulator os, KernelMessageType type)
    {
        Span<byte> message = stackalloc byte[KernelMessage.HeaderSize];
        KernelMessage.WriteHeader(message, type, KernelMessage.HeaderSize);
        return IoControl(os, message, [], out _);
    }

    public static int MonitorArrival(OsEmulator os, int width, int height, int fps)
    {
        var arrival = new MonitorArrivalMessage(5, width, height, fps, new byte[128]);
        byte[] message = new byte[arrival.Size];
        arrival.Write(message);
        return IoControl(os, message, [], out _);
    }

    public static int ReleaseSlots(OsEmulator os, params ReadOnlySpan<int> slots)
    {
        byte[] message = new byte[ReleaseSlotsMessage.SizeFor(slots.Length)];
        _ = ReleaseSlotsMessage.Write(message, slots);
        return IoControl(os, message, [], out _);
    }


    public static List<(MIRACAST_CHUNK_INFO Info, byte[] Private)> Read(ReadOnlySpan<byte> buffer)
    {
        var chunks = new List<(MIRACAST_CHUNK_INFO, byte[])>();
        var reader = new MiracastChunkDataReader(buffer);
        while (reader.TryReadNext(out MIRACAST_CHUNK_INFO info, out ReadOnlySpan<byte> data))
        {
            chunks.Add((info, data.ToArray()));
        }

        return chunks;
    }
}
