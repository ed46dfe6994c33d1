using System.Text.Json;

namespace Miraflow.Simulator.Demo;

/// <summary>
/// The <c>--report FILE</c> of the session commands: one JSON object with the run's figures, for
/// tests and scripts (docs/simulator.md, "Reports"). Written with <see cref="Utf8JsonWriter"/>
/// (no reflection); durations are milliseconds, sizes bytes, absent values null.
/// </summary>
internal static class RunReport
{
    /// <summary>Writes one object whose properties <paramref name="write"/> adds.</summary>
    public static async Task WriteAsync(string path, Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        await File.WriteAllBytesAsync(path, buffer.WrittenMemory.ToArray(), CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>A duration as a number of milliseconds (rounded to 0.1 ms), or null.</summary>
    public static void WriteMilliseconds(Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is TimeSpan span)
        {
            writer.WriteNumber(name, Math.Round(span.TotalMilliseconds, 1));
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
