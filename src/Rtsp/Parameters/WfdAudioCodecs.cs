using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_audio_codecs</c> (protocol doc §2.5): a list of <see cref="AudioCodec"/>, empty for
/// <c>none</c>. Canonical form: <c>LPCM 00000003 00, AAC 00000001 00</c> (upper-case format,
/// lower-case 8- and 2-digit hex). Never send <c>none</c> in an M4 (protocol doc §5.8).
/// </summary>
public sealed record WfdAudioCodecs(IReadOnlyList<AudioCodec> Codecs) : IWfdParameter<WfdAudioCodecs>
{
    /// <summary><c>wfd_audio_codecs: none</c>.</summary>
    public static WfdAudioCodecs None { get; } = new(Array.Empty<AudioCodec>());

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_audio_codecs";

    /// <summary>True for <c>none</c>.</summary>
    public bool IsNone => Codecs.Count == 0;

    /// <summary>The first entry of <paramref name="format"/>, or null.</summary>
    public AudioCodec? Find(AudioFormat format)
    {
        for (int i = 0; i < Codecs.Count; i++)
        {
            if (Codecs[i].Format == format)
            {
                return Codecs[i];
            }
        }

        return null;
    }

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdAudioCodecs Parse(ReadOnlySpan<char> value)
    {
        var reader = new WfdValueReader(value, Name);
        if (WfdValueReader.IsNone(reader.Remaining))
        {
            return None;
        }

        var codecs = new List<AudioCodec>(3);
        do
        {
            ReadOnlySpan<char> format = reader.ReadToken("audio-format");
            AudioFormat parsed = format.Equals("LPCM", StringComparison.OrdinalIgnoreCase) ? AudioFormat.Lpcm
                : format.Equals("AAC", StringComparison.OrdinalIgnoreCase) ? AudioFormat.Aac
                : format.Equals("AC3", StringComparison.OrdinalIgnoreCase) ? AudioFormat.Ac3
                : WfdThrow.Error<AudioFormat>(WfdParameterError.InvalidValue, Name, "unknown audio format (LPCM, AAC or AC3 expected).");
            uint modes = reader.ReadHex8("modes");
            byte latency = reader.ReadHex2("latency");
            codecs.Add(new AudioCodec(parsed, modes, latency));
        }
        while (reader.TryReadComma());

        reader.ExpectEnd();
        return new WfdAudioCodecs(codecs.ToArray());
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

        for (int i = 0; i < Codecs.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(", "u8);
            }

            AudioCodec codec = Codecs[i];
            writer.Write(codec.Format switch
            {
                AudioFormat.Lpcm => "LPCM"u8,
                AudioFormat.Aac => "AAC"u8,
                AudioFormat.Ac3 => "AC3"u8,
                _ => throw new InvalidOperationException("Unknown audio format."),
            });
            writer.Write((byte)' ');
            writer.WriteHex(codec.Modes, 8);
            writer.Write((byte)' ');
            writer.WriteHex(codec.Latency, 2);
        }

        writer.Commit();
    }

    /// <summary>Records compare lists by reference; compare the entries instead.</summary>
    public bool Equals(WfdAudioCodecs? other) => other is not null && Codecs.SequenceEqual(other.Codecs);

    /// <inheritdoc/>
    public override int GetHashCode() => Codecs.Count;
}
