using System.Globalization;
using System.Numerics;
using System.Text;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Negotiation;

/// <summary>
/// Chooses the video and audio format from the sink's M3 answer (protocol doc §2.8): mask reserved
/// bits; candidates are the modes of each H.264 entry that both sides support, with that entry's
/// profile and the lowest level that carries the mode (and both sides allow); progressive before
/// interlaced, then highest score; CBP unless configured; modes the suggested bitrate cannot carry
/// are dropped. Deterministic and allocation-light; never throws for sink data (a malformed or
/// missing <c>wfd_video_formats</c> falls back to the mandatory 640×480p60 CBP 3.1).
/// </summary>
/// <remarks>
/// <para>Per H.264 entry: profile = CHP when <see cref="SourceCapabilities.PreferConstrainedHigh"/>
/// and both sides have it, else CBP when both have it, else CHP when that is the only common
/// profile; entries with no common profile or no defined level are skipped. The entry's level
/// limit is its highest defined level bit (a sink supporting level L supports every lower one),
/// capped by <see cref="SourceCapabilities.MaxLevel"/>; each mode gets the lowest level within that
/// limit that carries it (<see cref="H264LevelLimits"/>), or is dropped. A mode offered by several
/// entries keeps the preferred profile, then the lower level.</para>
/// <para>Order: progressive first (interlaced only with <see cref="SourceCapabilities.AllowInterlaced"/>),
/// then highest <see cref="VideoMode.Score"/>, then CEA before VESA before HH, then the lower bit.
/// The sink's native byte is ignored (§5.9).</para>
/// <para>Bandwidth: with a suggested bitrate, modes whose <see cref="BandwidthModel.RequiredBitrate(VideoMode)"/>
/// exceeds it are dropped (<see cref="NegotiationResult.ReducedByBandwidth"/>); when none fits, the
/// mode needing the least is kept and <see cref="NegotiationResult.BandwidthInsufficient"/> is set.</para>
/// <para>Fallback list: when the sink advertises CEA bit 0 (and we can send it with CBP),
/// 640×480p60 CBP 3.1, the mode every sink must accept, is always the last candidate, even if
/// the bandwidth estimate says it is too much, because it is the last M4 retry worth making.</para>
/// <para>Audio: the first of <see cref="SourceCapabilities.AudioFormats"/> that the sink lists with
/// 48 kHz stereo (LPCM bit 1, AAC bit 0, AC3 bit 0); failing that, LPCM 44.1 kHz stereo (bit 0) if
/// we and the sink have LPCM; else none.</para>
/// </remarks>
public static class FormatNegotiator
{
    private static readonly VideoMode s_mandatoryMode = VideoModes.Cea[0];

    private static readonly ResolutionTable[] s_tables = [ResolutionTable.Cea, ResolutionTable.Vesa, ResolutionTable.Hh];

    /// <summary>Negotiates against the sink's M3 answer.</summary>
    /// <param name="sink">The M3 answer body.</param>
    /// <param name="ours">Our capabilities.</param>
    /// <param name="suggestedBitrate">The OS's suggested encode rate in bit/s, or null for no limit.</param>
    public static NegotiationResult Negotiate(WfdParameterSet sink, SourceCapabilities ours, long? suggestedBitrate = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(ours);

        AudioCodec? audio = ChooseAudio(sink, ours);
        string audioText = audio is null ? "no common audio codec" : "audio " + NegotiatedFormat.AudioText(audio);

        var candidates = new List<NegotiatedFormat>();
        var reason = new StringBuilder();
        bool reduced = false;
        bool insufficient = false;

        sink.TryGet(out WfdVideoFormats? video, out WfdParameterException? error);
        string? videoProblem = video is null
            ? (error is null ? "sink sent no wfd_video_formats" : "sink's wfd_video_formats is malformed (" + error.Message + ")")
            : video.IsNone ? "sink's wfd_video_formats is none" : null;

        if (videoProblem is null)
        {
            Build(video!, ours, audio, suggestedBitrate, candidates, reason, out reduced, out insufficient);
        }
        else
        {
            candidates.Add(Mandatory(audio));
            reason.Append("chose ").Append(candidates[0].VideoText()).Append(" (").Append(videoProblem)
                .Append("; using the mandatory mode)");
        }

        if (ours.ForcedMode is VideoMode forced)
        {
            ApplyForcedMode(forced, video, ours, audio, candidates, reason);
        }

        reason.Append("; ").Append(audioText);
        return new NegotiationResult(candidates, reason.ToString(), reduced, insufficient);
    }

