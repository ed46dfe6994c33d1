using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Sources;
using Miraflow.Rtsp.Parameters;
using Miraflow.Simulator.Cli;
using Miraflow.Simulator.Os;

namespace Miraflow.Simulator.Demo;

/// <summary>What the session commands share: loading the driver, the picture source, the OS's link figures, the status names.</summary>
internal static class DriverSetup
{
    /// <summary>The in-process driver, or the shared library at <paramref name="path"/> (BadInput when it cannot be loaded).</summary>
    public static DriverLibrary Load(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return DriverLibrary.InProcess();
        }

        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.BadInput, $"--driver {path}: no such file.");
        }

        try
        {
            return DriverLibrary.Load(Path.GetFullPath(path));
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or InvalidOperationException)
        {
            throw new CliException(ExitCodes.BadInput, $"--driver {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// The pictures of <c>--input</c>: a raw 4:2:0 file of the mode's size, looped. <c>.nv12</c>
    /// files are NV12; anything else (<c>.yuv</c>, <c>.i420</c>) is I420 as
    /// <c>ffmpeg -pix_fmt yuv420p -f rawvideo</c> writes it. BadInput when missing or not a whole
    /// number of pictures.
    /// </summary>
    public static IFrameSource? OpenInput(string? path, VideoMode mode)
    {
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.BadInput, $"--input {path}: no such file.");
        }

        PixelFormat format = path.EndsWith(".nv12", StringComparison.OrdinalIgnoreCase) ? PixelFormat.Nv12 : PixelFormat.I420;
        try
        {
            return new RawYuvFileSource(new MediaClock(), path, mode.Width, mode.Height, mode.FramesPerSecond, format, loop: true, FramePacing.Unpaced);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CliException(ExitCodes.BadInput, $"--input {path}: {e.Message} (a raw {format} file of {mode.Width}x{mode.Height} pictures is expected).", e);
        }
    }

    /// <summary>What the OS gives Start: the link's current rate, and room above it.</summary>
    public static MIRACAST_WFD_CONNECTION_STATS ConnectionStats(ulong bitrate) => new()
    {
        CurrentBitRate = bitrate,
        LocalMaxBitRate = 300_000_000,
        RemoteMaxBitRate = 300_000_000,
    };

    /// <summary>What the OS's data-rate notifications say while the link holds its rate.</summary>
    public static MIRACAST_DATARATE_STATS DataRate(ulong bitrate) => new()
    {
        EncoderBitRate = bitrate,
        CurrentMaxTxDataRate = Math.Max(bitrate * 2, 300_000_000),
    };

    /// <summary>A session status as a person reads it.</summary>
    public static string Describe(MIRACAST_STATUS status, int ntStatus)
    {
        string what = status switch
        {
            MIRACAST_STATUS.MIRACAST_STATUS_MISSING_KEEPALIVE => "the sink stopped answering keep-alives",
            MIRACAST_STATUS.MIRACAST_STATUS_SINK_DISOCNNECT_REQUEST => "the sink disconnected",
            MIRACAST_STATUS.MIRACAST_STATUS_INSUFFICIENT_BANDWIDTH => "the link cannot carry the mode",
            MIRACAST_STATUS.MIRACAST_STATUS_SINK_FAILED_STANDARD_MODE_CHANGE => "the sink failed a mode change",
            MIRACAST_STATUS.MIRACAST_STATUS_CRITICAL_ERROR => "a critical error",
            _ => "an unexpected status",
        };
        return $"{what} ({status}, NTSTATUS 0x{ntStatus:X8})";
    }

    /// <summary>An NTSTATUS a lifecycle call returned, with its name when it is a common one.</summary>
    public static string Describe(int ntStatus) => ntStatus switch
    {
        STATUS.STATUS_DEVICE_INSUFFICIENT_RESOURCES => $"0x{ntStatus:X8} STATUS_DEVICE_INSUFFICIENT_RESOURCES: the bitrate cannot carry the sink's modes (1024x768p30 needs about 2.4 Mbit/s)",
        STATUS.STATUS_IO_TIMEOUT => $"0x{ntStatus:X8} STATUS_IO_TIMEOUT: the sink did not answer in time",
        STATUS.STATUS_NOT_SUPPORTED => $"0x{ntStatus:X8} STATUS_NOT_SUPPORTED: no format both sides support",
        _ => $"0x{ntStatus:X8}",
    };
}
