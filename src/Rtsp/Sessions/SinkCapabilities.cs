using System.Text;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Sessions;

/// <summary>
/// Capability sets for the sink emulator: the parameter lines it answers M3 with. A file holds
/// lines as a sink sends them in its M3 answer (<c>wfd_video_formats: …</c>); any other line —
/// comments, log chatter, blank lines — is ignored.
/// </summary>
public static class SinkCapabilities
{
    /// <summary>A capable 1080p60 TV: CBP and CHP to level 4.2, every R1 mode, LPCM and AAC, RTP port 19000.</summary>
    public const string DefaultText =
        "wfd_video_formats: 00 00 03 10 0001ffff 1fffffff 00000fff 00 0000 0000 00 none none\r\n" +
        "wfd_audio_codecs: LPCM 00000003 00, AAC 00000001 00\r\n" +
        "wfd_client_rtp_ports: RTP/AVP/UDP;unicast 19000 0 mode=play\r\n" +
        "wfd_content_protection: none\r\n" +
        "wfd_display_edid: none\r\n" +
        "wfd_connector_type: 05\r\n" +
        "wfd_idr_request_capability: 1\r\n" +
        "wfd_standby_resume_capability: supported\r\n" +
        "wfd_uibc_capability: none\r\n" +
        "wfd_coupled_sink: none\r\n";

    /// <summary>The default capability set (a new, independent copy).</summary>
    public static WfdParameterSet CreateDefault() => WfdParameterSet.Parse(Encoding.ASCII.GetBytes(DefaultText));

    /// <summary>
    /// Reads parameter lines from text: a line counts when it starts (after optional white space)
    /// with a parameter name of letters, digits and underscores containing an underscore, followed
    /// by a colon. Throws <see cref="WfdParameterException"/> when a kept line is malformed.
    /// </summary>
    public static WfdParameterSet Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var kept = new StringBuilder();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && IsParameterName(line.AsSpan(0, colon)))
            {
                kept.Append(line).Append("\r\n");
            }
        }

        return WfdParameterSet.Parse(Encoding.ASCII.GetBytes(kept.ToString()));
    }

    /// <summary>Reads a capability file (see <see cref="Parse"/>).</summary>
    public static WfdParameterSet Load(string path) => Parse(File.ReadAllText(path));

    private static bool IsParameterName(ReadOnlySpan<char> name)
    {
        if (name.IndexOf('_') <= 0)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
