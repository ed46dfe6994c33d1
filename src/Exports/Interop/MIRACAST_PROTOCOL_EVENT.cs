namespace Miraflow.Exports.Interop;

/// <summary>
/// <c>MIRACAST_PROTOCOL_EVENT</c> (netdispumdddi.h): the payload of a
/// <see cref="MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_EVENT"/> statistic. 4 bytes.
/// </summary>
public enum MIRACAST_PROTOCOL_EVENT : uint
{
    /// <summary>The sink asked for a new IDR picture.</summary>
    MIRACAST_PROTOCOL_EVENT_IFRAME_RQ = 0,

    /// <summary>The sink reported a monitor connection.</summary>
    MIRACAST_PROTOCOL_EVENT_MONITOR_ARRIVE = 1,

    /// <summary>The sink reported a monitor disconnection.</summary>
    MIRACAST_PROTOCOL_EVENT_MONITOR_DEPART = 2,

    /// <summary>Reserved for the system; drivers must not report it.</summary>
    MIRACAST_PROTOCOL_EVENT_SINK_FAILED_PREFERRED_MODE_CHANGE = 3,

    /// <summary>Forces the enum to 32 bits; never a real value.</summary>
    MIRACAST_PROTOCOL_EVENT_FORCE_UINT32 = 0xFFFFFFFF,
}