    private static void Build(
        WfdVideoFormats video,
        SourceCapabilities ours,
        AudioCodec? audio,
        long? bitrate,
        List<NegotiatedFormat> result,
        StringBuilder reason,
        out bool reduced,
        out bool insufficient)
    {
        reduced = false;
        insufficient = false;
        H264Profiles preferred = ours.PreferConstrainedHigh ? H264Profiles.ConstrainedHigh : H264Profiles.ConstrainedBaseline;
        H264Levels ourMax = H264LevelLimits.Highest(ours.MaxLevel);
        var best = new Dictionary<(ResolutionTable, int), Candidate>();
        var levelDrops = new Dictionary<(ResolutionTable, int), LevelDrop>();
        bool sinkHasMandatory = false;

        foreach (H264Codec entry in video.Codecs)
        {
            sinkHasMandatory |= (entry.GetSupported(ResolutionTable.Cea) & s_mandatoryMode.Mask) != 0;
            H264Profiles common = entry.SupportedProfiles & ours.Profiles;
            H264Profiles profile = (common & preferred) != 0 ? preferred
                : (common & H264Profiles.ConstrainedBaseline) != 0 ? H264Profiles.ConstrainedBaseline
                : (common & H264Profiles.ConstrainedHigh) != 0 ? H264Profiles.ConstrainedHigh
                : H264Profiles.None;
            H264Levels sinkMax = entry.HighestSupportedLevel;
            if (profile == H264Profiles.None || sinkMax == H264Levels.None || ourMax == H264Levels.None)
            {
                continue;
            }

            H264Levels allowed = sinkMax < ourMax ? sinkMax : ourMax;
            foreach (ResolutionTable table in s_tables)
            {
                uint bits = entry.GetSupported(table) & OurBitmap(ours, table);
                while (bits != 0)
                {
                    int bit = BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    if (!VideoModes.TryGet(table, bit, out VideoMode mode) || (!mode.Progressive && !ours.AllowInterlaced))
                    {
                        continue;
                    }

                    H264Levels level = H264LevelLimits.LowestCarrying(mode, allowed);
                    if (level == H264Levels.None)
                    {
                        levelDrops.TryAdd((table, bit), new LevelDrop(mode, H264LevelLimits.LowestCarrying(mode), allowed, sinkMax <= ourMax));
                        continue;
                    }

                    var candidate = new Candidate(mode, profile, level);
                    if (!best.TryGetValue((table, bit), out Candidate existing) || IsBetter(candidate, existing, preferred))
                    {
                        best[(table, bit)] = candidate;
                    }
                }
            }
        }

        List<Candidate> ordered = [.. best.Values];
        ordered.Sort(Compare);

        // Bandwidth: drop what the suggested rate cannot carry; keep the cheapest if nothing fits.
        List<Candidate> fitting = ordered;
        Candidate? firstTooExpensive = null;
        if (bitrate is long bps && ordered.Count > 0)
        {
            fitting = ordered.FindAll(c => BandwidthModel.RequiredBitrate(c.Mode) <= bps);
            reduced = fitting.Count < ordered.Count;
            firstTooExpensive = ordered.Find(c => BandwidthModel.RequiredBitrate(c.Mode) > bps);
            if (fitting.Count == 0)
            {
                insufficient = true;
                // Cheapest by estimate, then by pixel rate (the estimate has a floor, so small modes tie).
                Candidate cheapest = ordered[0];
                foreach (Candidate c in ordered)
                {
                    long required = BandwidthModel.RequiredBitrate(c.Mode);
                    long cheapestRequired = BandwidthModel.RequiredBitrate(cheapest.Mode);
                    if (required < cheapestRequired || (required == cheapestRequired && PixelRate(c.Mode) < PixelRate(cheapest.Mode)))
                    {
                        cheapest = c;
                    }
                }

                fitting = [cheapest];
            }
        }

        bool canSendMandatory = (OurBitmap(ours, ResolutionTable.Cea) & s_mandatoryMode.Mask) != 0
            && (ours.Profiles & H264Profiles.ConstrainedBaseline) != 0;
        bool appendMandatory = sinkHasMandatory && canSendMandatory;
        foreach (Candidate c in fitting)
        {
            if (appendMandatory && c.Mode == s_mandatoryMode)
            {
                continue;
            }

            result.Add(new NegotiatedFormat(c.Mode, c.Profile, c.Level, audio));
        }

        if (appendMandatory || result.Count == 0)
        {
            result.Add(Mandatory(audio));
        }

        NegotiatedFormat chosen = result[0];
        reason.Append("chose ").Append(chosen.VideoText()).Append(" (");
        if (ordered.Count == 0)
        {
            reason.Append("no mode in common with the sink's H.264 entries (profile, level or modes); using the mandatory mode");
        }
        else if (insufficient)
        {
            reason.Append(CultureInfo.InvariantCulture, $"smallest common mode; it needs {BandwidthModel.RequiredBitrate(chosen.Mode)} bit/s, {bitrate} bit/s suggested");
        }
        else
        {
            reason.Append(chosen.Mode.Progressive ? "highest common progressive mode" : "highest common mode; no progressive mode in common");
            if (reduced && firstTooExpensive is Candidate dropped)
            {
                reason.Append(CultureInfo.InvariantCulture, $"; {dropped.Mode} needs {BandwidthModel.RequiredBitrate(dropped.Mode)} bit/s, {bitrate} bit/s suggested");
            }

            LevelDrop? drop = null;
            foreach (LevelDrop d in levelDrops.Values)
            {
                if (!best.ContainsKey((d.Mode.Table, d.Mode.Bit)) && d.Mode.Progressive == chosen.Mode.Progressive
                    && d.Mode.Score > chosen.Mode.Score && (drop is null || Compare(d.Mode, drop.Value.Mode) < 0))
                {
                    drop = d;
                }
            }

            if (drop is LevelDrop worse)
            {
                reason.Append("; ").Append(worse.Mode.ToString());
                reason.Append(worse.Needed == H264Levels.None
                    ? " exceeds every R1 level"
                    : string.Concat(" needs level ", H264LevelLimits.ToDisplayString(worse.Needed), ", ", worse.LimitedBySink ? "sink" : "we", " allow", worse.LimitedBySink ? "s " : " ", H264LevelLimits.ToDisplayString(worse.Allowed)));
            }
        }

        reason.Append(')');
    }

