using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary><c>wfd_audio_codecs</c>: a list of <see cref="AudioCodec"/>, empty for <c>none</c>.</summary>
public sealed record WfdAudioCodecs(IReadOnlyList<AudioCodec> Codecs) : IWfdParameter<WfdAudioCodecs>
{
    public static WfdAudioCodecs None { get; } = new(Array.Empty<AudioCodec>());

    public static string Name => "wfd_audio_codecs";

    public bool IsNone => Codecs.Count == 0;

    public static WfdAudioCodecs Parse(ReadOnlySpan<char> value) => throw new NotImplementedException();

    public void WriteValue(IBufferWriter<byte> output) => throw new NotImplementedException();

    public bool Equals(WfdAudioCodecs? other) => other is not null && Codecs.SequenceEqual(other.Codecs);

    public override int GetHashCode() => Codecs.Count;
}
