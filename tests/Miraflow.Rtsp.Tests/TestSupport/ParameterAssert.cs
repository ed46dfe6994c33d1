using System.Buffers;
using System.Text;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Tests.TestSupport;

internal static class ParameterAssert
{
    public static string Write<T>(T value)
        where T : IWfdParameter<T>
    {
        var buffer = new ArrayBufferWriter<byte>();
        value.WriteValue(buffer);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    /// <summary>parse → write → parse gives an equal value; returns the written text.</summary>
    public static string RoundTrips<T>(string text)
        where T : IWfdParameter<T>
    {
        T first = T.Parse(text);
        string written = Write(first);
        T second = T.Parse(written);
        Assert.Equal(first, second);
        Assert.Equal(written, Write(second));
        return written;
    }

    /// <summary>Canonical text → parse → write gives identical text.</summary>
    public static void IsCanonical<T>(string canonical)
        where T : IWfdParameter<T> =>
        Assert.Equal(canonical, RoundTrips<T>(canonical));

    public static WfdParameterException Fails<T>(string text, WfdParameterError error)
        where T : IWfdParameter<T>
    {
        WfdParameterException ex = Assert.Throws<WfdParameterException>(() => T.Parse(text));
        Assert.Equal(error, ex.Error);
        Assert.Equal(T.Name, ex.ParameterName);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        return ex;
    }
}
