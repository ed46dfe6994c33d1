using Miraflow.Rtsp.Messages;

namespace Miraflow.Rtsp.Tests.Messages;

[Trait("Category", "unit")]
public sealed class RtspMethodsTests
{
    [Theory]
    [InlineData("OPTIONS", RtspMethod.Options)]
    [InlineData("SET_PARAMETER", RtspMethod.SetParameter)]
    [InlineData("options", RtspMethod.Unknown)]
    [InlineData("Set_Parameter", RtspMethod.Unknown)]
    [InlineData("4", RtspMethod.Unknown)]
    public void Parse_IsCaseSensitive(string token, RtspMethod expected) =>
        Assert.Equal(expected, RtspMethods.Parse(token));
}
