using System.Buffers.Binary;
using Miraflow.Exports.Interop;

namespace Miraflow.Exports.Tests.Interop;

/// <summary>
/// The packed <c>GetNextChunkData</c> buffer: entries of <c>28 + PrivateDriverDataSize</c> bytes
/// back to back, read from misaligned addresses with <see cref="MiracastChunkDataReader"/> and
/// written with <see cref="MiracastChunkDataWriter"/>.
/// </summary>
[Trait("Category", "unit")]
public sealed class ChunkDataTests
{
    private static readonly byte[] s_private3 = [0xA1, 0xA2, 0xA3];
    private static readonly byte[] s_private13 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];

    [Fact]
    public void Header_size_is_the_field_offset_of_private_driver_data()
    {
        Assert.Equal(28, MiracastChunkDataReader.HeaderSize);
        Assert.Equal(28L, MiracastChunkDataWriter.GetEntrySize(0));
        Assert.Equal(41L, MiracastChunkDataWriter.GetEntrySize(13));
        Assert.Equal(28L + uint.MaxValue, MiracastChunkDataWriter.GetEntrySize(uint.MaxValue));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void Reader_reads_packed_entries_at_any_alignment(int misalignment)
    {
        // Built by hand, little-endian, per the contract: strides 28, 31 and 41, so the second
        // and third ChunkId are misaligned whatever the start.
        byte[] storage = new byte[misalignment + 28 + 31 + 41];
        Span<byte> buffer = storage.AsSpan(misalignment);
        int at = 0;
        at += Encode(buffer[at..], MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_START, 0x0000_0100_0000_0001UL, 11, 0, []);
        at += Encode(buffer[at..], MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE, 0xFFFF_FFFF_FFFF_FFFFUL, 1_234, 20_000, s_private3);
        at += Encode(buffer[at..], MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_DRIVER_DEFINED_2, 0x0123_4567_89AB_CDEFUL, 0xFFFF_FFFF, 7, s_private13);
        Assert.Equal(buffer.Length, at);

        var reader = new MiracastChunkDataReader(buffer);

        Assert.True(reader.TryReadNext(out MIRACAST_CHUNK_INFO info, out ReadOnlySpan<byte> data));
        Assert.Equal(MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_START, info.ChunkType);
        Assert.Equal(1UL, info.ChunkId.FrameNumber);
        Assert.Equal(1UL, info.ChunkId.PartNumber);
        Assert.Equal(11u, info.ProcessingTime);
        Assert.Equal(0u, info.EncodeRate);
        Assert.Equal(0, data.Length);
        Assert.Equal(31 + 41, reader.BytesRemaining);

        Assert.True(reader.TryReadNext(out info, out data));
        Assert.Equal(MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE, info.ChunkType);
        Assert.Equal(0xFF_FFFF_FFFFUL, info.ChunkId.FrameNumber);
        Assert.Equal(0xFF_FFFFUL, info.ChunkId.PartNumber);
        Assert.Equal(1_234u, info.ProcessingTime);
        Assert.Equal(20_000u, info.EncodeRate);
        Assert.Equal(s_private3, data.ToArray());
        Assert.Equal(41, reader.BytesRemaining);

        Assert.True(reader.TryReadNext(out info, out data));
        Assert.Equal(MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_DRIVER_DEFINED_2, info.ChunkType);
        Assert.Equal(0x0123_4567_89AB_CDEFUL, info.ChunkId.Value);
        Assert.Equal(0xFFFF_FFFFu, info.ProcessingTime);
        Assert.Equal(7u, info.EncodeRate);
        Assert.Equal(s_private13, data.ToArray());
        Assert.Equal(0, reader.BytesRemaining);

        Assert.False(reader.TryReadNext(out _, out _));
    }

    [Fact]
    public void Reader_stops_at_an_empty_buffer()
    {
        var reader = new MiracastChunkDataReader([]);
        Assert.False(reader.TryReadNext(out MIRACAST_CHUNK_INFO info, out ReadOnlySpan<byte> data));
        Assert.Equal(default, info);
        Assert.True(data.IsEmpty);
        Assert.Equal(0, reader.BytesRemaining);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(27)]
    public void Reader_leaves_a_tail_shorter_than_a_header_unread(int length)
    {
        var reader = new MiracastChunkDataReader(new byte[length]);
        Assert.False(reader.TryReadNext(out _, out _));
        Assert.Equal(length, reader.BytesRemaining);
    }

    [Theory]
    [InlineData(4u, 3)]                 // one private byte missing
    [InlineData(0x8000_0000u, 0)]       // a size beyond int
    [InlineData(uint.MaxValue, 10)]     // a size that would overflow 28 + size
    public void Reader_leaves_an_entry_whose_private_data_is_cut_short_unread(uint claimedSize, int presentBytes)
    {
        byte[] buffer = new byte[28 + presentBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(24), claimedSize);

        var reader = new MiracastChunkDataReader(buffer);
        Assert.False(reader.TryReadNext(out _, out _));
        Assert.Equal(buffer.Length, reader.BytesRemaining);
    }

    [Fact]
    public void Reader_reads_complete_entries_before_a_truncated_one()
    {
        byte[] buffer = new byte[28 + 3 + 20];
        Encode(buffer, MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED, 9, 0, 0, s_private3);

        var reader = new MiracastChunkDataReader(buffer);
        Assert.True(reader.TryReadNext(out MIRACAST_CHUNK_INFO info, out _));
        Assert.Equal(MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED, info.ChunkType);
        Assert.False(reader.TryReadNext(out _, out _));
        Assert.Equal(20, reader.BytesRemaining);
    }

    [Fact]
    public void Writer_produces_the_documented_bytes_with_zero_padding()
    {
        var info = new MIRACAST_CHUNK_INFO
        {
            ChunkType = MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE,
            ChunkId = new MIRACAST_CHUNK_ID { FrameNumber = 0x12_3456_789AUL, PartNumber = 0xBC_DEF0UL },
            ProcessingTime = 0x1122_3344,
            EncodeRate = 0x5566_7788,
        };
        byte[] expected = new byte[31];
        Encode(expected, info.ChunkType, info.ChunkId.Value, info.ProcessingTime, info.EncodeRate, s_private3);

        byte[] storage = new byte[1 + 31];
        storage.AsSpan().Fill(0xEE);
        Assert.True(MiracastChunkDataWriter.TryWrite(storage.AsSpan(1), info, s_private3, out int written));

        Assert.Equal(31, written);
        Assert.Equal(expected, storage.AsSpan(1).ToArray());
        Assert.Equal(0xEE, storage[0]);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(27, 0)]
    [InlineData(30, 3)]
    public void Writer_writes_nothing_when_the_entry_does_not_fit(int capacity, int privateLength)
    {
        byte[] destination = new byte[capacity];
        destination.AsSpan().Fill(0xEE);

        Assert.False(MiracastChunkDataWriter.TryWrite(destination, default, new byte[privateLength], out int written));
        Assert.Equal(0, written);
        Assert.All(destination, b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void Writer_and_reader_round_trip_many_entries_back_to_back()
    {
        byte[] storage = new byte[1 + (100 * 28) + (99 * 100 / 2)];
        Span<byte> buffer = storage.AsSpan(1);
        int at = 0;
        for (int i = 0; i < 100; i++)
        {
            var info = new MIRACAST_CHUNK_INFO
            {
                ChunkType = (MIRACAST_CHUNK_TYPE)(uint)(i % 5),
                ChunkId = new MIRACAST_CHUNK_ID { FrameNumber = (ulong)i * 1_000_003, PartNumber = (ulong)i },
                ProcessingTime = (uint)i * 7,
                EncodeRate = (uint)i * 11,
            };
            byte[] data = [.. Enumerable.Range(0, i).Select(b => (byte)(b ^ i))];
            Assert.True(MiracastChunkDataWriter.TryWrite(buffer[at..], info, data, out int written));
            Assert.Equal(28 + i, written);
            at += written;
        }

        Assert.Equal(buffer.Length, at);
        var reader = new MiracastChunkDataReader(buffer);
        for (int i = 0; i < 100; i++)
        {
            Assert.True(reader.TryReadNext(out MIRACAST_CHUNK_INFO info, out ReadOnlySpan<byte> data));
            Assert.Equal((MIRACAST_CHUNK_TYPE)(uint)(i % 5), info.ChunkType);
            Assert.Equal((ulong)i * 1_000_003, info.ChunkId.FrameNumber);
            Assert.Equal((ulong)i, info.ChunkId.PartNumber);
            Assert.Equal((uint)i * 7, info.ProcessingTime);
            Assert.Equal((uint)i * 11, info.EncodeRate);
            Assert.Equal(i, data.Length);
            for (int b = 0; b < i; b++)
            {
                Assert.Equal((byte)(b ^ i), data[b]);
            }
        }

        Assert.False(reader.TryReadNext(out _, out _));
        Assert.Equal(0, reader.BytesRemaining);
    }

    /// <summary>One entry, byte by byte as the contract lays it out (little-endian).</summary>
    private static int Encode(Span<byte> destination, MIRACAST_CHUNK_TYPE type, ulong chunkId, uint processingTime, uint encodeRate, byte[] privateData)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination[0..], (uint)type);
        destination[4..8].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], chunkId);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], processingTime);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], encodeRate);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], (uint)privateData.Length);
        privateData.CopyTo(destination[28..]);
        return 28 + privateData.Length;
    }
}
