using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// A typed <c>wfd_*</c> parameter value: its name, how it is parsed from the text after
/// <c>name: </c>, and how it is written back in canonical form.
/// </summary>
public interface IWfdParameter<TSelf>
    where TSelf : IWfdParameter<TSelf>
{
    /// <summary>The canonical parameter name, e.g. <c>wfd_video_formats</c>.</summary>
    static abstract string Name { get; }

    /// <summary>Parses the value text (after <c>name:</c>, trimmed). Throws <see cref="WfdParameterException"/>.</summary>
    static abstract TSelf Parse(ReadOnlySpan<char> value);

    /// <summary>Writes the canonical value text (without name, colon or line end).</summary>
    void WriteValue(IBufferWriter<byte> output);
}
