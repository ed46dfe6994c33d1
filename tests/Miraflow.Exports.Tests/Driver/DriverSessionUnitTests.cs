using Miraflow.Exports.Driver;

namespace Miraflow.Exports.Tests.Driver;

/// <summary>The pure pieces of a driver session: slice counting for chunk parts, connector mapping.</summary>
[Trait("Category", "unit")]
public sealed class DriverSessionUnitTests
{
    [Fact]
    public void Slices_are_the_coded_slice_nal_units_of_the_access_unit()
    {
        byte[] idrWithTwoSlices = [0, 0, 0, 1, 0x09, 0xF0, 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 1, 0x65, 0x88, 0, 0, 1, 0x65, 0x99];
        byte[] oneP = [0, 0, 0, 1, 0x09, 0xF0, 0, 0, 1, 0x41, 0x9A, 0x00];
        byte[] noSlice = [0, 0, 0, 1, 0x09, 0xF0, 0, 0, 1, 0x06, 0x05];

        Assert.Equal(2, DriverSession.CountSlices(idrWithTwoSlices));
        Assert.Equal(1, DriverSession.CountSlices(oneP));
        Assert.Equal(0, DriverSession.CountSlices(noSlice));
        Assert.Equal(0, DriverSession.CountSlices([]));
    }

    [Theory]
    [InlineData((byte)5, 5u)] // HDMI
    [InlineData((byte)0, 0u)] // VGA → HD15
    [InlineData((byte)10, 10u)] // DisplayPort → DISPLAYPORT_EXTERNAL
    [InlineData((byte)7, 15u)] // WFD: the sink is its display → MIRACAST
    [InlineData((byte)6, 15u)] // reserved
    [InlineData(null, 15u)] // not sent
    public void Wfd_connector_types_map_to_video_output_technologies(byte? connector, uint expected) =>
        Assert.Equal(expected, DriverSession.ToVideoOutputTechnology(connector));
}
