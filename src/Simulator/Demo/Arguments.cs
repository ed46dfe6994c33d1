using System.CommandLine;
using System.Globalization;
using System.Net;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Sessions;

namespace Miraflow.Simulator.Demo;

/// <summary>
/// The values the session commands take on their command lines (a mode, a bitrate, an endpoint),
/// parsed the same way everywhere, and the options built on them (validated while parsing, so a
/// bad value is a usage error, exit code 2).
/// </summary>
public static class Arguments
{
    /// <summary>Parses a WFD mode written as <see cref="VideoMode.ToString"/> does: <c>1920x1080p30</c>, <c>1280x720p60</c>, <c>1920x1080i60</c>.</summary>
    /// <returns>False when it is not one of the CEA, VESA or HH modes.</returns>
    public static bool TryParseMode(string? text, out VideoMode mode)
    {
        mode = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (ResolutionTable table in (ReadOnlySpan<ResolutionTable>)[ResolutionTable.Cea, ResolutionTable.Vesa, ResolutionTable.Hh])
        {
            foreach (VideoMode candidate in VideoModes.Get(table))
            {
                if (string.Equals(candidate.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    mode = candidate;
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Parses a bitrate in bit/s: a plain number (<c>8000000</c>) or one with an SI suffix,
    /// <c>k</c> (10^3), <c>M</c> (10^6) or <c>G</c> (10^9), decimals allowed (<c>8M</c>, <c>800k</c>, <c>2.5M</c>).
    /// </summary>
    /// <returns>False unless it is a whole, positive number of bit/s up to 10 Gbit/s.</returns>
    public static bool TryParseBitrate(string? text, out ulong bitsPerSecond)
    {
        bitsPerSecond = 0;
        decimal scale = SplitSuffix(text, out ReadOnlySpan<char> value) switch
        {
            '\0' => 1m,
            'K' => 1_000m,
            'M' => 1_000_000m,
            'G' => 1_000_000_000m,
            _ => 0m,
        };
        if (scale == 0m || !decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
        {
            return false;
        }

        decimal bits = number * scale;
        if (bits < 1m || bits > 10_000_000_000m || bits != decimal.Truncate(bits))
        {
            return false;
        }

        bitsPerSecond = (ulong)bits;
        return true;
    }

    /// <summary>The largest size <see cref="TryParseByteSize"/> accepts: 1 TiB (<c>1024G</c>).</summary>
    public const long MaxByteSize = 1L << 40;

    /// <summary>
    /// Parses a size in bytes: a plain number (<c>1048576</c>) or one with a binary suffix,
    /// <c>K</c> (KiB), <c>M</c> (MiB) or <c>G</c> (GiB), whole numbers only (<c>512M</c>, <c>200K</c>).
    /// </summary>
    /// <returns>False unless it is one TS packet (188 bytes) to <see cref="MaxByteSize"/>.</returns>
    public static bool TryParseByteSize(string? text, out long bytes)
    {
        bytes = 0;
        int shift = SplitSuffix(text, out ReadOnlySpan<char> value) switch
        {
            '\0' => 0,
            'K' => 10,
            'M' => 20,
            'G' => 30,
            _ => -1,
        };
        if (shift < 0 || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number > MaxByteSize >> shift)
        {
            return false;
        }

        bytes = number << shift;
        return bytes >= 188;
    }

    /// <summary>
    /// Splits <c>8M</c> into <c>8</c> and <c>'M'</c>: the trimmed text without its last character
    /// when that is a letter (returned upper-case), else the whole text and <c>'\0'</c>; <c>'?'</c> for blank text.
    /// </summary>
    private static char SplitSuffix(string? text, out ReadOnlySpan<char> number)
    {
        number = text.AsSpan().Trim();
        if (number.IsEmpty)
        {
            return '?';
        }

        char last = number[^1];
        if (!char.IsAsciiLetter(last))
        {
            return '\0';
        }

        number = number[..^1];
        return char.ToUpperInvariant(last);
    }

    /// <summary>Parses <c>HOST:PORT</c> with a numeric IPv4 or IPv6 address (<c>127.0.0.1:7236</c>, <c>[::1]:7236</c>), or <c>localhost:PORT</c>.</summary>
    public static bool TryParseEndPoint(string? text, out IPEndPoint endPoint)
    {
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string trimmed = text.Trim();
        if (trimmed.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = string.Concat("127.0.0.1", trimmed.AsSpan("localhost".Length));
        }

        if (!IPEndPoint.TryParse(trimmed, out IPEndPoint? parsed) || parsed.Port == 0 || !trimmed.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        endPoint = parsed;
        return true;
    }

    /// <summary>Formats bit/s for people: <c>7.98 Mbit/s</c>, <c>812 kbit/s</c>.</summary>
    public static string FormatBitrate(double bitsPerSecond) => bitsPerSecond switch
    {
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{bitsPerSecond / 1e6:F2} Mbit/s"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{bitsPerSecond / 1e3:F0} kbit/s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bitsPerSecond:F0} bit/s"),
    };

    /// <summary>
    /// The M3 answer of a sink that has exactly one mode: <paramref name="mode"/> in H.264
    /// Constrained Baseline at the lowest level that carries it, as native and only mode, and
    /// 48 kHz stereo LPCM; the rest as <see cref="SinkCapabilities.DefaultText"/> (a TV on HDMI).
    /// Negotiation can then only pick <paramref name="mode"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No R1 level carries the mode.</exception>
    public static string SinkCapabilitiesFor(VideoMode mode)
    {
        H264Levels level = H264LevelLimits.LowestCarrying(mode);
        if (level == H264Levels.None)
        {
            throw new ArgumentException($"No WFD H.264 level carries {mode}.", nameof(mode));
        }

        uint cea = mode.Table == ResolutionTable.Cea ? mode.Mask : 0;
        uint vesa = mode.Table == ResolutionTable.Vesa ? mode.Mask : 0;
        uint hh = mode.Table == ResolutionTable.Hh ? mode.Mask : 0;
        int native = (mode.Bit << 3) | (int)mode.Table;
        string video = string.Create(
            CultureInfo.InvariantCulture,
            $"wfd_video_formats: {native:x2} 00 {(byte)H264Profiles.ConstrainedBaseline:x2} {(byte)level:x2} {cea:x8} {vesa:x8} {hh:x8} 00 0000 0000 00 none none");
        var lines = new System.Text.StringBuilder();
        foreach (string line in SinkCapabilities.DefaultText.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string replaced = line.StartsWith("wfd_video_formats:", StringComparison.Ordinal) ? video
                : line.StartsWith("wfd_audio_codecs:", StringComparison.Ordinal) ? "wfd_audio_codecs: LPCM 00000002 00"
                : line;
            lines.Append(replaced).Append("\r\n");
        }

        return lines.ToString();
    }

    /// <summary><c>--mode</c>: a WFD mode (<c>WxHp|iRATE</c> from the CEA, VESA or HH table), checked at parse time.</summary>
    public static Option<string> Mode(string defaultValue, string description)
    {
        var option = new Option<string>("--mode") { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            string? value = r.GetValueOrDefault<string>();
            if (!TryParseMode(value, out _))
            {
                r.AddError($"--mode '{value}' is not a WFD mode (for example 1920x1080p30, 1280x720p60, 800x480p30).");
            }
        });
        return option;
    }

    /// <summary><c>--seconds</c>: how long to stream.</summary>
    public static Option<int> Seconds(int defaultValue, string description)
    {
        var option = new Option<int>("--seconds") { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r =>
        {
            int value = r.GetValueOrDefault<int>();
            if (value is < 0 or > 86_400)
            {
                r.AddError($"--seconds must be 0 to 86400, not {value}.");
            }
        });
        return option;
    }

    /// <summary><c>--bitrate</c>: the link rate the OS reports to the driver (<c>CurrentBitRate</c>).</summary>
    public static Option<string> Bitrate(string defaultValue)
    {
        var option = new Option<string>("--bitrate")
        {
            Description = "The link's bitrate the OS gives the driver (MIRACAST_WFD_CONNECTION_STATS.CurrentBitRate and the data-rate notifications): 8M, 800k, 20000000",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(r =>
        {
            string? value = r.GetValueOrDefault<string>();
            if (!TryParseBitrate(value, out _))
            {
                r.AddError($"--bitrate '{value}' is not a bitrate (a positive number of bit/s, optionally with k, M or G: 8M, 800k).");
            }
        });
        return option;
    }

    /// <summary><c>--driver</c>: a native driver library instead of the in-process one.</summary>
    public static Option<string?> Driver() => new("--driver")
    {
        Description = "Load the driver from this shared library (the NativeAOT Miraflow.Exports.so) instead of the managed exports in this process",
    };

    /// <summary><c>--report</c>: a machine-readable summary of the run.</summary>
    public static Option<string?> Report() => new("--report")
    {
        Description = "Also write the run's summary as JSON to this file, for tests and scripts (docs/simulator.md, \"Reports\")",
    };

    /// <summary><c>--max-capture</c>: how much of the received MPEG-TS the sink writes to the <c>--out</c> file; no limit when absent.</summary>
    public static Option<string?> MaxCapture()
    {
        var option = new Option<string?>("--max-capture")
        {
            Description = "Write at most this much of the MPEG-TS received to --out (K, M, G for KiB, MiB, GiB); default: all of it",
        };
        option.Validators.Add(r =>
        {
            string? value = r.GetValueOrDefault<string?>();
            if (!TryParseByteSize(value, out _))
            {
                r.AddError($"--max-capture '{value}' is not a size from 188 bytes to 1024G (512M, 200K, 1048576).");
            }
        });
        return option;
    }

    /// <summary>Reads a validated <c>--max-capture</c>: <see cref="long.MaxValue"/> when it was not given.</summary>
    public static long GetMaxCapture(ParseResult result, Option<string?> option) =>
        TryParseByteSize(result.GetValue(option), out long bytes) ? bytes : long.MaxValue;

    /// <summary>The summary's <c>capture</c> line: the file and its size, and why it holds only the beginning (<c>--max-capture</c>, or a write error).</summary>
    public static string DescribeCapture(string path, long bytes, bool truncated, string? writeError = null) =>
        writeError is not null ? string.Create(CultureInfo.InvariantCulture, $"{path} ({bytes} bytes: only the beginning, writing failed: {writeError})")
        : truncated ? string.Create(CultureInfo.InvariantCulture, $"{path} ({bytes} bytes: only the beginning, --max-capture was reached)")
        : string.Create(CultureInfo.InvariantCulture, $"{path} ({bytes} bytes)");

    /// <summary>Reads a validated <c>--bitrate</c>.</summary>
    public static ulong GetBitrate(ParseResult result, Option<string> option)
    {
        _ = TryParseBitrate(result.GetValue(option), out ulong bitrate);
        return bitrate;
    }
}
