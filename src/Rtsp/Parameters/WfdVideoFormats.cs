using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_video_formats</c> (protocol doc §2.2): native mode byte, preferred-display-mode flag and
/// one or more H.264 entries; <see cref="None"/> for <c>none</c>.
/// Canonical form: fixed-width lower-case hex fields separated by single spaces, entries by
/// <c>", "</c>, <c>none none</c> when max-hres/vres are absent.
/// </summary>
/// <remarks>
/// Parsing is case-insensitive and tolerates extra spaces between fields and around the
/// <c>,</c> separators, but every hex field must have exactly its width
/// (2, 2, then per entry 2, 2, 8, 8, 8, 2, 4, 4, 2 and <c>none</c> or 4, <c>none</c> or 4).
/// The native byte is kept but is not a capability (protocol doc §5.9).
/// </remarks>
public sealed record WfdVideoFormats(byte Native, byte PreferredDisplayModeSupported, IReadOnlyList<H264Codec> Codecs)
    : IWfdParameter<WfdVideoFormats>
{
    /// <summary><c>wfd_video_formats: none</c>.</summary>
    public static WfdVideoFormats None { get; } = new(0, 0, Array.Empty<H264Codec>());

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_video_formats";

    /// <summary>True for <c>none</c> (no H.264 entry).</summary>
    public bool IsNone => Codecs.Count == 0;

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdVideoFormats Parse(ReadOnlySpan<char> value)
    {
        var reader = new WfdValueReader(value, Name);
        if (WfdValueReader.IsNone(reader.Remaining))
        {
            return None;
        }

        byte native = reader.ReadHex2("native");
        byte preferred = reader.ReadHex2("preferred-display-mode-supported");
        var codecs = new List<H264Codec>(2);
        do
        {
            codecs.Add(ReadCodec(ref reader));
        }
        while (reader.TryReadComma());

        reader.ExpectEnd();
        return new WfdVideoFormats(native, preferred, codecs.ToArray());
    }

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WfdValueWriter(output);
        if (IsNone)
        {
            writer.Write("none"u8);
            writer.Commit();
            return;
        }

        writer.WriteHex(Native, 2);
        writer.Write((byte)' ');
        writer.WriteHex(PreferredDisplayModeSupported, 2);
        for (int i = 0; i < Codecs.Count; i++)
        {
            writer.Write(i == 0 ? " "u8 : ", "u8);
            WriteCodec(ref writer, Codecs[i]);
        }

        writer.Commit();
    }

    /// <summary>Records compare lists by reference; compare the entries instead.</summary>
    public bool Equals(WfdVideoFormats? other) =>
        other is not null && Native == other.Native && PreferredDisplayModeSupported == other.PreferredDisplayModeSupported
        && Codecs.SequenceEqual(other.Codecs);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Native, PreferredDisplayModeSupported, Codecs.Count);

    private static H264Codec ReadCodec(ref WfdValueReader reader) => new(
        (H264Profiles)reader.ReadHex2("profile"),
        (H264Levels)reader.ReadHex2("level"),
        reader.ReadHex8("CEA-Support"),
        reader.ReadHex8("VESA-Support"),
        reader.ReadHex8("HH-Support"),
        reader.ReadHex2("latency"),
        reader.ReadHex4("min-slice-size"),
        reader.ReadHex4("slice-enc-params"),
        reader.ReadHex2("frame-rate-control-support"),
        reader.ReadHex4OrNone("max-hres"),
        reader.ReadHex4OrNone("max-vres"));

    private static void WriteCodec(ref WfdValueWriter writer, H264Codec codec)
    {
        writer.WriteHex((byte)codec.Profile, 2);
        writer.Write((byte)' ');
        writer.WriteHex((byte)codec.Level, 2);
        writer.Write((byte)' ');
        writer.WriteHex(codec.Cea, 8);
        writer.Write((byte)' ');
        writer.WriteHex(codec.Vesa, 8);
        writer.Write((byte)' ');
        writer.WriteHex(codec.Hh, 8);
        writer.Write((byte)' ');
        writer.WriteHex(codec.Latency, 2);
        writer.Write((byte)' ');
        writer.WriteHex(codec.MinSliceSize, 4);
        writer.Write((byte)' ');
        writer.WriteHex(codec.SliceEncodingParameters, 4);
        writer.Write((byte)' ');
        writer.WriteHex(codec.FrameRateControl, 2);
        writer.Write((byte)' ');
        WriteHex4OrNone(ref writer, codec.MaxHorizontalResolution);
        writer.Write((byte)' ');
        WriteHex4OrNone(ref writer, codec.MaxVerticalResolution);
    }

    private static void WriteHex4OrNone(ref WfdValueWriter writer, ushort? value)
    {
        if (value is ushort v)
        {
            writer.WriteHex(v, 4);
        }
        else
        {
            writer.Write("none"u8);
        }
    }
}
