using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Tests.TestSupport;

namespace Miraflow.Rtsp.Tests.Negotiation;

[Trait("Category", "unit")]
public sealed class FormatNegotiatorTests
{
    private const string Samsung = "40 00 02 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none, 01 04 0001DEFF 053C7FFF 00000FFF 00 0000 0000 11 none none";
    private const string LgWebOs = "40 00 01 10 000194FF 155575DF 00000555 00 0000 0000 1F none none, 02 10 000194FF 155575DF 00000555 00 0000 0000 1F none none";
    private const string Windows10 = "40 00 01 10 0001bdeb 051557ff 00000fff 10 0000 001f 11 0780 0438, 02 10 0001bdeb 155557ff 00000fff 10 0000 001f 11 0780 0438";
    private const string ActionTec = "00 01 02 08 00019ceb 05557fff 00000fff 02 0000 00ff 11 0780 0438, 01 08 00019ceb 05557fff 00000fff 02 0000 00ff 11 0780 0438";
    private const string Lg2015 = "40 00 01 08 0001FFFF 3FFFFFFF 000005FF 00 0000 0000 10 none none, 02 08 0001FFFF 3FFFFFFF 000005FF 00 0000 0000 10 none none";
    private const string Android44 = "28 00 01 01 ffffffff ffffffff ffffffff 00 0000 0000 00 none none";
    private const string Lazycast = "00 00 02 10 0001FEFF 3FFFFFFF 00000FFF 00 0000 0000 00 none none";
    private const string GalaxyTab = "00 00 01 01 00000001 00000000 ... none none";
    private const string SamsungAudio = "LPCM 00000003 00, AAC 00000001 00";

    private static readonly SourceCapabilities s_ceaOnly = new() { Vesa = 0, Hh = 0 };

    private static WfdParameterSet Sink(string? video, string? audio = SamsungAudio)
    {
        var set = new WfdParameterSet();
        if (video is not null)
        {
            set.SetRaw("wfd_video_formats", video);
        }

        if (audio is not null)
        {
            set.SetRaw("wfd_audio_codecs", audio);
        }

        return set;
    }

    private static NegotiationResult Negotiate(string? video, SourceCapabilities? ours = null, long? bitrate = null, string? audio = SamsungAudio) =>
        FormatNegotiator.Negotiate(Sink(video, audio), ours ?? SourceCapabilities.Default, bitrate);

    private static VideoMode Mode(ResolutionTable table, int bit)
    {
        Assert.True(VideoModes.TryGet(table, bit, out VideoMode mode));
        return mode;
    }

    private static string M4Video(NegotiatedFormat format) => ParameterAssert.Write(format.ToVideoFormats());

    // §2.8 score = w × h × rate × 2: 1360x768p60 (VESA 11) = 125,337,600 beats 1920x1080p30 = 124,416,000,
    // and level 4.0 carries it (85 × 48 MB × 60 = 244,800 ≤ 245,760). 1080p30 CBP 4.0 is the next candidate.
    [Fact]
    public void Samsung_HighestScoreWithinLevel40()
    {
        NegotiationResult r = Negotiate(Samsung);
        Assert.Equal(new NegotiatedFormat(Mode(ResolutionTable.Vesa, 11), H264Profiles.ConstrainedBaseline, H264Levels.Level40, new AudioCodec(AudioFormat.Lpcm, 2, 0)), r.Chosen);
        Assert.Equal("1920x1080p30 CBP 4.0", r.Candidates[1].VideoText());
        Assert.Equal(
            "chose 1360x768p60 CBP 4.0 (highest common progressive mode; 1600x900p60 needs level 4.2, sink allows 4.0); audio LPCM 48000/2",
            r.Reason);
        Assert.All(r.Candidates, c => Assert.True(c.Level <= H264Levels.Level40));
        Assert.DoesNotContain(r.Candidates, c => c.Mode == Mode(ResolutionTable.Cea, 8));
        Assert.Equal("00 00 01 04 00000000 00000800 00000000 00 0000 0000 00 none none", M4Video(r.Chosen));
    }

