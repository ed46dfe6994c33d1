using System.Text;
using Miraflow.Rtsp.Messages;

namespace Miraflow.Rtsp.Tests.Messages;

/// <summary>What a correctly parsed message holds, field by field.</summary>
internal sealed record ExpectedMessage(
    bool IsRequest,
    string Method,
    RtspMethod KnownMethod,
    string Uri,
    int StatusCode,
    string ReasonPhrase,
    string Version,
    (string Name, string Value)[] Headers,
    byte[] Body);

/// <summary>A valid message on the wire and what it must parse to.</summary>
internal sealed record WfdSample(string Name, byte[] Bytes, ExpectedMessage Expected)
{
    public override string ToString() => Name;
}

/// <summary>
/// Valid WFD messages from the protocol doc §1.3 and the sink corpus, CRLF line ends. The expected
/// fields are written out by hand, independent of the parser under test.
/// </summary>
internal static class WfdSamples
{
    public static readonly WfdSample M1Request = Request(
        "M1 OPTIONS request",
        "OPTIONS", RtspMethod.Options, "*",
        [("Date", "Tue, 05 Aug 2014 18:56:28 +0000"), ("Server", "MySource/1.0"), ("CSeq", "1"), ("Require", "org.wfa.wfd1.0")]);

    public static readonly WfdSample M1ResponseSamsung = Response(
        "M1 response (Samsung TV)",
        200, "OK",
        [("CSeq", "1"), ("Date", "Thu Jan  1 00:05:42 1970"), ("Public", "org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER")]);

    public static readonly WfdSample M2RequestSamsung = Request(
        "M2 OPTIONS request (Samsung TV)",
        "OPTIONS", RtspMethod.Options, "*",
        [("CSeq", "1"), ("Require", "org.wfa.wfd1.0"), ("User-Agent", "SEC-WDH/ME29")]);

    public static readonly WfdSample M2Response = Response(
        "M2 response (AOSP Public)",
        200, "OK",
        [("Date", "Tue, 05 Aug 2014 18:56:28 +0000"), ("Server", "MySource/1.0"), ("CSeq", "1"),
         ("Public", "org.wfa.wfd1.0, SETUP, TEARDOWN, PLAY, PAUSE, GET_PARAMETER, SET_PARAMETER")]);

    public static readonly WfdSample M3Request = Request(
        "M3 GET_PARAMETER request",
        "GET_PARAMETER", RtspMethod.GetParameter, "rtsp://localhost/wfd1.0",
        [("CSeq", "2"), ("Content-Type", "text/parameters"), ("Content-Length", "83")],
        "wfd_content_protection\r\nwfd_video_formats\r\nwfd_audio_codecs\r\nwfd_client_rtp_ports\r\n");

    /// <summary>The Samsung TV's M3 answer (corpus file 01), 1187 body bytes.</summary>
    public static readonly WfdSample M3ResponseSamsung = Response(
        "M3 response (Samsung TV)",
        200, "OK",
        [("CSeq", "2"), ("Content-Type", "text/parameters"), ("Content-Length", "1187")],
        Crlf(SamsungM3Body));

    public static readonly WfdSample M4Request = Request(
        "M4 SET_PARAMETER request",
        "SET_PARAMETER", RtspMethod.SetParameter, "rtsp://localhost/wfd1.0",
        [("CSeq", "3"), ("Content-Type", "text/parameters"), ("Content-Length", "248")],
        M4Body);

    public static readonly WfdSample M5Request = Request(
        "M5 SET_PARAMETER trigger",
        "SET_PARAMETER", RtspMethod.SetParameter, "rtsp://localhost/wfd1.0",
        [("CSeq", "4"), ("Content-Type", "text/parameters"), ("Content-Length", "27")],
        "wfd_trigger_method: SETUP\r\n");

    public static readonly WfdSample M6RequestSamsung = Request(
        "M6 SETUP request (Samsung TV)",
        "SETUP", RtspMethod.Setup, "rtsp://localhost/wfd1.0",
        [("CSeq", "2"), ("User-Agent", "SEC-WDH/ME29"), ("Transport", "RTP/AVP/UDP;unicast;client_port=19000")]);

    public static readonly WfdSample M6Response = Response(
        "M6 response (AOSP)",
        200, "OK",
        [("CSeq", "2"), ("Session", "1804289383;timeout=30"), ("Transport", "RTP/AVP/UDP;unicast;client_port=19000;server_port=15550")]);

    public static readonly WfdSample M7RequestSamsung = Request(
        "M7 PLAY request (Samsung TV)",
        "PLAY", RtspMethod.Play, "rtsp://localhost/wfd1.0",
        [("CSeq", "3"), ("Session", "VaMkltjy"), ("User-Agent", "SEC-WDH/ME29")]);

