using System.Buffers.Binary;
using System.Text;

namespace Miraflow.Pipeline.Tests.Audio;

/// <summary>
/// Builds RIFF/WAVE files for the tests, well-formed or deliberately broken: chunks are written
/// in the order given, each followed by a pad byte when its size is odd (unless told not to).
/// </summary>
internal static class WavWriter
{
    /// <summary>A chunk: its id, its body, and the size to claim (null: the body's length).</summary>
    public sealed record Chunk(string Id, byte[] Body, uint? ClaimedSize = null, bool Pad = true);

    /// <summary>A whole file; <paramref name="riffSize"/> overrides the RIFF size field.</summary>
    public static byte[] Riff(IEnumerable<Chunk> chunks, uint? riffSize = null, string form = "WAVE")
    {
        var body = new List<byte>(Encoding.ASCII.GetBytes(form));
        foreach (Chunk chunk in chunks)
        {
            body.AddRange(Encoding.ASCII.GetBytes(chunk.Id));
            body.AddRange(UInt32(chunk.ClaimedSize ?? (uint)chunk.Body.Length));
            body.AddRange(chunk.Body);
            if (chunk.Pad && (chunk.Body.Length & 1) != 0)
            {
                body.Add(0);
            }
        }

        return [.. Encoding.ASCII.GetBytes("RIFF"), .. UInt32(riffSize ?? (uint)body.Count), .. body];
    }

    /// <summary>A plain PCM file: fmt then data.</summary>
    public static byte[] Pcm(int sampleRate, int channels, short[] samples) =>
        Riff([Fmt(sampleRate, channels), Data(samples)]);

    /// <summary>A WAVEFORMATEX (16 bytes) chunk.</summary>
    public static Chunk Fmt(int sampleRate, int channels, int bits = 16, int tag = 1, int? blockAlign = null, int? byteRate = null) =>
        new("fmt ", FormatBody(sampleRate, channels, bits, tag, blockAlign, byteRate));

    /// <summary>A WAVEFORMATEXTENSIBLE (40 bytes) chunk with <paramref name="subFormat"/> (default PCM).</summary>
    public static Chunk FmtExtensible(int sampleRate, int channels, int validBits = 16, ushort cbSize = 22, byte[]? subFormat = null)
    {
        var body = new byte[40];
        FormatBody(sampleRate, channels, 16, 0xFFFE, null, null).CopyTo(body, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(16), cbSize);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(18), (ushort)validBits);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(20), channels == 1 ? 0x4u : 0x3u);
        (subFormat ?? PcmSubFormat).CopyTo(body, 24);
        return new Chunk("fmt ", body);
    }

    /// <summary>KSDATAFORMAT_SUBTYPE_PCM as stored.</summary>
    public static byte[] PcmSubFormat => [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>KSDATAFORMAT_SUBTYPE_IEEE_FLOAT as stored.</summary>
    public static byte[] FloatSubFormat => [0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    /// <summary>A data chunk of 16-bit little-endian samples.</summary>
    public static Chunk Data(short[] samples)
    {
        var body = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(body.AsSpan(i * 2), samples[i]);
        }

        return new Chunk("data", body);
    }

    /// <summary>A LIST/INFO chunk with a title, odd-sized on purpose (so it needs its pad byte).</summary>
    public static Chunk List() => new("LIST", [.. Encoding.ASCII.GetBytes("INFOINAM"), 5, 0, 0, 0, .. Encoding.ASCII.GetBytes("tone"), 0]);

    /// <summary>Distinct, recognisable samples: sample i is i × 7 − 1000 (wrapping).</summary>
    public static short[] Ramp(int count, int offset = 0) =>
        Enumerable.Range(offset, count).Select(i => unchecked((short)((i * 7) - 1000))).ToArray();

    private static byte[] FormatBody(int sampleRate, int channels, int bits, int tag, int? blockAlign, int? byteRate)
    {
        var body = new byte[16];
        int align = blockAlign ?? channels * bits / 8;
        BinaryPrimitives.WriteUInt16LittleEndian(body, (ushort)tag);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(4), (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(8), (uint)(byteRate ?? sampleRate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(14), (ushort)bits);
        return body;
    }

    private static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }
}