    [Fact]
    public void Samsung_CeaOnly_Chooses1080p30Cbp40()
    {
        NegotiationResult r = Negotiate(Samsung, s_ceaOnly);
        Assert.Equal("1920x1080p30 CBP 4.0, LPCM 48000/2", r.Chosen.ToString());
        Assert.Equal("chose 1920x1080p30 CBP 4.0 (highest common progressive mode); audio LPCM 48000/2", r.Reason);
        Assert.Equal("00 00 01 04 00000080 00000000 00000000 00 0000 0000 00 none none", M4Video(r.Chosen));
        Assert.Equal("LPCM 00000002 00", ParameterAssert.Write(r.Chosen.ToAudioCodecs()!));
    }

    [Fact]
    public void LgWebOs_NativeByteIgnored_NoCea8()
    {
        NegotiationResult r = Negotiate(LgWebOs);
        Assert.Equal("1366x768p60 CBP 4.2", r.Chosen.VideoText());
        Assert.Equal("chose 1366x768p60 CBP 4.2 (highest common progressive mode; 1920x1200p30 exceeds every R1 level); audio LPCM 48000/2", r.Reason);
        Assert.DoesNotContain(r.Candidates, c => c.Mode.Width == 1920 && c.Mode.FrameRate >= 50);

        NegotiationResult cea = Negotiate(LgWebOs, s_ceaOnly);
        Assert.Equal("1920x1080p30 CBP 4.0", cea.Chosen.VideoText());
    }

    [Fact]
    public void Windows10_1080p60Level42_AndOurLevelCap()
    {
        NegotiationResult r = Negotiate(Windows10, audio: "LPCM 00000003 00, AAC 0000000f 00, AC3 00000007 00");
        Assert.Equal("1920x1080p60 CBP 4.2, LPCM 48000/2", r.Chosen.ToString());
        Assert.Equal("chose 1920x1080p60 CBP 4.2 (highest common progressive mode); audio LPCM 48000/2", r.Reason);
        Assert.Equal("00 00 01 10 00000100 00000000 00000000 00 0000 0000 00 none none", M4Video(r.Chosen));

        NegotiationResult capped = Negotiate(Windows10, new SourceCapabilities { MaxLevel = H264Levels.Level41 });
        Assert.Equal("1920x1080p30 CBP 4.0", capped.Chosen.VideoText());
        Assert.Equal("chose 1920x1080p30 CBP 4.0 (highest common progressive mode; 1920x1080p60 needs level 4.2, we allow 4.1); audio LPCM 48000/2", capped.Reason);
    }

    [Fact]
    public void ActionTec_Level41()
    {
        NegotiationResult r = Negotiate(ActionTec, audio: "LPCM 00000003 02, AAC 00000001 02, AC3 00000000 02");
        Assert.Equal("1360x768p60 CBP 4.0", r.Chosen.VideoText());
        Assert.Equal("chose 1360x768p60 CBP 4.0 (highest common progressive mode; 1366x768p60 needs level 4.2, sink allows 4.1); audio LPCM 48000/2", r.Reason);
        Assert.Equal("1920x1080p30 CBP 4.0", Negotiate(ActionTec, s_ceaOnly).Chosen.VideoText());
        Assert.EndsWith("none none", M4Video(r.Chosen), StringComparison.Ordinal);
        Assert.All(r.Candidates, c => Assert.True(c.Level <= H264Levels.Level41));
    }

