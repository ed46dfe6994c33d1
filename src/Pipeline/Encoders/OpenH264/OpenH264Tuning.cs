namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>
/// Library knobs outside <see cref="EncoderSettings"/>, fixed for WFD; tests and the comparison
/// benchmark change them (rate-control mode, library file names).
/// </summary>
internal sealed record OpenH264Tuning
{
    /// <summary>The defaults every <see cref="OpenH264Encoder"/> uses.</summary>
    public static OpenH264Tuning Default { get; } = new();

    /// <summary>
    /// RC_BITRATE_MODE (what WebRTC and GStreamer use with OpenH264): the synthetic desktop over 10 s
    /// came out 2.1 % (720p30, 4 Mbit/s) and 3.2 % (1080p30, 8 Mbit/s) under the target.
    /// RC_TIMESTAMP_MODE was as good (0.8 % and 1.2 % under) but budgets by the picture timestamps,
    /// so a capture stall turns into a burst; the fixed-rate mode suits WFD's repeated frames.
    /// </summary>
    public RC_MODES RateControl { get; init; } = RC_MODES.RC_BITRATE_MODE;

    /// <summary>LOW_COMPLEXITY: the fastest mode, what a real-time desktop encoder on a laptop CPU can afford.</summary>
    public ECOMPLEXITY_MODE Complexity { get; init; } = ECOMPLEXITY_MODE.LOW_COMPLEXITY;

    /// <summary>
    /// <c>iMultipleThreadIdc</c>; 0 here means "choose": 1 for a single slice (OpenH264 threads work
    /// per slice, so more threads give the same bitstream at the same speed), otherwise one per slice
    /// up to the processor count. Measured at 1080p30 on 2 cores: 2 slices on 2 threads saved only
    /// about 7 % of wall time in screen-content mode, whose feature-based motion search
    /// (FillQpelLocationByFeatureValue, about 45 % of the time) runs once per picture, not per slice.
    /// </summary>
    public int Threads { get; init; }

    /// <summary>
    /// Lowest QP. Set explicitly because when either bound is left at 0 the library clamps screen
    /// content to QP 26–35 (encoder_ext.cpp ParamValidation): then the synthetic desktop overshot by
    /// 19 % (720p30) and 28 % (1080p30), and a noisier picture by 130 %. 12 is the library's own
    /// floor (GOM_MIN_QP_MODE).
    /// </summary>
    public int MinQp { get; init; } = 12;

    /// <summary>Highest QP: the whole range, so rate control can always meet the negotiated bitrate.</summary>
    public int MaxQp { get; init; } = 51;

    /// <summary>Library file names to try instead of <see cref="OpenH264Library.DefaultNames"/> (tests).</summary>
    public IReadOnlyList<string>? LibraryNames { get; init; }
}
