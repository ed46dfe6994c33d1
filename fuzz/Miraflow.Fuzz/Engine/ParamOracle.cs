using System.Buffers;
using System.Text;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Sessions;

namespace Miraflow.Fuzz;

/// <summary>
/// What must hold for any <c>text/parameters</c> body:
/// <list type="number">
/// <item><see cref="WfdParameterSet.Parse"/> and <see cref="SinkCapabilities.Parse"/> return a set
/// or throw <see cref="WfdParameterException"/> with a reason; nothing else escapes.</item>
/// <item>The set round-trips: its bytes parse to the same lines, and write to the same bytes.</item>
/// <item>Every typed parameter: <see cref="WfdParameterSet.TryGet{T}"/> never throws; an error
/// carries a reason and the parameter's name; a value's canonical text
/// (<see cref="IWfdParameterValue.WriteValue"/>) parses to an equal value that writes the same
/// text, also through <see cref="WfdParameterSet.Set{T}"/> and a written body.</item>
/// <item><see cref="FormatNegotiator.Negotiate"/> never throws and every candidate is either the
/// mandatory 640×480p60 CBP 3.1 fallback or a mode one of the sink's H.264 entries has, with a
/// profile both sides have and a level both allow that carries the mode; the audio, if any, is
/// a mode the sink lists.</item>
/// </list>
/// </summary>
internal static class ParamOracle
{
    private static readonly (SourceCapabilities Ours, long? Bitrate)[] s_negotiations =
    [
        (SourceCapabilities.Default, null),
        (new SourceCapabilities
        {
            Profiles = H264Profiles.ConstrainedBaseline | H264Profiles.ConstrainedHigh,
            PreferConstrainedHigh = true,
            AllowInterlaced = true,
            AudioFormats = [AudioFormat.Aac, AudioFormat.Ac3, AudioFormat.Lpcm],
        }, 8_000_000),
        (new SourceCapabilities
        {
            Profiles = H264Profiles.ConstrainedHigh,
            MaxLevel = H264Levels.Level31,
            Cea = 0x0000_00FF,
            Vesa = 0,
            AudioFormats = [AudioFormat.Lpcm],
        }, 500_000),
    ];

    private static readonly VideoMode s_mandatory = VideoModes.Cea[0];

    public static FuzzVerdict Check(byte[] input)
    {
        CheckSinkCapabilities(input);

        WfdParameterSet set;
        try
        {
            set = WfdParameterSet.Parse(input);
        }
        catch (WfdParameterException ex)
        {
            CheckError(ex, null);
            return new FuzzVerdict(FuzzOutcome.Rejected, Reason: ex.Error.ToString());
        }

        RoundTripSet(set);
        int typed = 0;
        typed += Typed<WfdVideoFormats>(set);
        typed += Typed<WfdAudioCodecs>(set);
        typed += Typed<WfdClientRtpPorts>(set);
        typed += Typed<WfdDisplayEdid>(set);
        typed += Typed<WfdConnectorType>(set);
        typed += Typed<WfdContentProtection>(set);
        typed += Typed<WfdCoupledSink>(set);
        typed += Typed<WfdUibcCapability>(set);
        typed += Typed<WfdUibcSetting>(set);
        typed += Typed<WfdPresentationUrl>(set);
        typed += Typed<WfdTriggerMethod>(set);
        typed += Typed<WfdRoute>(set);
        typed += Typed<WfdAvFormatChangeTiming>(set);
        typed += Typed<WfdIdrRequestCapability>(set);
        typed += Typed<WfdStandbyResumeCapability>(set);
        typed += Typed<WfdIdrRequest>(set);
        typed += Typed<WfdStandby>(set);

        int variant = (int)(RtspOracle.Hash(input) % (ulong)s_negotiations.Length);
        CheckNegotiation(set, s_negotiations[0].Ours, s_negotiations[0].Bitrate);
        if (variant != 0)
        {
            CheckNegotiation(set, s_negotiations[variant].Ours, s_negotiations[variant].Bitrate);
        }

        return new FuzzVerdict(FuzzOutcome.Parsed, Typed: typed);
    }

    private static void CheckSinkCapabilities(byte[] input)
    {
        try
        {
            WfdParameterSet set = SinkCapabilities.Parse(Encoding.Latin1.GetString(input));
            CheckNegotiation(set, SourceCapabilities.Default, null);
        }
        catch (WfdParameterException ex)
        {
            CheckError(ex, null);
        }
    }

    private static void CheckError(WfdParameterException ex, string? name)
    {
        Check(ex.Error != WfdParameterError.None && Enum.IsDefined(ex.Error), $"WfdParameterException without a defined reason ({ex.Error}): {ex.Message}");
        Check(name is null || string.Equals(ex.ParameterName, name, StringComparison.Ordinal), $"{name}: the error names {ex.ParameterName ?? "no parameter"}");
    }