    [Theory]
    [InlineData(Lg2015)]
    [InlineData(Android44)]
    [InlineData(Lazycast)]
    public void ReservedBitSinks_NeverGetAReservedBit(string video)
    {
        foreach (SourceCapabilities ours in new[] { SourceCapabilities.Default, new SourceCapabilities { Profiles = (H264Profiles)0xFF, MaxLevel = (H264Levels)0xFF, Cea = ~0u, Vesa = ~0u, Hh = ~0u } })
        {
            NegotiationResult r = Negotiate(video, ours);
            Assert.All(r.Candidates, c =>
            {
                Assert.True(VideoModes.IsDefined(c.Mode));
                H264Codec m4 = c.ToVideoFormats().Codecs[0];
                Assert.Equal(m4.Cea, m4.GetSupported(ResolutionTable.Cea));
                Assert.Equal(m4.Vesa, m4.GetSupported(ResolutionTable.Vesa));
                Assert.Equal(m4.Hh, m4.GetSupported(ResolutionTable.Hh));
                Assert.Equal(1, System.Numerics.BitOperations.PopCount(m4.Cea | m4.Vesa | m4.Hh));
                Assert.Equal(1, System.Numerics.BitOperations.PopCount((uint)m4.Profile));
                Assert.Equal(1, System.Numerics.BitOperations.PopCount((uint)m4.Level));
                Assert.Equal(m4.Profile, m4.SupportedProfiles);
                Assert.Equal(m4.Level, m4.SupportedLevels);
            });
        }
    }

    [Fact]
    public void Android44_Level31Only_Chooses720p30_Aac()
    {
        NegotiationResult r = Negotiate(Android44, audio: "AAC 0000000F 00");
        Assert.Equal("1280x720p30 CBP 3.1, AAC 48000/2", r.Chosen.ToString());
        Assert.Equal("AAC 00000001 00", ParameterAssert.Write(r.Chosen.ToAudioCodecs()!));
        Assert.All(r.Candidates, c => Assert.Equal(H264Levels.Level31, c.Level));
    }

    [Fact]
    public void Lazycast_ChpOnly_NeedsChp()
    {
        NegotiationResult cbpOnly = Negotiate(Lazycast, audio: "AAC 00000001 00");
        Assert.Equal("640x480p60 CBP 3.1, AAC 48000/2", cbpOnly.Chosen.ToString());
        Assert.Single(cbpOnly.Candidates);
        Assert.Contains("no mode in common", cbpOnly.Reason, StringComparison.Ordinal);

        NegotiationResult withChp = Negotiate(Lazycast, new SourceCapabilities { Profiles = H264Profiles.ConstrainedBaseline | H264Profiles.ConstrainedHigh });
        Assert.Equal("1600x1200p60 CHP 4.2", withChp.Chosen.VideoText());
        Assert.Equal("00 00 02 10 00000000 00800000 00000000 00 0000 0000 00 none none", M4Video(withChp.Chosen));
        Assert.Equal("640x480p60 CBP 3.1", withChp.Candidates[^1].VideoText());
    }

    [Fact]
    public void GalaxyTab_MalformedLine_FallsBackToMandatory()
    {
        NegotiationResult r = Negotiate(GalaxyTab, audio: null);
        Assert.Equal(new NegotiatedFormat(VideoModes.Cea[0], H264Profiles.ConstrainedBaseline, H264Levels.Level31, null), r.Chosen);
        Assert.Single(r.Candidates);
        Assert.StartsWith("chose 640x480p60 CBP 3.1 (sink's wfd_video_formats is malformed (", r.Reason, StringComparison.Ordinal);
        Assert.EndsWith("; using the mandatory mode); no common audio codec", r.Reason, StringComparison.Ordinal);
        Assert.Equal("00 00 01 01 00000001 00000000 00000000 00 0000 0000 00 none none", M4Video(r.Chosen));
        Assert.Null(r.Chosen.ToAudioCodecs());
    }

    [Theory]
    [InlineData(null, "sink sent no wfd_video_formats")]
    [InlineData("none", "sink's wfd_video_formats is none")]
    public void MissingOrNoneVideo_FallsBackToMandatory(string? video, string why)
    {
        NegotiationResult r = Negotiate(video);
        Assert.Equal("640x480p60 CBP 3.1", r.Chosen.VideoText());
        Assert.Equal($"chose 640x480p60 CBP 3.1 ({why}; using the mandatory mode); audio LPCM 48000/2", r.Reason);
        Assert.False(r.ReducedByBandwidth);
        Assert.False(r.BandwidthInsufficient);
    }

