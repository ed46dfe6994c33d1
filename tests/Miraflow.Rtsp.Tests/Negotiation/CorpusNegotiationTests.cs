using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Tests.TestSupport;

namespace Miraflow.Rtsp.Tests.Negotiation;

/// <summary>
/// Negotiates against every <c>wfd_video_formats:</c> line of the real sinks' messages
/// (<c>shared/corpus/sinks</c>, read in place) and checks the choice against the sink's own entries.
/// </summary>
[Trait("Category", "unit")]
public sealed class CorpusNegotiationTests
{
    private static readonly SourceCapabilities s_cbpAndChp = new()
    {
        Profiles = H264Profiles.ConstrainedBaseline | H264Profiles.ConstrainedHigh,
    };

    private static readonly SourceCapabilities s_preferChp = new()
    {
        Profiles = H264Profiles.ConstrainedBaseline | H264Profiles.ConstrainedHigh,
        PreferConstrainedHigh = true,
    };

    public static TheoryData<string, int> VideoLines()
    {
        var data = new TheoryData<string, int>();
        foreach (string file in SinkCorpus.Files())
        {
            int count = SinkCorpus.ExtractLines(file, "wfd_video_formats").Count;
            for (int i = 0; i < count; i++)
            {
                data.Add(Path.GetFileName(file), i);
            }
        }

        return data;
    }

    [Fact]
    public void Corpus_IsFound_WithTheExpectedLines() =>
        Assert.True(VideoLines().Count >= 11, "expected at least 11 wfd_video_formats lines in shared/corpus/sinks");

    [Theory]
    [MemberData(nameof(VideoLines))]
    public void Choice_IsInsideTheSinksOwnEntry(string fileName, int index)
    {
        string path = SinkCorpus.PathOf(fileName);
        string video = SinkCorpus.ValueOf(SinkCorpus.ExtractLines(path, "wfd_video_formats")[index]);
        List<string> audioLines = SinkCorpus.ExtractLines(path, "wfd_audio_codecs");
        var sink = new WfdParameterSet();
        sink.SetRaw("wfd_video_formats", video);
        if (audioLines.Count > 0)
        {
            sink.SetRaw("wfd_audio_codecs", SinkCorpus.ValueOf(audioLines[Math.Min(index, audioLines.Count - 1)]));
        }

        WfdVideoFormats? formats = null;
        try
        {
            formats = WfdVideoFormats.Parse(video);
        }
        catch (WfdParameterException)
        {
            // Galaxy Tab (file 13): the log elided the bitmaps.
        }

        foreach (SourceCapabilities ours in new[] { SourceCapabilities.Default, s_cbpAndChp, s_preferChp })
        {
            NegotiationResult result = FormatNegotiator.Negotiate(sink, ours);
            Assert.False(string.IsNullOrEmpty(result.Reason));
            Assert.DoesNotContain('\n', result.Reason);
            Assert.False(result.ReducedByBandwidth);

            if (formats is null)
            {
                AssertMandatory(result.Chosen);
                Assert.Single(result.Candidates);
                Assert.Contains("malformed", result.Reason, StringComparison.Ordinal);
                continue;
            }

            bool anyCommonProfile = formats.Codecs.Any(e => (e.SupportedProfiles & ours.Profiles) != 0);
            if (!anyCommonProfile)
            {
                // lazycast advertises CHP only; a CBP-only source falls back to the mandatory mode.
                AssertMandatory(result.Chosen);
                Assert.Contains("no mode in common", result.Reason, StringComparison.Ordinal);
                continue;
            }

            AssertInsideSinkEntry(formats, result.Chosen);
            for (int i = 0; i < result.Candidates.Count; i++)
            {
                NegotiatedFormat candidate = result.Candidates[i];
                bool isMandatoryTail = i == result.Candidates.Count - 1 && candidate.Mode == VideoModes.Cea[0];
                if (isMandatoryTail)
                {
                    AssertMandatory(candidate);
                    Assert.Contains(formats.Codecs, e => (e.GetSupported(ResolutionTable.Cea) & 1) != 0);
                }
                else
                {
                    AssertInsideSinkEntry(formats, candidate);
                }
            }

            // The mandatory mode closes the list whenever the sink lists CEA 0.
            if (formats.Codecs.Any(e => (e.GetSupported(ResolutionTable.Cea) & 1) != 0))
            {
                AssertMandatory(result.Candidates[^1]);
            }

            if (ours.PreferConstrainedHigh && formats.Codecs.Any(e => (e.SupportedProfiles & H264Profiles.ConstrainedHigh) != 0))
            {
                Assert.Equal(H264Profiles.ConstrainedHigh, result.Chosen.Profile);
            }
            else if (formats.Codecs.Any(e => (e.SupportedProfiles & H264Profiles.ConstrainedBaseline) != 0))
            {
                Assert.Equal(H264Profiles.ConstrainedBaseline, result.Chosen.Profile);
            }
        }
    }

    private static void AssertMandatory(NegotiatedFormat format)
    {
        Assert.Equal(VideoModes.Cea[0], format.Mode);
        Assert.Equal(H264Profiles.ConstrainedBaseline, format.Profile);
        Assert.Equal(H264Levels.Level31, format.Level);
    }

    // Some entry with the chosen profile has the mode in its masked bitmap, allows the level
    // (its highest level is at least the chosen one) and the level carries the mode; the level is
    // the lowest that carries it.
    private static void AssertInsideSinkEntry(WfdVideoFormats formats, NegotiatedFormat format)
    {
        Assert.True(VideoModes.IsDefined(format.Mode));
        Assert.True(H264LevelLimits.Carries(format.Level, format.Mode), $"{format.VideoText()}: level does not carry the mode");
        Assert.Equal(H264LevelLimits.LowestCarrying(format.Mode), format.Level);
        bool inside = formats.Codecs.Any(e =>
            (e.SupportedProfiles & format.Profile) != 0
            && (e.GetSupported(format.Mode.Table) & format.Mode.Mask) != 0
            && e.HighestSupportedLevel >= format.Level);
        Assert.True(inside, $"{format.VideoText()} is not inside any sink entry with profile {format.Profile}");

        WfdVideoFormats m4 = format.ToVideoFormats();
        Assert.Equal(m4, WfdVideoFormats.Parse(ParameterAssert.Write(m4)));
    }
}
