using System.Globalization;
using System.Text.Json;
using Xunit.Sdk;

namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>One stream as ffprobe lists it.</summary>
/// <param name="Index">Its index in the file.</param>
/// <param name="CodecType">"video", "audio", ...</param>
/// <param name="CodecName">ffmpeg's codec name (for an unknown stream type, a guess from the payload).</param>
/// <param name="CodecTag">The TS stream_type as ffprobe prints it ("0x001b").</param>
/// <param name="Id">The PID ("0x1011").</param>
/// <param name="Profile">The codec profile, if any.</param>
/// <param name="Width">Video width, or 0.</param>
/// <param name="Height">Video height, or 0.</param>
internal sealed record FfprobeStream(int Index, string CodecType, string? CodecName, string CodecTag, string Id, string? Profile, int Width, int Height);

/// <summary>One demuxed packet as ffprobe lists it.</summary>
internal sealed record FfprobePacket(int StreamIndex, string CodecType, long? Pts, long? Dts, int Size, string Flags)
{
    public bool IsKey => Flags.Contains('K', StringComparison.Ordinal);
}

/// <summary>ffprobe's view of a file: <c>ffprobe -v error -show_streams -show_packets -of json</c>.</summary>
internal sealed class FfprobeReport
{
    private FfprobeReport(ToolResult run, List<FfprobeStream> streams, List<FfprobePacket> packets)
    {
        Run = run;
        Streams = streams;
        Packets = packets;
    }

    public ToolResult Run { get; }

    public IReadOnlyList<FfprobeStream> Streams { get; }

    public IReadOnlyList<FfprobePacket> Packets { get; }

    public static async Task<FfprobeReport> ProbeAsync(string path)
    {
        ToolResult run = (await ExternalTool.RunAsync("ffprobe", ["-v", "error", "-show_streams", "-show_packets", "-of", "json", path], TimeSpan.FromSeconds(30))).EnsureSuccess();
        try
        {
            using var json = JsonDocument.Parse(run.StandardOutput);
            var streams = new List<FfprobeStream>();
            foreach (JsonElement s in Array(json.RootElement, "streams"))
            {
                streams.Add(new FfprobeStream(
                    s.GetProperty("index").GetInt32(),
                    Text(s, "codec_type") ?? "",
                    Text(s, "codec_name"),
                    Text(s, "codec_tag") ?? "",
                    Text(s, "id") ?? "",
                    Text(s, "profile"),
                    s.TryGetProperty("width", out JsonElement w) ? w.GetInt32() : 0,
                    s.TryGetProperty("height", out JsonElement h) ? h.GetInt32() : 0));
            }

            var packets = new List<FfprobePacket>();
            foreach (JsonElement p in Array(json.RootElement, "packets"))
            {
                packets.Add(new FfprobePacket(
                    p.GetProperty("stream_index").GetInt32(),
                    Text(p, "codec_type") ?? "",
                    Number(p, "pts"),
                    Number(p, "dts"),
                    int.Parse(Text(p, "size") ?? "0", CultureInfo.InvariantCulture),
                    Text(p, "flags") ?? ""));
            }

            return new FfprobeReport(run, streams, packets);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new XunitException($"Could not read ffprobe's JSON: {e.Message}\n{run.Describe()}");
        }
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement array) ? array.EnumerateArray() : default;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()) : null;

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : null;
}
