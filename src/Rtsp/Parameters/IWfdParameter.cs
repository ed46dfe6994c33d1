using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// A typed <c>wfd_*</c> parameter value: its name, how it is parsed from the text after
/// <c>name: </c>, and how it is written back in canonical form.
/// </summary>
public interface IWfdParameter<TSelf> : IWfdParameterValue
    where TSelf : IWfdParameter<TSelf>
{
    /// <summary>The canonical parameter name, e.g. <c>wfd_video_formats</c>.</summary>
    static abstract string Name { get; }

    /// <summary>
    /// True for parameters that are a name alone (<c>wfd_idr_request</c>, <c>wfd_standby</c>): their
    /// value text is empty and <see cref="WfdParameterSet"/> writes them as a line without a colon.
    /// </summary>
    static virtual bool IsNameOnly => false;

    /// <summary>Parses the value text (after <c>name:</c>, trimmed). Throws <see cref="WfdParameterException"/>.</summary>
    static abstract TSelf Parse(ReadOnlySpan<char> value);
}

/// <summary>The non-generic part of <see cref="IWfdParameter{TSelf}"/>: writing the value.</summary>
public interface IWfdParameterValue
{
    /// <summary>Writes the canonical value text (without name, colon or line end). Allocates nothing beyond the output.</summary>
    void WriteValue(IBufferWriter<byte> output);
}
