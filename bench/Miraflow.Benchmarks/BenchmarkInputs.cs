namespace Miraflow.Benchmarks;

/// <summary>Inputs shared by the benchmark classes.</summary>
internal static class BenchmarkInputs
{
    /// <summary>
    /// The Samsung TV's M3 answer body from the sink corpus (file 01): 13 parameter lines, 1187
    /// bytes with CRLF line ends, a 256-byte EDID among them.
    /// </summary>
    public const string SamsungM3Body =
        "wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00\r\n" +
        "wfd_video_formats: 40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none, 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none\r\n" +
        "wfd_3d_video_formats: 80 00 03 0F 0000000000000005 00 0001 1401 13 none none\r\n" +
        "wfd_content_protection: HDCP2.1 port=1189\r\n" +
        "wfd_display_edid: 0002 00ffffffffffff004c2dde07000000002f14010380834a780aee91a3544c99260f5054bdef80714f8100814081809500950fb300a940023a801871382d40582c4500a05a0000001e662150b051001b3040703600a05a0000001e000000fd00184b1a5117000a202020202020000000fc0053414d53554e470a202020202001fd02032ef14b901f0413051403122021222309070783010000e2000f72030c004000b82d20d0080140073f405090a0023a80d072382d40102c4580a05a0000001e011d00bc52d01e20b8285540a05a0000001e011d80d0721c1620102c2580a05a0000009e00000000000000000000000000000000000000000000000000000078\r\n" +
        "wfd_coupled_sink: none\r\n" +
        "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n" +
        "wfd_uibc_capability: none\r\n" +
        "wfd_connector_type: 05\r\n" +
        "wfd_standby_resume_capability: supported\r\n" +
        "intel_sink_version: product_ID=widicesdk hw_version=02.00.00.0000 sw_version=02.04.46.0000\r\n" +
        "intel_lower_bandwidth: none\r\n" +
        "intel_interactivity_mode: HIGH\r\n";
}