    public static readonly WfdSample M13RequestSamsung = Request(
        "M13 IDR request (Samsung TV)",
        "SET_PARAMETER", RtspMethod.SetParameter, "rtsp://192.168.173.1/wfd1.0/streamid=0",
        [("CSeq", "4"), ("Session", "VaMkltjy"), ("User-Agent", "SEC-WDH/ME29"), ("Content-Type", "text/parameters"), ("Content-Length", "17")],
        "wfd_idr_request\r\n");

    public static readonly WfdSample M16Request = Request(
        "M16 keep-alive",
        "GET_PARAMETER", RtspMethod.GetParameter, "rtsp://localhost/wfd1.0",
        [("CSeq", "7"), ("Session", "1804289383")]);

    public static readonly WfdSample M1ResponseQuotedPublic = Response(
        "M1 response (miraclecast, quoted Public)",
        200, "OK",
        [("CSeq", "1"), ("Public", "\"org.wfa.wfd1.0, GET_PARAMETER, SET_PARAMETER\"")]);

    public static readonly WfdSample M1ResponseBackslashPublic = Response(
        "M1 response (lazycast, \\Public)",
        200, "OK",
        [("CSeq", "1"), ("\\Public", "org.wfa.wfd1.0, SET_PARAMETER, GET_PARAMETER")]);

    /// <summary>Every sample above.</summary>
    public static readonly WfdSample[] All =
    [
        M1Request, M1ResponseSamsung, M2RequestSamsung, M2Response, M3Request, M3ResponseSamsung, M4Request,
        M5Request, M6RequestSamsung, M6Response, M7RequestSamsung, M13RequestSamsung, M16Request,
        M1ResponseQuotedPublic, M1ResponseBackslashPublic,
    ];

    public const string M4Body =
        "wfd_video_formats: 00 00 02 02 00000020 00000000 00000000 00 0000 0000 00 none none\r\n"
        + "wfd_audio_codecs: AAC 00000001 00\r\n"
        + "wfd_presentation_URL: rtsp://192.168.49.10/wfd1.0/streamid=0 none\r\n"
        + "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n";

    public const string SamsungM3Body = """
        wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00
        wfd_video_formats: 40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none, 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none
        wfd_3d_video_formats: 80 00 03 0F 0000000000000005 00 0001 1401 13 none none
        wfd_content_protection: HDCP2.1 port=1189
        wfd_display_edid: 0002 00ffffffffffff004c2dde07000000002f14010380834a780aee91a3544c99260f5054bdef80714f8100814081809500950fb300a940023a801871382d40582c4500a05a0000001e662150b051001b3040703600a05a0000001e000000fd00184b1a5117000a202020202020000000fc0053414d53554e470a202020202001fd02032ef14b901f0413051403122021222309070783010000e2000f72030c004000b82d20d0080140073f405090a0023a80d072382d40102c4580a05a0000001e011d00bc52d01e20b8285540a05a0000001e011d80d0721c1620102c2580a05a0000009e00000000000000000000000000000000000000000000000000000078
        wfd_coupled_sink: none
        wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play
        wfd_uibc_capability: none
        wfd_connector_type: 05
        wfd_standby_resume_capability: supported
        intel_sink_version: product_ID=widicesdk hw_version=02.00.00.0000 sw_version=02.04.46.0000
        intel_lower_bandwidth: none
        intel_interactivity_mode: HIGH

        """;

    /// <summary>The bytes of several samples back to back.</summary>
    public static byte[] Concat(params WfdSample[] samples)
    {
        var bytes = new List<byte>();
        foreach (WfdSample sample in samples)
        {
            bytes.AddRange(sample.Bytes);
        }

        return [.. bytes];
    }

    /// <summary>LF line ends to CRLF.</summary>
    public static string Crlf(string text) => text.ReplaceLineEndings("\r\n");

    public static byte[] Ascii(string text) => Encoding.UTF8.GetBytes(text);

    private static WfdSample Request(string name, string method, RtspMethod known, string uri, (string Name, string Value)[] headers, string body = "")
    {
        var wire = new StringBuilder();
        wire.Append(method).Append(' ').Append(uri).Append(" RTSP/1.0\r\n");
        return Make(name, wire, new ExpectedMessage(true, method, known, uri, 0, "", "RTSP/1.0", headers, Ascii(body)));
    }

    private static WfdSample Response(string name, int status, string reason, (string Name, string Value)[] headers, string body = "")
    {
        var wire = new StringBuilder();
        wire.Append("RTSP/1.0 ").Append(status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(' ').Append(reason).Append("\r\n");
        return Make(name, wire, new ExpectedMessage(false, "", RtspMethod.Unknown, "", status, reason, "RTSP/1.0", headers, Ascii(body)));
    }

    private static WfdSample Make(string name, StringBuilder wire, ExpectedMessage expected)
    {
        foreach ((string headerName, string value) in expected.Headers)
        {
            wire.Append(headerName).Append(": ").Append(value).Append("\r\n");
        }

        wire.Append("\r\n");
        byte[] head = Ascii(wire.ToString());
        return new WfdSample(name, [.. head, .. expected.Body], expected);
    }
}
