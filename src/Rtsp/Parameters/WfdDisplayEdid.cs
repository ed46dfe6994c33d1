using System.Buffers;
using System.Globalization;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_display_edid</c> (protocol doc §2.6): <c>none</c>, or a 4-hex-digit block count and the
/// EDID as hex, exactly 256 hex digits (128 bytes) per block. Canonical form writes the EDID in
/// lower-case hex.
/// </summary>
/// <param name="BlockCount">1–256; 0 for <c>none</c>.</param>
/// <param name="Edid">128 × <paramref name="BlockCount"/> bytes.</param>
public sealed record WfdDisplayEdid(int BlockCount, ReadOnlyMemory<byte> Edid) : IWfdParameter<WfdDisplayEdid>
{
    /// <summary>The most blocks accepted (one base block and 255 extensions).</summary>
    public const int MaxBlocks = 256;

    /// <summary>Bytes per EDID block.</summary>
    public const int BlockSize = 128;

    /// <summary><c>none</c>.</summary>
    public static WfdDisplayEdid None { get; } = new(0, ReadOnlyMemory<byte>.Empty);

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_display_edid";

    /// <summary>True for <c>none</c>.</summary>
    public bool IsNone => BlockCount == 0;

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdDisplayEdid Parse(ReadOnlySpan<char> value)
    {
        var reader = new WfdValueReader(value, Name);
        if (WfdValueReader.IsNone(reader.Remaining))
        {
            return None;
        }

        int blocks = reader.ReadHex4("edid-block-count");
        if (blocks is 0 or > MaxBlocks)
        {
            WfdThrow.Error(WfdParameterError.OutOfRange, Name, string.Create(CultureInfo.InvariantCulture, $"block count {blocks} is not 1–{MaxBlocks}."));
        }

        ReadOnlySpan<char> hex = reader.ReadWord("edid");
        reader.ExpectEnd();
        int expected = blocks * BlockSize * 2;
        if (hex.Length != expected)
        {
            WfdThrow.Error(
                WfdParameterError.InvalidFieldWidth,
                Name,
                string.Create(CultureInfo.InvariantCulture, $"EDID has {hex.Length} hex digits, expected {expected} for {blocks} block(s)."));
        }

        byte[] edid = new byte[blocks * BlockSize];
        for (int i = 0; i < edid.Length; i++)
        {
            int high = WfdValueReader.HexDigit(hex[2 * i]);
            int low = WfdValueReader.HexDigit(hex[(2 * i) + 1]);
            if ((high | low) < 0)
            {
                WfdThrow.Error(WfdParameterError.InvalidValue, Name, "the EDID is not hex.");
            }

            edid[i] = (byte)((high << 4) | low);
        }

        return new WfdDisplayEdid(blocks, edid);
    }

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WfdValueWriter(output);
        if (IsNone)
        {
            writer.Write("none"u8);
        }
        else
        {
            writer.WriteHex(unchecked((ushort)BlockCount), 4);
            writer.Write((byte)' ');
            writer.WriteHexBytes(Edid.Span);
        }

        writer.Commit();
    }

    /// <summary>Compares the EDID bytes, not the memory's identity.</summary>
    public bool Equals(WfdDisplayEdid? other) =>
        other is not null && BlockCount == other.BlockCount && Edid.Span.SequenceEqual(other.Edid.Span);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(BlockCount, Edid.Length);
}
