using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_video_formats</c> (protocol doc §2.2): native mode byte, preferred-display-mode flag and
/// one or more H.264 entries; <see cref="None"/> for <c>none</c>.
/// Canonical form: fixed-width lower-case hex fields separated by single spaces, entries by
/// <c>", "</c>, <c>none none</c> when max-hres/vres are absent.
/// </summary>
public sealed record WfdVideoFormats(byte Native, byte PreferredDisplayModeSupported, IReadOnlyList<H264Codec> Codecs)
    : IWfdParameter<WfdVideoFormats>
{
    /// <summary><c>wfd_video_formats: none</c>.</summary>
    public static WfdVideoFormats None { get; } = new(0, 0, Array.Empty<H264Codec>());

    public static string Name => "wfd_video_formats";

    public bool IsNone => Codecs.Count == 0;

    public static WfdVideoFormats Parse(ReadOnlySpan<char> value) => throw new NotImplementedException();

    public void WriteValue(IBufferWriter<byte> output) => throw new NotImplementedException();

    // Records compare lists by reference; compare the entries instead.
    public bool Equals(WfdVideoFormats? other) =>
        other is not null && Native == other.Native && PreferredDisplayModeSupported == other.PreferredDisplayModeSupported
        && Codecs.SequenceEqual(other.Codecs);

    public override int GetHashCode() => HashCode.Combine(Native, PreferredDisplayModeSupported, Codecs.Count);
}