    [Fact]
    public void Bandwidth_ReducesTheChoice()
    {
        // 7 Mbit/s: 1080p60 needs 12,441,600 and 1080p50 10,368,000; 1080p30 needs 6,220,800.
        NegotiationResult r = Negotiate(Windows10, s_ceaOnly, 7_000_000);
        Assert.Equal("1920x1080p30 CBP 4.0", r.Chosen.VideoText());
        Assert.True(r.ReducedByBandwidth);
        Assert.False(r.BandwidthInsufficient);
        Assert.Equal("chose 1920x1080p30 CBP 4.0 (highest common progressive mode; 1920x1080p60 needs 12441600 bit/s, 7000000 bit/s suggested); audio LPCM 48000/2", r.Reason);
        Assert.All(r.Candidates, c => Assert.True(BandwidthModel.RequiredBitrate(c.Mode) <= 7_000_000));

        NegotiationResult enough = Negotiate(Windows10, s_ceaOnly, 20_000_000);
        Assert.False(enough.ReducedByBandwidth);
        Assert.Equal("1920x1080p60 CBP 4.2", enough.Chosen.VideoText());
    }

    [Fact]
    public void Bandwidth_Insufficient_KeepsSmallestCommonMode()
    {
        NegotiationResult r = Negotiate(Windows10, bitrate: 500_000);
        Assert.True(r.BandwidthInsufficient);
        Assert.True(r.ReducedByBandwidth);
        Assert.Equal("640x360p30 CBP 3.1", r.Chosen.VideoText()); // HH 6: the smallest pixel rate
        Assert.Equal("640x480p60 CBP 3.1", r.Candidates[^1].VideoText());
        Assert.Equal(2, r.Candidates.Count);
        Assert.StartsWith("chose 640x360p30 CBP 3.1 (smallest common mode; it needs 1000000 bit/s, 500000 bit/s suggested)", r.Reason, StringComparison.Ordinal);

        NegotiationResult cea = Negotiate(Windows10, s_ceaOnly, 500_000);
        Assert.True(cea.BandwidthInsufficient);
        Assert.Single(cea.Candidates);
        Assert.Equal("640x480p60 CBP 3.1", cea.Chosen.VideoText());
    }