    private static void ApplyForcedMode(
        VideoMode forced,
        WfdVideoFormats? video,
        SourceCapabilities ours,
        AudioCodec? audio,
        List<NegotiatedFormat> candidates,
        StringBuilder reason)
    {
        if (!VideoModes.IsDefined(forced))
        {
            reason.Append("; forced mode ").Append(forced.ToString()).Append(" ignored: not an R1 table entry");
            return;
        }

        H264Profiles profile = ours.PreferConstrainedHigh && (ours.Profiles & H264Profiles.ConstrainedHigh) != 0
            ? H264Profiles.ConstrainedHigh
            : H264Profiles.ConstrainedBaseline;
        H264Levels ourMax = H264LevelLimits.Highest(ours.MaxLevel);
        H264Levels level = H264LevelLimits.LowestCarrying(forced, ourMax == H264Levels.None ? H264Levels.Level42 : ourMax);
        bool beyondLevels = level == H264Levels.None;
        if (beyondLevels)
        {
            level = ourMax == H264Levels.None ? H264Levels.Level42 : ourMax;
        }

        bool advertised = false;
        if (video is not null)
        {
            foreach (H264Codec entry in video.Codecs)
            {
                advertised |= entry.Supports(forced);
            }
        }

        candidates.RemoveAll(c => c.Mode == forced);
        var chosen = new NegotiatedFormat(forced, profile, level, audio);
        candidates.Insert(0, chosen);
        reason.Clear();
        reason.Append("chose ").Append(chosen.VideoText()).Append(" (forced by configuration; the sink ")
            .Append(advertised ? "advertises it" : "does not advertise it");
        if (beyondLevels)
        {
            reason.Append("; exceeds every R1 level limit, sent as level ").Append(H264LevelLimits.ToDisplayString(level));
        }

        reason.Append(')');
    }

