using System.Buffers;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Tests.Ts;

/// <summary>Hand-made H.264 access units and helpers to run the muxer into memory.</summary>
internal static class TsTestData
{
    // A CBP level 3.1 SPS header (profile_idc 66, constraint_set0+1, level_idc 31) and its PPS;
    // the bytes after the first four are not parsed by the muxer.
    public static readonly byte[] Sps = [0x00, 0x00, 0x00, 0x01, 0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x01, 0x40, 0x16, 0xE8];
    public static readonly byte[] Pps = [0x00, 0x00, 0x00, 0x01, 0x68, 0xCE, 0x3C, 0x80];
    public static readonly byte[] Aud = [0x00, 0x00, 0x00, 0x01, 0x09, 0xF0];

    public static byte[] IdrSlice(int size) => Slice(0x65, size);

    public static byte[] NonIdrSlice(int size) => Slice(0x41, size);

    /// <summary>A slice NAL unit of <paramref name="size"/> bytes (start code included), with no start code inside.</summary>
    public static byte[] Slice(byte header, int size)
    {
        var nal = new byte[size];
        nal[3] = 0x01;
        nal[4] = header;
        for (int i = 5; i < size; i++)
        {
            nal[i] = (byte)(0x80 | (i & 0x7F));
        }

        return nal;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Muxes with a fresh buffer sink and returns the packets.</summary>
    public static List<byte[]> Packets(Action<TsBufferSink> write)
    {
        var output = new ArrayBufferWriter<byte>();
        var sink = new TsBufferSink(output);
        write(sink);
        return Split(output.WrittenSpan);
    }

    public static List<byte[]> Split(ReadOnlySpan<byte> stream)
    {
        Assert.Equal(0, stream.Length % TsPacket.Size);
        var packets = new List<byte[]>();
        for (int i = 0; i < stream.Length; i += TsPacket.Size)
        {
            packets.Add(stream.Slice(i, TsPacket.Size).ToArray());
        }

        return packets;
    }

    public static void Video(this TsMuxer muxer, TsBufferSink sink, byte[] accessUnit, long ms) =>
        muxer.WriteVideo(ref sink, accessUnit, MediaTime.FromMicroseconds(ms * 1000), MediaTime.FromMicroseconds(ms * 1000), MediaTime.FromMicroseconds(ms * 1000));

    public static int Pid(byte[] packet) => TsPacket.ReadPid(packet);

    /// <summary>The PES payload of the packets of one PID, with TS headers and adaptation fields removed.</summary>
    public static byte[] Payload(IEnumerable<byte[]> packets, int pid)
    {
        var bytes = new List<byte>();
        foreach (byte[] p in packets.Where(p => Pid(p) == pid))
        {
            int start = TsPacket.HeaderSize;
            if ((TsPacket.ReadAdaptationFieldControl(p) & 0b10) != 0)
            {
                start += 1 + p[4];
            }

            bytes.AddRange(p[start..]);
        }

        return [.. bytes];
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
