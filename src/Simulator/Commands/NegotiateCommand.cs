using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Sessions;
using Miraflow.Simulator.Cli;

namespace Miraflow.Simulator.Commands;

/// <summary>
/// <c>miraflow negotiate --caps FILE [--bitrate BPS] [--json]</c>: runs our source's M3 → M4
/// format negotiation (<see cref="FormatNegotiator"/>, as <see cref="SourceSession"/> does with its
/// default capabilities) against a sink's M3 answer and prints what the sink offers and what we
/// would choose, and why (docs/simulator.md).
/// </summary>
public static class NegotiateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var caps = new Option<string>("--caps")
        {
            Description = "The sink's M3 answer: wfd_* parameter lines (other lines are ignored)",
            Required = true,
            HelpName = "FILE",
        };
        var bitrate = new Option<long?>("--bitrate")
        {
            Description = "The suggested encode rate in bit/s; modes it cannot carry are dropped",
            HelpName = "BPS",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var command = new Command("negotiate", "Negotiate a format against a sink's capabilities, as our source does at M3/M4");
        command.Options.Add(caps);
        command.Options.Add(bitrate);
        command.Options.Add(json);
        command.SetAction(async (ParseResult parsed, CancellationToken cancellationToken) =>
        {
            string path = parsed.GetRequiredValue(caps);
            long? suggested = parsed.GetValue(bitrate);
            if (suggested is <= 0)
            {
                throw new CliException(ExitCodes.Usage, string.Create(CultureInfo.InvariantCulture, $"--bitrate must be positive, not {suggested}"));
            }

            WfdParameterSet sink = await LoadAsync(path, cancellationToken).ConfigureAwait(false);
            WfdVideoFormats video = RequireVideo(sink, path);
            NegotiationResult result = FormatNegotiator.Negotiate(sink, SourceCapabilities.Default, suggested);
            TextWriter output = parsed.InvocationConfiguration.Output;
            string text = parsed.GetValue(json) ? ToJson(sink, video, result, suggested) : ToText(sink, video, result, suggested, path);
            await output.WriteAsync(text).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reads and parses the capability file; every failure is one <see cref="ExitCodes.BadInput"/> line.</summary>
    private static async Task<WfdParameterSet> LoadAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.BadInput, $"cannot read the capabilities file '{path}': {e.Message}", e);
        }

        try
        {
            return SinkCapabilities.Parse(text);
        }
        catch (WfdParameterException e)
        {
            throw new CliException(ExitCodes.BadInput, $"'{path}' is malformed: {OneLine(e.Message)}", e);
        }
    }

    /// <summary>
    /// The negotiator falls back to 640x480p60 for a missing or malformed <c>wfd_video_formats</c>
    /// (a live session must go on); a capabilities file that says nothing usable is an input error here.
    /// </summary>
    private static WfdVideoFormats RequireVideo(WfdParameterSet sink, string path)
    {
        sink.TryGet(out WfdVideoFormats? video, out WfdParameterException? error);
        if (error is not null)
        {
            throw new CliException(ExitCodes.BadInput, $"'{path}': wfd_video_formats is malformed: {OneLine(error.Message)}", error);
        }

        if (video is null)
        {
            throw new CliException(ExitCodes.BadInput, $"'{path}' has no wfd_video_formats line");
        }

        if (video.IsNone)
        {
            throw new CliException(ExitCodes.BadInput, $"'{path}': wfd_video_formats is none (the sink offers no video format)");
        }

        return video;
    }

    private static string ToText(WfdParameterSet sink, WfdVideoFormats video, NegotiationResult result, long? bitrate, string path)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"sink capabilities ({path})\n");
        text.Append(c, $"  native         0x{video.Native:X2}, preferred display mode {(video.PreferredDisplayModeSupported != 0 ? "supported" : "not supported")}\n");
        for (int i = 0; i < video.Codecs.Count; i++)
        {
            H264Codec codec = video.Codecs[i];
            text.Append(c, $"  H.264 entry {i + 1}  {Profiles(codec.SupportedProfiles)} up to level {H264LevelLimits.ToDisplayString(codec.HighestSupportedLevel)}")
                .Append(c, $"; CEA {codec.Cea:x8}, VESA {codec.Vesa:x8}, HH {codec.Hh:x8}\n");
            foreach (ResolutionTable table in (ResolutionTable[])[ResolutionTable.Cea, ResolutionTable.Vesa, ResolutionTable.Hh])
            {
                string modes = Modes(codec, table);
                if (modes.Length > 0)
                {
                    text.Append(c, $"    {TableName(table),-4}         {modes}\n");
                }
            }
        }

        text.Append(c, $"  audio          {AudioOffer(sink)}\n");
        NegotiatedFormat chosen = result.Chosen;
        text.Append('\n');
        text.Append(c, $"chosen           {chosen.Mode} ({TableName(chosen.Mode.Table)} bit {chosen.Mode.Bit}) {NegotiatedFormat.ProfileText(chosen.Profile)} {H264LevelLimits.ToDisplayString(chosen.Level)}, {AudioName(chosen.Audio)}\n");
        text.Append(c, $"reason           {result.Reason}\n");
        if (bitrate is long bps)
        {
            string effect = result.BandwidthInsufficient ? "no common mode fits; the cheapest is kept"
                : result.ReducedByBandwidth ? "some modes were dropped" : "no mode was dropped";
            text.Append(c, $"bitrate          {bps} bit/s suggested: {effect}; {chosen.Mode} needs {BandwidthModel.RequiredBitrate(chosen.Mode)} bit/s\n");
        }

        text.Append(c, $"M4 retries       {string.Join(", ", result.Candidates.Select(f => f.VideoText()))}\n");
        return text.ToString();
    }

    private static string ToJson(WfdParameterSet sink, WfdVideoFormats video, NegotiationResult result, long? bitrate)
    {
        NegotiatedFormat chosen = result.Chosen;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("table", TableName(chosen.Mode.Table));
            json.WriteNumber("bit", chosen.Mode.Bit);
            json.WriteNumber("width", chosen.Mode.Width);
            json.WriteNumber("height", chosen.Mode.Height);
            json.WriteNumber("fps", chosen.Mode.FramesPerSecond);
            json.WriteBoolean("progressive", chosen.Mode.Progressive);
            json.WriteString("profile", NegotiatedFormat.ProfileText(chosen.Profile));
            json.WriteString("level", H264LevelLimits.ToDisplayString(chosen.Level));
            json.WriteString("audio", AudioName(chosen.Audio));
            json.WriteString("reason", result.Reason);
            if (bitrate is long bps)
            {
                json.WriteNumber("bitrate", bps);
            }
            else
            {
                json.WriteNull("bitrate");
            }

            json.WriteNumber("requiredBitrate", BandwidthModel.RequiredBitrate(chosen.Mode));
            json.WriteBoolean("reducedByBandwidth", result.ReducedByBandwidth);
            json.WriteBoolean("bandwidthInsufficient", result.BandwidthInsufficient);
            json.WriteStartArray("candidates");
            foreach (NegotiatedFormat candidate in result.Candidates)
            {
                json.WriteStringValue(candidate.VideoText());
            }

            json.WriteEndArray();
            json.WriteStartObject("sink");
            json.WriteStartArray("h264");
            foreach (H264Codec codec in video.Codecs)
            {
                json.WriteStartObject();
                json.WriteString("profiles", Profiles(codec.SupportedProfiles));
                json.WriteString("level", H264LevelLimits.ToDisplayString(codec.HighestSupportedLevel));
                json.WriteString("cea", codec.Cea.ToString("x8", CultureInfo.InvariantCulture));
                json.WriteString("vesa", codec.Vesa.ToString("x8", CultureInfo.InvariantCulture));
                json.WriteString("hh", codec.Hh.ToString("x8", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("audio", AudioOffer(sink));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length) + "\n";
    }

    /// <summary>e.g. <c>1920x1080p60 1280x720p30</c>: the defined modes of one table in an entry.</summary>
    private static string Modes(H264Codec codec, ResolutionTable table)
    {
        var modes = new StringBuilder();
        uint bits = codec.GetSupported(table);
        for (int bit = 0; bit < 32; bit++)
        {
            if ((bits & (1u << bit)) != 0 && VideoModes.TryGet(table, bit, out VideoMode mode))
            {
                modes.Append(modes.Length > 0 ? " " : "").Append(mode.ToString());
            }
        }

        return modes.ToString();
    }

    private static string AudioOffer(WfdParameterSet sink)
    {
        if (!sink.TryGet(out WfdAudioCodecs? codecs, out WfdParameterException? error))
        {
            return error is null ? "none (no wfd_audio_codecs)" : "malformed wfd_audio_codecs (" + OneLine(error.Message) + ")";
        }

        if (codecs!.IsNone)
        {
            return "none";
        }

        var text = new StringBuilder();
        foreach (AudioCodec codec in codecs.Codecs)
        {
            for (int bit = 0; bit < 32; bit++)
            {
                if ((codec.SupportedModes & (1u << bit)) != 0)
                {
                    text.Append(text.Length > 0 ? ", " : "").Append(NegotiatedFormat.AudioText(new AudioCodec(codec.Format, 1u << bit, 0)));
                }
            }
        }

        return text.Length > 0 ? text.ToString() : "none";
    }

    private static string AudioName(AudioCodec? audio) => audio is null ? "none" : NegotiatedFormat.AudioText(audio);

    private static string Profiles(H264Profiles profiles) => profiles switch
    {
        H264Profiles.ConstrainedBaseline => "CBP",
        H264Profiles.ConstrainedHigh => "CHP",
        H264Profiles.ConstrainedBaseline | H264Profiles.ConstrainedHigh => "CBP+CHP",
        _ => "no defined profile",
    };

    private static string TableName(ResolutionTable table) => table switch
    {
        ResolutionTable.Cea => "CEA",
        ResolutionTable.Vesa => "VESA",
        _ => "HH",
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
