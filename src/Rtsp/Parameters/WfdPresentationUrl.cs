using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_presentation_URL</c> (protocol doc §2.6): <c>rtsp://&lt;source-ip&gt;/wfd1.0/streamid=0 none</c>.
/// The canonical name has a capital <c>URL</c> (ActionTec refused a lower-case one, §5.11); parsing
/// and <see cref="WfdParameterSet"/> look-ups are case-insensitive.
/// </summary>
/// <param name="Url0">The primary sink's presentation URL.</param>
/// <param name="Url1">The secondary sink's, or null for <c>none</c>.</param>
public sealed record WfdPresentationUrl(string Url0, string? Url1) : IWfdParameter<WfdPresentationUrl>
{
    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_presentation_URL";

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdPresentationUrl Parse(ReadOnlySpan<char> value)
    {
        var reader = new WfdValueReader(value, Name);
        ReadOnlySpan<char> url0 = reader.ReadWord("url0");
        if (WfdValueReader.IsNone(url0))
        {
            WfdThrow.Error(WfdParameterError.InvalidValue, Name, "url0 must be a URL.");
        }

        ReadOnlySpan<char> url1 = reader.ReadWord("url1");
        reader.ExpectEnd();
        return new WfdPresentationUrl(url0.ToString(), WfdValueReader.IsNone(url1) ? null : url1.ToString());
    }

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new WfdValueWriter(output);
        writer.Write(Url0);
        writer.Write((byte)' ');
        if (Url1 is null)
        {
            writer.Write("none"u8);
        }
        else
        {
            writer.Write(Url1);
        }

        writer.Commit();
    }
}
