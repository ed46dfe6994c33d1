using Miraflow.Rtsp.Parameters;

namespace Miraflow.Rtsp.Tests.Parameters;

[Trait("Category", "unit")]
public sealed class VideoModesTests
{
    // Every row of protocol doc §2.3, written out (not computed): table, bit, width, height, rate, progressive.
    [Theory]
    [InlineData(ResolutionTable.Cea, 0, 640, 480, 60, true)]
    [InlineData(ResolutionTable.Cea, 1, 720, 480, 60, true)]
    [InlineData(ResolutionTable.Cea, 2, 720, 480, 60, false)]
    [InlineData(ResolutionTable.Cea, 3, 720, 576, 50, true)]
    [InlineData(ResolutionTable.Cea, 4, 720, 576, 50, false)]
    [InlineData(ResolutionTable.Cea, 5, 1280, 720, 30, true)]
    [InlineData(ResolutionTable.Cea, 6, 1280, 720, 60, true)]
    [InlineData(ResolutionTable.Cea, 7, 1920, 1080, 30, true)]
    [InlineData(ResolutionTable.Cea, 8, 1920, 1080, 60, true)]
    [InlineData(ResolutionTable.Cea, 9, 1920, 1080, 60, false)]
    [InlineData(ResolutionTable.Cea, 10, 1280, 720, 25, true)]
    [InlineData(ResolutionTable.Cea, 11, 1280, 720, 50, true)]
    [InlineData(ResolutionTable.Cea, 12, 1920, 1080, 25, true)]
    [InlineData(ResolutionTable.Cea, 13, 1920, 1080, 50, true)]
    [InlineData(ResolutionTable.Cea, 14, 1920, 1080, 50, false)]
    [InlineData(ResolutionTable.Cea, 15, 1280, 720, 24, true)]
    [InlineData(ResolutionTable.Cea, 16, 1920, 1080, 24, true)]
    [InlineData(ResolutionTable.Vesa, 0, 800, 600, 30, true)]
    [InlineData(ResolutionTable.Vesa, 1, 800, 600, 60, true)]
    [InlineData(ResolutionTable.Vesa, 2, 1024, 768, 30, true)]
    [InlineData(ResolutionTable.Vesa, 3, 1024, 768, 60, true)]
    [InlineData(ResolutionTable.Vesa, 4, 1152, 864, 30, true)]
    [InlineData(ResolutionTable.Vesa, 5, 1152, 864, 60, true)]
    [InlineData(ResolutionTable.Vesa, 6, 1280, 768, 30, true)]
    [InlineData(ResolutionTable.Vesa, 7, 1280, 768, 60, true)]
    [InlineData(ResolutionTable.Vesa, 8, 1280, 800, 30, true)]
    [InlineData(ResolutionTable.Vesa, 9, 1280, 800, 60, true)]
    [InlineData(ResolutionTable.Vesa, 10, 1360, 768, 30, true)]
    [InlineData(ResolutionTable.Vesa, 11, 1360, 768, 60, true)]
    [InlineData(ResolutionTable.Vesa, 12, 1366, 768, 30, true)]
    [InlineData(ResolutionTable.Vesa, 13, 1366, 768, 60, true)]
    [InlineData(ResolutionTable.Vesa, 14, 1280, 1024, 30, true)]
    [InlineData(ResolutionTable.Vesa, 15, 1280, 1024, 60, true)]
    [InlineData(ResolutionTable.Vesa, 16, 1400, 1050, 30, true)]
    [InlineData(ResolutionTable.Vesa, 17, 1400, 1050, 60, true)]
    [InlineData(ResolutionTable.Vesa, 18, 1440, 900, 30, true)]
    [InlineData(ResolutionTable.Vesa, 19, 1440, 900, 60, true)]
    [InlineData(ResolutionTable.Vesa, 20, 1600, 900, 30, true)]
    [InlineData(ResolutionTable.Vesa, 21, 1600, 900, 60, true)]
    [InlineData(ResolutionTable.Vesa, 22, 1600, 1200, 30, true)]
    [InlineData(ResolutionTable.Vesa, 23, 1600, 1200, 60, true)]
    [InlineData(ResolutionTable.Vesa, 24, 1680, 1024, 30, true)]
    [InlineData(ResolutionTable.Vesa, 25, 1680, 1024, 60, true)]
    [InlineData(ResolutionTable.Vesa, 26, 1680, 1050, 30, true)]
    [InlineData(ResolutionTable.Vesa, 27, 1680, 1050, 60, true)]
    [InlineData(ResolutionTable.Vesa, 28, 1920, 1200, 30, true)]
    [InlineData(ResolutionTable.Hh, 0, 800, 480, 30, true)]
    [InlineData(ResolutionTable.Hh, 1, 800, 480, 60, true)]
    [InlineData(ResolutionTable.Hh, 2, 854, 480, 30, true)]
    [InlineData(ResolutionTable.Hh, 3, 854, 480, 60, true)]
    [InlineData(ResolutionTable.Hh, 4, 864, 480, 30, true)]
    [InlineData(ResolutionTable.Hh, 5, 864, 480, 60, true)]
    [InlineData(ResolutionTable.Hh, 6, 640, 360, 30, true)]
    [InlineData(ResolutionTable.Hh, 7, 640, 360, 60, true)]
    [InlineData(ResolutionTable.Hh, 8, 960, 540, 30, true)]
    [InlineData(ResolutionTable.Hh, 9, 960, 540, 60, true)]
    [InlineData(ResolutionTable.Hh, 10, 848, 480, 30, true)]
    [InlineData(ResolutionTable.Hh, 11, 848, 480, 60, true)]
    public void EveryTableBit_MapsToTheDocumentedMode(ResolutionTable table, int bit, int width, int height, int rate, bool progressive)
    {
        Assert.True(VideoModes.TryGet(table, bit, out VideoMode mode));
        Assert.Equal(new VideoMode(table, bit, width, height, rate, progressive), mode);
        Assert.Equal(mode, VideoModes.Get(table)[bit]);
        Assert.Equal(1u << bit, mode.Mask);
        Assert.NotEqual(0u, VideoModes.ValidMask(table) & mode.Mask);
    }

