using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Tests.Encoders;

/// <summary>One encoded access unit as the tests keep it.</summary>
internal sealed record EncodedUnit(int Index, byte[] Bytes, bool IsIdr, ulong FrameNumber, MediaTime CaptureTime);

/// <summary>Drives an encoder over the test picture and keeps the output.</summary>
internal static class EncodeRun
{
    /// <summary>
    /// Encodes <paramref name="frames"/> pictures; <paramref name="beforeFrame"/> runs before each
    /// picture (requests, bitrate changes). Skipped pictures leave no entry.
    /// </summary>
    public static List<EncodedUnit> Encode(IVideoEncoder encoder, int frames, Action<int>? beforeFrame = null,
        PixelFormat format = PixelFormat.I420, int lumaStride = 0, int chromaStride = 0, bool noise = true)
    {
        EncoderSettings settings = encoder.Settings;
        using var desktop = new TestPicture(settings.Width, settings.Height, noise);
        using VideoFrame picture = VideoFrame.Create(settings.Width, settings.Height, format, lumaStride, chromaStride);
        var units = new List<EncodedUnit>(frames);
        for (int i = 0; i < frames; i++)
        {
            beforeFrame?.Invoke(i);
            desktop.DrawAndStamp(picture, i, encoder.Settings.FrameRate);
            using EncodedFrame? unit = encoder.Encode(picture);
            if (unit is not null)
            {
                units.Add(new EncodedUnit(i, unit.Data.ToArray(), unit.IsIdr, unit.FrameNumber, unit.CaptureTime));
            }
        }

        return units;
    }

    /// <summary>Writes the units back to back: an Annex-B elementary stream file.</summary>
    public static string WriteStream(IEnumerable<EncodedUnit> units, string name)
    {
        string path = Path.Combine(Path.GetTempPath(), $"miraflow-{name}-{Environment.ProcessId}.h264");
        using FileStream file = File.Create(path);
        foreach (EncodedUnit unit in units)
        {
            file.Write(unit.Bytes);
        }

        return path;
    }

    /// <summary>Bits per second of <paramref name="units"/> spanning <paramref name="frames"/> pictures at <paramref name="frameRate"/>.</summary>
    public static double Bitrate(IEnumerable<EncodedUnit> units, int frames, double frameRate)
    {
        long bytes = 0;
        foreach (EncodedUnit unit in units)
        {
            bytes += unit.Bytes.Length;
        }

        return bytes * 8 / (frames / frameRate);
    }
}
