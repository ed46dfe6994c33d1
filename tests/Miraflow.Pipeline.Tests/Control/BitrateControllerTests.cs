using Miraflow.Pipeline.Control;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Media;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Pipeline.Tests.Control;

/// <summary>
/// The bitrate controller (issue 5): OS samples in, exact encoder targets out; quick decreases,
/// slow increases, no thrash, clamps, insufficient bandwidth after 3 low samples, unavailable QoS.
/// </summary>
[Trait("Category", "unit")]
[Collection(SerialUnitTests.Name)]
public sealed class BitrateControllerTests
{
    // 1280x720p30 CBP 3.1: needs 2 764 800 bit/s; level 3.1 peak 14 000 × 1200 = 16 800 000 bit/s.
    private static readonly NegotiatedFormat s_720p30 = new(VideoModes.Cea[5], H264Profiles.ConstrainedBaseline, H264Levels.Level31, null);
    private const long Need720p30 = 2_764_800;

    private readonly ManualTimeProvider _time = new();
    private readonly RecordingTarget _encoder = new();

    [Fact]
    public void Mode_need_floor_and_ceiling_come_from_the_model_the_level_and_the_options()
    {
        var controller = Create(5_000_000);
        Assert.Equal(Need720p30, controller.RequiredBitrate);
        Assert.Equal(1_000_000, controller.Floor);
        Assert.Equal(16_800_000, controller.Ceiling);
        Assert.Equal(5_000_000, controller.Target);
        Assert.Empty(_encoder.Calls);

        var capped = Create(5_000_000, new BitrateControllerOptions { CeilingBitrate = 8_000_000, FloorBitrate = 2_000_000 });
        Assert.Equal(8_000_000, capped.Ceiling);
        Assert.Equal(2_000_000, capped.Floor);

        var above = Create(100_000_000, new BitrateControllerOptions { CeilingBitrate = 20_000_000 });
        Assert.Equal(16_800_000, above.Ceiling);
        Assert.Equal(16_800_000, above.Target);
        Assert.Equal(1_000_000, Create(10).Target);
    }

    [Fact]
    public void A_drop_is_applied_at_once_to_90_percent_of_the_available_rate_with_the_link_rate_as_peak()
    {
        var controller = Create(8_000_000);
        BitrateDecision d = controller.OnDataRate(Sample(6_000_000));
        Assert.Equal(new BitrateDecision(5_400_000, 6_000_000, BitrateChange.Decreased, false), d);
        Assert.Equal([(5_400_000, 6_000_000)], _encoder.Calls);
        Assert.Equal(5_400_000, controller.Target);
    }

    [Fact]
    public void Decrease_threshold_is_95_percent_of_the_available_rate_exactly()
    {
        var controller = Create(5_700_000);

        // 5 700 000 is exactly 95 % of 6 000 000: stays.
        Assert.Equal(BitrateChange.None, controller.OnDataRate(Sample(6_000_000)).Change);

        // One bit/s less available and the target is above 95 %: down to 90 %.
        BitrateDecision d = controller.OnDataRate(Sample(5_999_999));
        Assert.Equal(BitrateChange.Decreased, d.Change);
        Assert.Equal(5_399_999, d.Target);
        Assert.Single(_encoder.Calls);
    }

