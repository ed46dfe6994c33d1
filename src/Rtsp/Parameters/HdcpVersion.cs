namespace Miraflow.Rtsp.Parameters;

/// <summary>The HDCP versions of <c>wfd_content_protection</c>.</summary>
public enum HdcpVersion
{
    /// <summary><c>HDCP2.0</c>.</summary>
    Hdcp20,

    /// <summary><c>HDCP2.1</c>.</summary>
    Hdcp21,
}