    [Fact]
    public void BandwidthModel_DocumentedEstimate()
    {
        Assert.Equal(6_220_800, BandwidthModel.RequiredBitrate(1920, 1080, 30));
        Assert.Equal(12_441_600, BandwidthModel.RequiredBitrate(VideoModes.Cea[8]));
        Assert.Equal(6_220_800, BandwidthModel.RequiredBitrate(VideoModes.Cea[9])); // 1080i60 = 30 frames/s
        Assert.Equal(BandwidthModel.MinimumBitrate, BandwidthModel.RequiredBitrate(320, 240, 15));
        Assert.Equal(2_359_296, BandwidthModel.RequiredBitrate(1024, 768, 30));
        Assert.True(BandwidthModel.CanCarry1024x768(2_359_296));
        Assert.False(BandwidthModel.CanCarry1024x768(2_359_295));
        Assert.False(BandwidthModel.CanCarry1024x768(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BandwidthModel.RequiredBitrate(-1, 1, 1));
    }

    [Fact]
    public void Chp_PreferredWhenBothSupportIt()
    {
        var chp = new SourceCapabilities { Profiles = H264Profiles.ConstrainedBaseline | H264Profiles.ConstrainedHigh, PreferConstrainedHigh = true };
        NegotiationResult samsung = Negotiate(Samsung, chp);
        Assert.Equal("1360x768p60 CHP 4.0", samsung.Chosen.VideoText());
        Assert.Equal("00 00 02 04 00000000 00000800 00000000 00 0000 0000 00 none none", M4Video(samsung.Chosen));
        Assert.All(samsung.Candidates.SkipLast(1), c => Assert.Equal(H264Profiles.ConstrainedHigh, c.Profile));
        Assert.Equal("640x480p60 CBP 3.1", samsung.Candidates[^1].VideoText());

        // Windows has a CHP entry at level 4.2 with CEA bit 8.
        NegotiationResult windows = Negotiate(Windows10, chp);
        Assert.Equal("1920x1080p60 CHP 4.2", windows.Chosen.VideoText());

        // Supported but not preferred: CBP wins where both entries have the mode.
        var both = new SourceCapabilities { Profiles = H264Profiles.ConstrainedBaseline | H264Profiles.ConstrainedHigh };
        Assert.Equal(H264Profiles.ConstrainedBaseline, Negotiate(Samsung, both).Chosen.Profile);

        // Preferred but the encoder cannot: CBP.
        Assert.Equal(H264Profiles.ConstrainedBaseline, Negotiate(Samsung, new SourceCapabilities { PreferConstrainedHigh = true }).Chosen.Profile);
    }

    [Fact]
    public void ForcedMode_IsHonoured()
    {
        VideoMode wuxga = Mode(ResolutionTable.Vesa, 28);
        NegotiationResult r = FormatNegotiator.Negotiate(Sink(GalaxyTab, null), new SourceCapabilities { ForcedMode = wuxga });
        Assert.Equal("1920x1200p30 CBP 4.2", r.Chosen.VideoText());
        Assert.Equal("chose 1920x1200p30 CBP 4.2 (forced by configuration; the sink does not advertise it; exceeds every R1 level limit, sent as level 4.2); no common audio codec", r.Reason);
        Assert.Equal("00 00 01 10 00000000 10000000 00000000 00 0000 0000 00 none none", M4Video(r.Chosen));
        Assert.Equal("640x480p60 CBP 3.1", r.Candidates[^1].VideoText());

        NegotiationResult advertised = Negotiate(Samsung, new SourceCapabilities { ForcedMode = Mode(ResolutionTable.Cea, 5) });
        Assert.Equal("1280x720p30 CBP 3.1", advertised.Chosen.VideoText());
        Assert.Contains("forced by configuration; the sink advertises it", advertised.Reason, StringComparison.Ordinal);
        Assert.Single(advertised.Candidates, c => c.Mode == Mode(ResolutionTable.Cea, 5));

        NegotiationResult bogus = Negotiate(Samsung, new SourceCapabilities { ForcedMode = new VideoMode(ResolutionTable.Vesa, 29, 1920, 1200, 60, true) });
        Assert.Equal("1360x768p60 CBP 4.0", bogus.Chosen.VideoText());
        Assert.Contains("forced mode 1920x1200p60 ignored: not an R1 table entry", bogus.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LPCM 00000003 00, AAC 00000001 00", null, "LPCM 00000002 00")]
    [InlineData("LPCM 00000003 00, AAC 00000001 00", "aac-first", "AAC 00000001 00")]
    [InlineData("LPCM 00000001 00, AAC 00000001 00", null, "AAC 00000001 00")] // 48 kHz AAC before 44.1 kHz LPCM
    [InlineData("LPCM 00000001 00", null, "LPCM 00000001 00")]
    [InlineData("LPCM 00000001 00, AAC 0000000e 00", null, "LPCM 00000001 00")] // AAC without stereo
    [InlineData("AAC 0000000F 00", null, "AAC 00000001 00")]
    [InlineData("AC3 00000007 00", null, null)]
    [InlineData("AC3 00000007 00", "ac3", "AC3 00000001 00")]
    [InlineData("LPCM 000001fc 00", null, null)] // reserved bits only
    [InlineData("none", null, null)]
    [InlineData("LPCM 0000003 00", null, null)] // malformed
    public void Audio_Choice(string sinkAudio, string? ours, string? expected)
    {
        SourceCapabilities caps = ours switch
        {
            "aac-first" => new SourceCapabilities { AudioFormats = [AudioFormat.Aac, AudioFormat.Lpcm] },
            "ac3" => new SourceCapabilities { AudioFormats = [AudioFormat.Ac3] },
            _ => SourceCapabilities.Default,
        };
        NegotiationResult r = Negotiate(Windows10, caps, audio: sinkAudio);
        WfdAudioCodecs? m4 = r.Chosen.ToAudioCodecs();
        Assert.Equal(expected, m4 is null ? null : ParameterAssert.Write(m4));
        if (r.Chosen.Audio is AudioCodec a)
        {
            Assert.Equal(1, System.Numerics.BitOperations.PopCount(a.Modes));
        }

        Assert.All(r.Candidates, c => Assert.Equal(r.Chosen.Audio, c.Audio));
        Assert.EndsWith(expected is null ? "; no common audio codec" : "; audio " + NegotiatedFormat.AudioText(r.Chosen.Audio), r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FallbackOrder_ProgressiveByScore_MandatoryLast()
    {
        NegotiationResult r = Negotiate(Windows10);
        Assert.Equal("640x480p60 CBP 3.1", r.Candidates[^1].VideoText());
        Assert.Single(r.Candidates, c => c.Mode == VideoModes.Cea[0]);
        Assert.Equal(r.Candidates.Count, r.Candidates.Select(c => c.Mode).Distinct().Count());
        Assert.All(r.Candidates, c => Assert.True(c.Mode.Progressive));
        for (int i = 1; i < r.Candidates.Count - 1; i++)
        {
            Assert.True(r.Candidates[i - 1].Mode.Score >= r.Candidates[i].Mode.Score);
        }

        Assert.Equal(
            ["1920x1080p60 CBP 4.2", "1920x1080p50 CBP 4.2", "1920x1080p30 CBP 4.0", "1280x800p60 CBP 4.0"],
            r.Candidates.Take(4).Select(c => c.VideoText()));

        // Deterministic.
        Assert.Equal(r.Candidates, Negotiate(Windows10).Candidates);
    }

    [Fact]
    public void Interlaced_OnlyWhenAllowed_AndAfterProgressive()
    {
        Assert.DoesNotContain(Negotiate(Samsung).Candidates, c => !c.Mode.Progressive);
        NegotiationResult r = Negotiate(Samsung, new SourceCapabilities { AllowInterlaced = true });
        int firstInterlaced = r.Candidates.ToList().FindIndex(c => !c.Mode.Progressive);
        Assert.True(firstInterlaced > 0);
        Assert.All(r.Candidates.Skip(firstInterlaced).SkipLast(1), c => Assert.False(c.Mode.Progressive));
        Assert.Contains(r.Candidates, c => c.VideoText() == "1920x1080i60 CBP 4.0");
    }

    [Fact]
    public void NegotiatedFormat_M4Strings()
    {
        var f = new NegotiatedFormat(VideoModes.Cea[7], H264Profiles.ConstrainedBaseline, H264Levels.Level41, new AudioCodec(AudioFormat.Aac, 1, 2));
        Assert.Equal("00 00 01 08 00000080 00000000 00000000 00 0000 0000 00 none none", M4Video(f));
        Assert.Equal("AAC 00000001 00", ParameterAssert.Write(f.ToAudioCodecs()!));
        Assert.Equal("1920x1080p30 CBP 4.1, AAC 48000/2", f.ToString());
        var hh = new NegotiatedFormat(VideoModes.Hh[11], H264Profiles.ConstrainedHigh, H264Levels.Level31, null);
        Assert.Equal("00 00 02 01 00000000 00000000 00000800 00 0000 0000 00 none none", M4Video(hh));
        Assert.Equal("848x480p60 CHP 3.1, no audio", hh.ToString());
    }
}