    [Fact]
    public void Tables_HaveTheDocumentedSizes()
    {
        Assert.Equal(17, VideoModes.Cea.Count);
        Assert.Equal(29, VideoModes.Vesa.Count);
        Assert.Equal(12, VideoModes.Hh.Count);
        Assert.Same(VideoModes.Cea, VideoModes.Get(ResolutionTable.Cea));
    }

    [Theory]
    [InlineData(ResolutionTable.Cea, 0x0001FFFFu)]
    [InlineData(ResolutionTable.Vesa, 0x1FFFFFFFu)]
    [InlineData(ResolutionTable.Hh, 0x00000FFFu)]
    public void ValidMask_IsExact(ResolutionTable table, uint expected) =>
        Assert.Equal(expected, VideoModes.ValidMask(table));

    [Theory]
    [InlineData(ResolutionTable.Cea, 17)]
    [InlineData(ResolutionTable.Cea, 31)]
    [InlineData(ResolutionTable.Vesa, 29)]
    [InlineData(ResolutionTable.Vesa, 30)]
    [InlineData(ResolutionTable.Vesa, 31)]
    [InlineData(ResolutionTable.Hh, 12)]
    [InlineData(ResolutionTable.Hh, 31)]
    [InlineData(ResolutionTable.Cea, -1)]
    [InlineData(ResolutionTable.Vesa, 32)]
    public void ReservedBits_AreRejectedAndMasked(ResolutionTable table, int bit)
    {
        Assert.False(VideoModes.TryGet(table, bit, out _));
        if (bit is >= 0 and < 32)
        {
            Assert.Equal(0u, VideoModes.ValidMask(table) & (1u << bit));
        }
    }

    [Fact]
    public void GetSupported_MasksReservedBits_ButBitmapKeepsThem()
    {
        var codec = new H264Codec((H264Profiles)0xFF, (H264Levels)0xFF, 0xFFFFFFFF, 0x3FFFFFFF, 0xFFFFFFFF, 0, 0, 0, 0, null, null);
        Assert.Equal(0x3FFFFFFFu, codec.GetBitmap(ResolutionTable.Vesa));
        Assert.Equal(0x1FFFFFFFu, codec.GetSupported(ResolutionTable.Vesa));
        Assert.Equal(0x0001FFFFu, codec.GetSupported(ResolutionTable.Cea));
        Assert.Equal(0x00000FFFu, codec.GetSupported(ResolutionTable.Hh));
        Assert.Equal(H264Profiles.ConstrainedBaseline | H264Profiles.ConstrainedHigh, codec.SupportedProfiles);
        Assert.Equal((H264Levels)0x1F, codec.SupportedLevels);
        Assert.Equal(H264Levels.Level42, codec.HighestSupportedLevel);
        Assert.False(codec.Supports(new VideoMode(ResolutionTable.Vesa, 29, 1920, 1200, 60, true)));
    }

    [Theory]
    [InlineData(ResolutionTable.Cea, 0, H264Levels.Level31)] // 640x480p60
    [InlineData(ResolutionTable.Cea, 5, H264Levels.Level31)] // 720p30: 3600 MB, 108000 MB/s
    [InlineData(ResolutionTable.Cea, 6, H264Levels.Level32)] // 720p60: 216000 MB/s
    [InlineData(ResolutionTable.Cea, 7, H264Levels.Level40)] // 1080p30: 8160 MB, 244800 MB/s
    [InlineData(ResolutionTable.Cea, 8, H264Levels.Level42)] // 1080p60: 489600 MB/s
    [InlineData(ResolutionTable.Cea, 9, H264Levels.Level40)] // 1080i60 = 30 frames/s
    [InlineData(ResolutionTable.Cea, 13, H264Levels.Level42)] // 1080p50: 408000 MB/s
    [InlineData(ResolutionTable.Vesa, 22, H264Levels.Level40)] // 1600x1200p30: 7500 MB
    [InlineData(ResolutionTable.Vesa, 26, H264Levels.Level40)] // 1680x1050p30: 6930 MB
    [InlineData(ResolutionTable.Vesa, 27, H264Levels.Level42)] // 1680x1050p60: 415800 MB/s
    [InlineData(ResolutionTable.Vesa, 28, H264Levels.None)] // 1920x1200: 9000 MB > 8704
    [InlineData(ResolutionTable.Hh, 9, H264Levels.Level32)] // 960x540p60: 60 x 34 = 2040 MB, 122400 MB/s > 108000
    [InlineData(ResolutionTable.Hh, 8, H264Levels.Level31)] // 960x540p30: 61200 MB/s
    public void LowestCarrying_FollowsAnnexA(ResolutionTable table, int bit, H264Levels expected)
    {
        Assert.True(VideoModes.TryGet(table, bit, out VideoMode mode));
        Assert.Equal(expected, H264LevelLimits.LowestCarrying(mode));
    }
}
