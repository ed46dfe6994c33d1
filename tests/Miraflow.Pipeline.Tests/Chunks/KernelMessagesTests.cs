using System.Buffers.Binary;
using Miraflow.Pipeline.Chunks;

namespace Miraflow.Pipeline.Tests.Chunks;

/// <summary>The UMD ↔ KMD messages of docs/kernel-protocol.md other than the chunk descriptor: bytes at the documented offsets, and refusals.</summary>
[Trait("Category", "unit")]
public sealed class KernelMessagesTests
{
    [Fact]
    public void Monitor_arrival_is_written_at_the_documented_offsets_and_read_back()
    {
        byte[] edid = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var arrival = new MonitorArrivalMessage(ConnectorType: 5, Width: 1280, Height: 720, FramesPerSecond: 30, edid);
        byte[] bytes = new byte[arrival.Size];
        arrival.Write(bytes);

        Assert.Equal(32 + 256, bytes.Length);
        Assert.Equal("4D464B50" + "0100" + "1000" + "20010000", Convert.ToHexString(bytes, 0, 12)); // 'MFKP', v1, type 16, size 288
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(1280, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal(720, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(30, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(256, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(28)));
        Assert.Equal(edid, bytes[32..]);

        Assert.Equal(KernelMessageError.None, MonitorArrivalMessage.TryRead(bytes, out MonitorArrivalMessage read, out _));
        Assert.Equal((5u, 1280, 720, 30), (read.ConnectorType, read.Width, read.Height, read.FramesPerSecond));
        Assert.Equal(edid, read.Edid.ToArray());
    }

    [Theory]
    [InlineData(28, 100)] // EDID length not a multiple of 128
    [InlineData(16, 0)] // width 0
    [InlineData(24, 1000)] // 1000 fps
    public void Monitor_arrival_with_a_bad_field_is_refused_with_a_reason(int offset, int value)
    {
        byte[] bytes = new byte[32 + 128];
        new MonitorArrivalMessage(15, 1920, 1080, 60, new byte[128]).Write(bytes);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(offset), value);

        Assert.Equal(KernelMessageError.BadField, MonitorArrivalMessage.TryRead(bytes, out _, out string? detail));
        Assert.StartsWith("monitor arrival:", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_store_info_carries_a_utf16_name_padded_with_nul_and_is_88_bytes()
    {
        byte[] bytes = new byte[FrameStoreInfoMessage.Size];
        new FrameStoreInfoMessage(8, 3_133_440, "/dev/shm/miraflow-42-1").Write(bytes);

        Assert.Equal(20, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.Equal(88u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)));
        Assert.Equal(8, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12)));
        Assert.Equal(3_133_440, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(16)));
        Assert.Equal((byte)'/', bytes[24]);
        Assert.Equal(0, bytes[25]);
        Assert.All(bytes[(24 + (2 * 22))..], b => Assert.Equal(0, b));

        Assert.Equal(KernelMessageError.None, FrameStoreInfoMessage.TryRead(bytes, out FrameStoreInfoMessage read, out _));
        Assert.Equal(new FrameStoreInfoMessage(8, 3_133_440, "/dev/shm/miraflow-42-1"), read);
        Assert.Equal(KernelMessageError.Truncated, FrameStoreInfoMessage.TryRead(bytes.AsSpan(0, 40), out _, out _));
        Assert.Throws<ArgumentException>(() => new FrameStoreInfoMessage(1, 1, new string('x', 33)).Write(bytes));
    }

    [Fact]
    public void Release_slots_lists_the_slots_and_a_count_that_disagrees_with_the_size_is_refused()
    {
        byte[] bytes = new byte[ReleaseSlotsMessage.SizeFor(3)];
        Assert.Equal(28, ReleaseSlotsMessage.Write(bytes, [4, 0, 7]));
        Assert.Equal(KernelMessageError.None, ReleaseSlotsMessage.TryRead(bytes, out int[] slots, out _));
        Assert.Equal([4, 0, 7], slots);

        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), 4);
        Assert.Equal(KernelMessageError.BadField, ReleaseSlotsMessage.TryRead(bytes, out _, out string? detail));
        Assert.Contains("count 4", detail, StringComparison.Ordinal);
    }
}
