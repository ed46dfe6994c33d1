using Miraflow.Exports.Interop;

namespace Miraflow.Exports.Tests.Interop;

/// <summary>
/// Constants (§1.1), every enum member (§1.2) and the NTSTATUS values (§2.14) against the numbers
/// in the driver contract's tables.
/// </summary>
[Trait("Category", "unit")]
public sealed class ContractValueTests
{
    [Fact]
    public void Constants_have_the_header_values()
    {
        Assert.Equal(0x01u, Windows.MIRACAST_DRIVER_INTERFACE_VERSION_1);
        Assert.Equal(4u, Windows.MAX_ADDITIONAL_EVENTS);
        Assert.Equal(0xFFFF_FFFFu, Windows.INFINITE);
    }

    [Fact]
    public void Enums_are_uint_backed_with_exactly_the_header_members()
    {
        AssertMembers(new Dictionary<MIRACAST_STATUS, uint>
        {
            [MIRACAST_STATUS.MIRACAST_STATUS_CRITICAL_ERROR] = 0,
            [MIRACAST_STATUS.MIRACAST_STATUS_MISSING_KEEPALIVE] = 1,
            [MIRACAST_STATUS.MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST] = 2,
            [MIRACAST_STATUS.MIRACAST_STATUS_INSUFFICIENT_BANDWIDTH] = 3,
            [MIRACAST_STATUS.MIRACAST_STATUS_SINK_FAILED_STANDARD_MODE_CHANGE] = 4,
            [MIRACAST_STATUS.MIRACAST_STATUS_COMPANION_DRIVER_DISCONNECT] = 5,
            [MIRACAST_STATUS.MIRACAST_STATUS_FORCE_UINT32] = 0xFFFF_FFFF,
        });
        AssertMembers(new Dictionary<MIRACAST_PROTOCOL_EVENT, uint>
        {
            [MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_IFRAME_RQ] = 0,
            [MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_ARRIVE] = 1,
            [MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_MONITOR_DEPART] = 2,
            [MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_SINK_FAILED_PREFERRED_MODE_CHANGE] = 3,
            [MIRACAST_PROTOCOL_EVENT.MIRACAST_PROTOCOL_EVENT_FORCE_UINT32] = 0xFFFF_FFFF,
        });
        AssertMembers(new Dictionary<MIRACAST_STATISTIC_TYPE, uint>
        {
            [MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_PROCESSING_COMPLETE] = 0,
            [MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_CHUNK_SENT] = 1,
            [MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_EVENT] = 2,
            [MIRACAST_STATISTIC_TYPE.MIRACAST_STATISTIC_TYPE_FORCE_UINT32] = 0xFFFF_FFFF,
        });
        AssertMembers(new Dictionary<MIRACAST_CHUNK_TYPE, uint>
        {
            [MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_UNKNOWN] = 0,
            [MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_COLOR_CONVERT_COMPLETE] = 1,
            [MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_COMPLETE] = 2,
            [MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_START] = 3,
            [MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_FRAME_DROPPED] = 4,
            [MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_DRIVER_DEFINED_1] = 0x8000_0000,
            [MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_DRIVER_DEFINED_2] = 0x8000_0001,
            [MIRACAST_CHUNK_TYPE.MIRACAST_CHUNK_TYPE_ENCODE_FORCE_UINT32] = 0xFFFF_FFFF,
        });
    }

    [Fact]
    public void Ntstatus_values_match_ntstatus_h()
    {
        Assert.Equal(0x0000_0000, STATUS.STATUS_SUCCESS);
        Assert.Equal(0x0000_0000, STATUS.STATUS_WAIT_0);
        Assert.Equal(0x0000_0001, STATUS.STATUS_WAIT_1);
        Assert.Equal(0x0000_0002, STATUS.STATUS_WAIT_2);
        Assert.Equal(0x0000_0003, STATUS.STATUS_WAIT_3);
        Assert.Equal(0x0000_0102, STATUS.STATUS_TIMEOUT);
        Assert.Equal(0x0000_0103, STATUS.STATUS_PENDING);
        Assert.Equal(0xC000_000Du, unchecked((uint)STATUS.STATUS_INVALID_PARAMETER));
        Assert.Equal(0xC000_0017u, unchecked((uint)STATUS.STATUS_NO_MEMORY));
        Assert.Equal(0xC000_0023u, unchecked((uint)STATUS.STATUS_BUFFER_TOO_SMALL));
        Assert.Equal(0xC000_00ABu, unchecked((uint)STATUS.STATUS_INSTANCE_NOT_AVAILABLE));
        Assert.Equal(0xC000_00BBu, unchecked((uint)STATUS.STATUS_NOT_SUPPORTED));
        Assert.Equal(0xC000_020Du, unchecked((uint)STATUS.STATUS_CONNECTION_RESET));
        Assert.Equal(0xC000_0468u, unchecked((uint)STATUS.STATUS_DEVICE_INSUFFICIENT_RESOURCES));
        Assert.Equal(0xC000_0708u, unchecked((uint)STATUS.STATUS_RESOURCE_IN_USE));

        // Not in §2.14: the driver's own choices (docs/driver.md), still ntstatus.h values.
        Assert.Equal(0xC000_0001u, unchecked((uint)STATUS.STATUS_UNSUCCESSFUL));
        Assert.Equal(0xC000_0002u, unchecked((uint)STATUS.STATUS_NOT_IMPLEMENTED));
    }

    private static void AssertMembers<TEnum>(Dictionary<TEnum, uint> expected)
        where TEnum : struct, Enum
    {
        Assert.Equal(typeof(uint), Enum.GetUnderlyingType(typeof(TEnum)));
        Assert.Equal(expected.Count, Enum.GetValues<TEnum>().Length);
        foreach ((TEnum member, uint value) in expected)
        {
            Assert.Equal(value, Convert.ToUInt32(member, System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