    private static long PixelRate(VideoMode mode) => (long)mode.Width * mode.Height * mode.FramesPerSecond;

    private static NegotiatedFormat Mandatory(AudioCodec? audio) =>
        new(s_mandatoryMode, H264Profiles.ConstrainedBaseline, H264Levels.Level31, audio);

    private static AudioCodec? ChooseAudio(WfdParameterSet sink, SourceCapabilities ours)
    {
        if (!sink.TryGet(out WfdAudioCodecs? codecs, out _) || codecs is null)
        {
            return null;
        }

        // Pass 1: 48 kHz stereo in our order of preference.
        foreach (AudioFormat format in ours.AudioFormats)
        {
            uint bit = format == AudioFormat.Lpcm ? 0x2u : 0x1u;
            if (codecs.Find(format) is AudioCodec entry && (entry.SupportedModes & bit) != 0)
            {
                return new AudioCodec(format, bit, 0);
            }
        }

        // Pass 2: LPCM 44.1 kHz stereo.
        foreach (AudioFormat format in ours.AudioFormats)
        {
            if (format == AudioFormat.Lpcm && codecs.Find(format) is AudioCodec entry && (entry.SupportedModes & 0x1u) != 0)
            {
                return new AudioCodec(format, 0x1u, 0);
            }
        }

        return null;
    }

    private static uint OurBitmap(SourceCapabilities ours, ResolutionTable table) => table switch
    {
        ResolutionTable.Cea => ours.Cea,
        ResolutionTable.Vesa => ours.Vesa,
        _ => ours.Hh,
    } & VideoModes.ValidMask(table);

    private static bool IsBetter(Candidate candidate, Candidate existing, H264Profiles preferred)
    {
        bool candidatePreferred = candidate.Profile == preferred;
        bool existingPreferred = existing.Profile == preferred;
        return candidatePreferred != existingPreferred ? candidatePreferred : candidate.Level < existing.Level;
    }

    private static int Compare(Candidate x, Candidate y) => Compare(x.Mode, y.Mode);

    // Progressive first, then higher score, then CEA < VESA < HH, then the lower bit.
    private static int Compare(VideoMode x, VideoMode y)
    {
        int c = y.Progressive.CompareTo(x.Progressive);
        if (c == 0)
        {
            c = y.Score.CompareTo(x.Score);
        }

        if (c == 0)
        {
            c = x.Table.CompareTo(y.Table);
        }

        return c != 0 ? c : x.Bit.CompareTo(y.Bit);
    }

    private readonly record struct Candidate(VideoMode Mode, H264Profiles Profile, H264Levels Level);

    private readonly record struct LevelDrop(VideoMode Mode, H264Levels Needed, H264Levels Allowed, bool LimitedBySink);
}