    private static void RoundTripSet(WfdParameterSet set)
    {
        byte[] written = set.ToArray();
        WfdParameterSet again;
        try
        {
            again = WfdParameterSet.Parse(written);
        }
        catch (WfdParameterException ex)
        {
            throw new OracleException("a parsed set, written, does not parse: " + ex.Message, ex);
        }

        Check(set.SequenceEqual(again), "a parsed set, written and parsed again, has other lines");
        Check(again.ToArray().AsSpan().SequenceEqual(written), "a parsed set written twice gave other bytes");
    }

    /// <returns>1 when the parameter is present and parsed.</returns>
    private static int Typed<T>(WfdParameterSet set)
        where T : class, IWfdParameter<T>
    {
        if (!set.TryGet(out T? value, out WfdParameterException? error))
        {
            if (error is not null)
            {
                CheckError(error, T.Name);
            }

            return 0;
        }

        string canonical = Write(value!);
        T again;
        try
        {
            again = T.Parse(canonical);
        }
        catch (WfdParameterException ex)
        {
            throw new OracleException($"{T.Name}: the canonical text \"{Clip(canonical)}\" does not parse: {ex.Message}", ex);
        }

        Check(Write(again) == canonical, $"{T.Name}: \"{Clip(canonical)}\" re-parsed writes \"{Clip(Write(again))}\"");
        Check(again.Equals(value) || T.IsNameOnly, $"{T.Name}: \"{Clip(canonical)}\" re-parsed is not equal");

        if (canonical.Length < WfdParameterSet.MaxLineLength - 64)
        {
            // Through a body: Set, write, parse, Get.
            var body = new WfdParameterSet();
            body.Set(value!);
            T? viaBody;
            try
            {
                viaBody = WfdParameterSet.Parse(body.ToArray()).Get<T>();
            }
            catch (WfdParameterException ex)
            {
                throw new OracleException($"{T.Name}: a body holding \"{Clip(canonical)}\" does not parse back: {ex.Message}", ex);
            }

            Check(viaBody is not null && Write(viaBody) == canonical, $"{T.Name}: \"{Clip(canonical)}\" changed through a body");
        }

        return 1;
    }

    private static string Write(IWfdParameterValue value)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        value.WriteValue(buffer);
        Check(Ascii.IsValid(buffer.WrittenSpan), "a canonical value is not ASCII");
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    private static string Clip(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "...");

    private static void CheckNegotiation(WfdParameterSet sink, SourceCapabilities ours, long? bitrate)
    {
        NegotiationResult result = FormatNegotiator.Negotiate(sink, ours, bitrate);
        Check(result.Candidates.Count > 0, "negotiation returned no candidate");
        sink.TryGet(out WfdVideoFormats? video, out _);
        sink.TryGet(out WfdAudioCodecs? audio, out _);
        H264Levels ourMax = H264LevelLimits.Highest(ours.MaxLevel);
        var seen = new HashSet<(ResolutionTable, int)>();
        foreach (NegotiatedFormat candidate in result.Candidates)
        {
            VideoMode mode = candidate.Mode;
            Check(VideoModes.IsDefined(mode), $"negotiation chose an undefined mode {mode}");
            Check(seen.Add((mode.Table, mode.Bit)), $"negotiation listed {mode} twice");
            bool mandatory = mode == s_mandatory && candidate.Profile == H264Profiles.ConstrainedBaseline && candidate.Level == H264Levels.Level31;
            if (!mandatory)
            {
                Check(video is { IsNone: false }, $"negotiation chose {candidate} without the sink's video formats");
                Check(mode.Progressive || ours.AllowInterlaced, $"negotiation chose interlaced {mode}");
                Check((OurBitmap(ours, mode.Table) & mode.Mask) != 0, $"negotiation chose {mode}, which we do not send");
                Check((ours.Profiles & candidate.Profile) != 0 && candidate.Level <= ourMax, $"negotiation chose {candidate}, beyond our profiles or level");
                Check(H264LevelLimits.Carries(candidate.Level, mode), $"negotiation chose {candidate}: the level cannot carry the mode");
                bool sinkHasIt = false;
                foreach (H264Codec entry in video!.Codecs)
                {
                    sinkHasIt |= entry.Supports(mode) && (entry.SupportedProfiles & candidate.Profile) != 0
                        && candidate.Level <= entry.HighestSupportedLevel;
                }

                Check(sinkHasIt, $"negotiation chose {candidate}, which no H.264 entry of the sink has");
            }

            if (candidate.Audio is AudioCodec chosen)
            {
                Check(audio?.Find(chosen.Format) is AudioCodec listed && (listed.SupportedModes & chosen.Modes) == chosen.Modes && chosen.Modes != 0,
                    $"negotiation chose audio {chosen}, which the sink does not list");
                Check(ours.AudioFormats.Contains(chosen.Format), $"negotiation chose audio {chosen}, which we do not send");
            }
        }
    }

    private static uint OurBitmap(SourceCapabilities ours, ResolutionTable table) => table switch
    {
        ResolutionTable.Cea => ours.Cea,
        ResolutionTable.Vesa => ours.Vesa,
        _ => ours.Hh,
    };

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new OracleException(what);
        }
    }
}
