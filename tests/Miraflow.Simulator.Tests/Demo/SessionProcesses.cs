using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Miraflow.Simulator.Tests.Demo;

/// <summary>The tests that stream through the driver as processes run one at a time: each wants most of a small machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SessionProcesses
{
    /// <summary>The collection's name.</summary>
    public const string Name = "miraflow session processes";

    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The value of a summary line <c>  name: value</c>, or fails.</summary>
    public static string SummaryValue(string output, string name)
    {
        foreach (string line in output.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith(name + ":", StringComparison.Ordinal))
            {
                return trimmed[(name.Length + 1)..].Trim();
            }
        }

        throw new Xunit.Sdk.XunitException($"No summary line '{name}:' in:\n{output}");
    }

    /// <summary>The number at the start of a summary value (<c>33.99 ms</c> → 33.99).</summary>
    public static double LeadingNumber(string value) =>
        double.Parse(value.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>
    /// Decodes the video of a capture with ffmpeg after removing WFD's LPCM PID (ffmpeg does not
    /// know stream type 0x83): it must decode silently; returns the pictures decoded.
    /// </summary>
    public static async Task<int> DecodeVideoAsync(string capturePath)
    {
        byte[] video = Miraflow.Simulator.Sink.TsPacketFilter.WithoutPid(await File.ReadAllBytesAsync(capturePath), Miraflow.Pipeline.Ts.TsPid.Audio);
        string path = capturePath + ".video.ts";
        await File.WriteAllBytesAsync(path, video);
        ToolResult decode = await ExternalTool.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-map", "0:v", "-f", "framemd5", "-"], TimeSpan.FromMinutes(2));
        Assert.True(decode.ExitCode == 0 && decode.StandardError.Length == 0, decode.Describe());
        return decode.StandardOutput.Split('\n').Count(l => l.Length > 0 && l[0] != '#');
    }
}
