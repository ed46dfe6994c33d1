using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Encoders.OpenH264;
using Miraflow.Rtsp.Parameters;
using static Miraflow.Pipeline.Tests.Encoders.OpenH264EncoderTests;

namespace Miraflow.Pipeline.Tests.Encoders;

/// <summary>What the encoder decides before it touches the library.</summary>
[Trait("Category", "unit")]
public sealed class OpenH264EncoderUnitTests
{
    private static readonly OpenH264Tuning s_missing = OpenH264Tuning.Default with
    {
        LibraryNames = ["libmiraflow-no-such-openh264.so.0", "miraflow-no-such-openh264.dll"],
    };

    [Fact]
    public void A_missing_library_gives_one_clear_error_naming_the_files_and_the_fix()
    {
        var error = Assert.Throws<OpenH264NotFoundException>(() => new OpenH264Encoder(Settings(1280, 720, 30, 4_000_000), null, null, s_missing));

        Assert.IsAssignableFrom<DllNotFoundException>(error);
        Assert.Contains("libmiraflow-no-such-openh264.so.0: not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("miraflow-no-such-openh264.dll: not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install libopenh264-7", error.Message, StringComparison.Ordinal);
        Assert.Contains("openh264-2.3.1-win64.dll", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_names_are_the_debian_package_and_ciscos_binaries()
    {
        IReadOnlyList<string> names = OpenH264Library.DefaultNames;
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(["libopenh264.so.7", "libopenh264.so.2.3.1", "libopenh264.so"], names);
        }
        else if (OperatingSystem.IsWindows())
        {
            Assert.Contains("openh264.dll", names);
        }
    }

    [Theory]
    [InlineData(1920, 1080, 30, H264Levels.Level31)] // 8160 macroblocks > MaxFS 3600
    [InlineData(1280, 720, 60, H264Levels.Level31)]  // 216000 MB/s > 108000
    [InlineData(1920, 1080, 60, H264Levels.Level40)] // 489600 MB/s > 245760
    public void A_mode_beyond_the_level_is_refused_rather_than_silently_raised(int width, int height, int fps, H264Levels level)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new OpenH264Encoder(Settings(width, height, fps, 4_000_000, level: level), null, null, s_missing));
        Assert.Contains("exceeds level", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(H264Levels.Level31, 16_800_000)]
    [InlineData(H264Levels.Level40, 24_000_000)]
    [InlineData(H264Levels.Level42, 60_000_000)]
    public void The_peak_defaults_to_the_levels_maximum_and_may_not_exceed_it(H264Levels level, int levelMax)
    {
        Assert.Equal(levelMax, OpenH264Encoder.LevelMaxBitrate(level));
        EncoderSettings settings = Settings(640, 360, 30, 2_000_000, level: level) with { MaxBitrate = levelMax + 1 };
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenH264Encoder(settings, null, null, s_missing));
    }

    [Fact]
    public void A_non_positive_idr_interval_is_refused()
    {
        EncoderSettings settings = Settings(640, 360, 30, 2_000_000) with { IdrInterval = TimeSpan.Zero };
        Assert.Throws<ArgumentOutOfRangeException>(() => new OpenH264Encoder(settings, null, null, s_missing));
    }
}
