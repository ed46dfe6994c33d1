using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Pipeline.Encoders;

/// <summary>What an H.264 encoder is asked to produce: the negotiated format plus rate control.</summary>
public sealed record EncoderSettings
{
    /// <summary>Picture width in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Picture height in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>Frames per second.</summary>
    public required double FrameRate { get; init; }

    /// <summary>The H.264 profile: Constrained Baseline (default) or Constrained High.</summary>
    public H264Profiles Profile { get; init; } = H264Profiles.ConstrainedBaseline;

    /// <summary>The H.264 level the stream must stay within.</summary>
    public H264Levels Level { get; init; } = H264Levels.Level31;

    /// <summary>Target bitrate in bits per second.</summary>
    public required int TargetBitrate { get; init; }

    /// <summary>Peak bitrate in bits per second; 0 means the level's maximum.</summary>
    public int MaxBitrate { get; init; }

    /// <summary>Slices per picture (1 unless the sink or a GPU pipeline wants more).</summary>
    public int SliceCount { get; init; } = 1;

    /// <summary>
    /// Time between periodic IDRs; <see cref="Timeout.InfiniteTimeSpan"/> for IDRs only when
    /// asked (sinks with <c>wfd_idr_request_capability: 1</c>, protocol doc §3.4).
    /// </summary>
    public TimeSpan IdrInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Settings for a negotiated format at a bitrate.</summary>
    public static EncoderSettings For(NegotiatedFormat format, int targetBitrate)
    {
        ArgumentNullException.ThrowIfNull(format);
        return new EncoderSettings
        {
            Width = format.Mode.Width,
            Height = format.Mode.Height,
            FrameRate = format.Mode.FramesPerSecond,
            Profile = format.Profile,
            Level = format.Level,
            TargetBitrate = targetBitrate,
        };
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Width is <= 0 or > 8192 || Height is <= 0 or > 8192 || (Width & 1) != 0 || (Height & 1) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Width), $"{Width}×{Height} is not an even picture size up to 8192×8192.");
        }

        if (!(FrameRate is > 0 and <= 240))
        {
            throw new ArgumentOutOfRangeException(nameof(FrameRate), FrameRate, "The frame rate must be above 0 and at most 240.");
        }

        if (TargetBitrate <= 0 || MaxBitrate < 0 || (MaxBitrate != 0 && MaxBitrate < TargetBitrate))
        {
            throw new ArgumentOutOfRangeException(nameof(TargetBitrate), $"Bitrates {TargetBitrate}/{MaxBitrate} bit/s: the target must be positive and at most the maximum.");
        }

        if (SliceCount is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(SliceCount), SliceCount, "1 to 32 slices per picture.");
        }

        if (Profile is not (H264Profiles.ConstrainedBaseline or H264Profiles.ConstrainedHigh))
        {
            throw new ArgumentOutOfRangeException(nameof(Profile), Profile, "One profile: Constrained Baseline or Constrained High.");
        }
    }
}