    [Fact]
    public void Increases_wait_for_the_hold_and_rise_by_at_most_20_percent_per_step()
    {
        var controller = Create(4_000_000);
        int[] expected = [4_000_000, 4_000_000, 4_800_000, 4_800_000, 5_760_000, 5_760_000, 6_912_000, 6_912_000, 8_294_400, 8_294_400, 9_000_000, 9_000_000, 9_000_000];
        var targets = new List<int>();
        foreach (int _ in expected)
        {
            targets.Add(controller.OnDataRate(Sample(10_000_000)).Target);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(expected, targets);
        Assert.Equal([(4_800_000, 10_000_000), (5_760_000, 10_000_000), (6_912_000, 10_000_000), (8_294_400, 10_000_000), (9_000_000, 10_000_000)], _encoder.Calls);
    }

    [Fact]
    public void An_increase_goes_only_to_the_lowest_sample_of_the_hold()
    {
        var controller = Create(4_000_000);
        controller.OnDataRate(Sample(5_000_000)); // aim 4.5 M: 12.5 % above, the hold starts
        _time.Advance(TimeSpan.FromSeconds(1));
        controller.OnDataRate(Sample(4_700_000)); // aim 4.23 M: still 5.75 % above
        _time.Advance(TimeSpan.FromSeconds(1));
        BitrateDecision d = controller.OnDataRate(Sample(9_000_000));
        Assert.Equal(new BitrateDecision(4_230_000, 9_000_000, BitrateChange.Increased, false), d);
    }

    [Fact]
    public void A_sample_inside_the_dead_band_restarts_the_hold()
    {
        var controller = Create(4_000_000);
        controller.OnDataRate(Sample(10_000_000));
        _time.Advance(TimeSpan.FromSeconds(1));
        controller.OnDataRate(Sample(4_500_000)); // aim 4.05 M: less than 5 % above, no decrease either
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BitrateChange.None, controller.OnDataRate(Sample(10_000_000)).Change);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BitrateChange.None, controller.OnDataRate(Sample(10_000_000)).Change);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BitrateChange.Increased, controller.OnDataRate(Sample(10_000_000)).Change);
        Assert.Single(_encoder.Calls);
    }

    [Fact]
    public void A_drop_during_the_hold_wins_and_restarts_it()
    {
        var controller = Create(4_000_000);
        controller.OnDataRate(Sample(10_000_000));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BitrateChange.Decreased, controller.OnDataRate(Sample(3_000_000)).Change);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BitrateChange.None, controller.OnDataRate(Sample(10_000_000)).Change);
        Assert.Equal([(2_700_000, 3_000_000)], _encoder.Calls);
    }

    [Fact]
    public void Noise_within_the_dead_band_does_not_thrash()
    {
        // 6 Mbit/s ± 3 % for ten minutes, starting from the right neighbourhood.
        var controller = Create(5_400_000);
        var random = new Random(20240611);
        for (int i = 0; i < 600; i++)
        {
            ulong available = (ulong)(6_000_000 + random.Next(-180_000, 180_001));
            Assert.NotEqual(BitrateChange.Decreased, controller.OnDataRate(Sample(available)).Change);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(_encoder.Calls.Count <= 2, $"{_encoder.Calls.Count} changes");
        Assert.InRange(controller.Target, 5_238_000, 5_562_000);
    }

    [Fact]
    public void Alternating_high_and_low_samples_only_ever_go_down()
    {
        var controller = Create(8_000_000);
        for (int i = 0; i < 60; i++)
        {
            BitrateDecision d = controller.OnDataRate(Sample(i % 2 == 0 ? 10_000_000UL : 6_000_000UL));
            Assert.NotEqual(BitrateChange.Increased, d.Change);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([(5_400_000, 6_000_000)], _encoder.Calls);
    }

    [Fact]
    public void Targets_never_leave_floor_and_ceiling()
    {
        var controller = Create(5_000_000, new BitrateControllerOptions { CeilingBitrate = 8_000_000 });
        Assert.Equal(new BitrateDecision(1_000_000, 1_000_000, BitrateChange.Decreased, false), controller.OnDataRate(Sample(0)));
        Assert.Equal(BitrateChange.None, controller.OnDataRate(Sample(500_000)).Change);
        for (int i = 0; i < 40; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            controller.OnDataRate(Sample(ulong.MaxValue));
        }

        Assert.Equal(8_000_000, controller.Target);
        Assert.All(_encoder.Calls, c => Assert.InRange(c.Target, 1_000_000, 8_000_000));
        Assert.All(_encoder.Calls, c => Assert.InRange(c.Max, c.Target, 8_000_000));
        Assert.Equal((8_000_000, 8_000_000), _encoder.Calls[^1]);
    }

    [Fact]
    public void The_level_maximum_caps_the_target_without_a_configured_ceiling()
    {
        var controller = Create(16_000_000);
        for (int i = 0; i < 10; i++)
        {
            controller.OnDataRate(Sample(1_000_000_000));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([(16_800_000, 16_800_000)], _encoder.Calls);
    }

    [Fact]
    public void Insufficient_after_three_low_samples_not_after_two()
    {
        var controller = Create(5_000_000);
        Assert.False(controller.OnDataRate(Sample(Need720p30 - 1)).InsufficientBandwidth);
        Assert.False(controller.OnDataRate(Sample(Need720p30 - 1)).InsufficientBandwidth);
        Assert.False(controller.IsBandwidthInsufficient);
        Assert.True(controller.OnDataRate(Sample(Need720p30 - 1)).InsufficientBandwidth);
        Assert.True(controller.IsBandwidthInsufficient);

        // Reported once only; the target still follows the link.
        Assert.False(controller.OnDataRate(Sample(Need720p30 - 1)).InsufficientBandwidth);
        Assert.False(controller.OnDataRate(Sample(2_000_000)).InsufficientBandwidth);
        Assert.Equal(1_800_000, controller.Target);
        Assert.True(controller.IsBandwidthInsufficient);
    }

    [Fact]
    public void A_sample_at_the_need_resets_the_count()
    {
        var controller = Create(5_000_000);
        bool any = false;
        ulong[] samples = [Need720p30 - 1, Need720p30 - 1, Need720p30, Need720p30 - 1, Need720p30 - 1, 9_000_000, Need720p30 - 1, Need720p30 - 1];
        foreach (ulong s in samples)
        {
            any |= controller.OnDataRate(Sample(s)).InsufficientBandwidth;
        }

        Assert.False(any);
        Assert.False(controller.IsBandwidthInsufficient);
        Assert.True(controller.OnDataRate(Sample(Need720p30 - 1)).InsufficientBandwidth);
    }

    [Fact]
    public void The_count_is_configurable()
    {
        var controller = Create(5_000_000, new BitrateControllerOptions { InsufficientSampleCount = 1 });
        Assert.True(controller.OnDataRate(Sample(1)).InsufficientBandwidth);
    }

    [Fact]
    public void Unavailable_keeps_the_last_target_and_stops_adapting()
    {
        var controller = Create(8_000_000);
        controller.OnDataRate(Sample(6_000_000));
        controller.OnDataRate(Sample(1_000_000));
        controller.OnDataRate(Sample(1_000_000));
        Assert.Equal(2, _encoder.Calls.Count);

        Assert.Equal(new BitrateDecision(1_000_000, 1_000_000, BitrateChange.Unavailable, false), controller.OnDataRate(DataRateSample.Unavailable));
        Assert.False(controller.IsQosAvailable);

        // Would be the third low sample, and a big rise; both ignored.
        Assert.Equal(new BitrateDecision(1_000_000, 1_000_000, BitrateChange.Ignored, false), controller.OnDataRate(Sample(1_000_000)));
        for (int i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(BitrateChange.Ignored, controller.OnDataRate(Sample(50_000_000)).Change);
        }

        Assert.Equal(2, _encoder.Calls.Count);
        Assert.Equal(1_000_000, controller.Target);
        Assert.False(controller.IsBandwidthInsufficient);
    }

    [Fact]
    public void The_default_sample_is_unavailable_and_the_constructor_keeps_the_structure_order()
    {
        Assert.False(default(DataRateSample).IsAvailable);
        Assert.Equal(default, DataRateSample.Unavailable);
        var s = new DataRateSample(1, 2, 3, 4, 5, 6);
        Assert.True(s.IsAvailable);
        Assert.Equal((1UL, 2UL, 3UL, 4UL, 5UL, 6UL), (s.EncoderBitRate, s.CurrentMaxTxDataRate, s.TransmittedFrameCount, s.FailedFrameCount, s.RetriedFrameCount, s.MultipleRetryFrameCount));
    }

    [Fact]
    public void Bad_options_and_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(1, new BitrateControllerOptions { FloorBitrate = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(1, new BitrateControllerOptions { CeilingBitrate = 500_000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(1, new BitrateControllerOptions { HeadroomPercent = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(1, new BitrateControllerOptions { DeadbandPercent = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(1, new BitrateControllerOptions { IncreaseStepPercent = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(1, new BitrateControllerOptions { InsufficientSampleCount = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(1, new BitrateControllerOptions { IncreaseHoldTime = TimeSpan.FromTicks(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(1, new BitrateControllerOptions { FloorBitrate = 17_000_000 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BitrateController(_encoder, s_720p30 with { Level = H264Levels.None }, 1));
        Assert.Throws<ArgumentNullException>(() => new BitrateController(null!, s_720p30, 1));
        Assert.Throws<ArgumentNullException>(() => new BitrateController(_encoder, null!, 1));
    }

    [Fact]
    public void Concurrent_samples_leave_a_consistent_target()
    {
        var controller = Create(8_000_000);
        Parallel.For(0, 2000, i => controller.OnDataRate(Sample(i % 2 == 0 ? 6_000_000UL : 7_000_000UL)));
        Assert.Equal(5_400_000, controller.Target);
        Assert.Equal((5_400_000, 6_000_000), _encoder.Calls[^1]);
    }

    [Fact]
    public void The_adapter_passes_target_and_peak_to_the_encode_stage()
    {
        var encoder = new BitrateOnlyEncoder();
        using var stage = new EncodeStage(encoder);
        var controller = new BitrateController(new EncodeStageBitrateTarget(stage), s_720p30, 8_000_000, timeProvider: _time);
        controller.OnDataRate(Sample(6_000_000));
        Assert.Equal((5_400_000, 6_000_000), encoder.Last);
        Assert.Throws<ArgumentNullException>(() => new EncodeStageBitrateTarget(null!));
    }

    private static DataRateSample Sample(ulong encoderBitRate) => new(encoderBitRate, 54_000_000);

    private static DataRateSample Sample(long encoderBitRate) => Sample((ulong)encoderBitRate);

    private BitrateController Create(int initial, BitrateControllerOptions? options = null) =>
        new(_encoder, s_720p30, initial, options, _time);

    private sealed class RecordingTarget : IBitrateTarget
    {
        private readonly List<(int Target, int Max)> _calls = [];

        public List<(int Target, int Max)> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public void SetBitrate(int target, int max)
        {
            Assert.InRange(max, target, int.MaxValue);
            lock (_calls)
            {
                _calls.Add((target, max));
            }
        }
    }

    private sealed class BitrateOnlyEncoder : IVideoEncoder
    {
        public (int Target, int Max) Last { get; private set; }

        public EncoderSettings Settings => throw new NotSupportedException();

        public EncodedFrame? Encode(VideoFrame picture) => throw new NotSupportedException();

        public void RequestIdr() => throw new NotSupportedException();

        public void SetBitrate(int targetBitrate, int maxBitrate = 0) => Last = (targetBitrate, maxBitrate);

        public void SetFrameRate(double frameRate) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }
}
