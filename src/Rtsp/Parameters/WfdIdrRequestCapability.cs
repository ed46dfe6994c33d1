using System.Buffers;

namespace Miraflow.Rtsp.Parameters;

/// <summary>
/// <c>wfd_idr_request_capability</c> (protocol doc §2.6, MS-WFDPE): <c>1</c> (the sink sends M13),
/// <c>0</c> (it never does) or <c>none</c>.
/// </summary>
/// <param name="SendsIdrRequests">null for <c>none</c>.</param>
public sealed record WfdIdrRequestCapability(bool? SendsIdrRequests) : IWfdParameter<WfdIdrRequestCapability>
{
    private static readonly string[] s_keywords = ["0", "1", "none"];

    /// <summary>The parameter name.</summary>
    public static string Name => "wfd_idr_request_capability";

    /// <inheritdoc cref="IWfdParameter{TSelf}.Parse"/>
    public static WfdIdrRequestCapability Parse(ReadOnlySpan<char> value) =>
        WfdValueReader.ParseKeyword(value, Name, "capability", s_keywords) switch
        {
            0 => new(false),
            1 => new(true),
            _ => new((bool?)null),
        };

    /// <inheritdoc/>
    public void WriteValue(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write(SendsIdrRequests switch
        {
            true => "1"u8,
            false => "0"u8,
            null => "none"u8,
        });
    }
}
