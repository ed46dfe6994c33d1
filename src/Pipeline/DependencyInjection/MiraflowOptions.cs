using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Miraflow.Pipeline.Composition;

/// <summary>
/// Per-session defaults for pipelines made by <see cref="IMediaPipelineFactory"/>; validated by a
/// generated <see cref="MiraflowOptionsValidator"/> at startup (house rule 24).
/// </summary>
public sealed class MiraflowOptions
{
    /// <summary>The encoder key used when <c>UseEncoder</c> is not called.</summary>
    public const string DefaultEncoderKey = MiraflowEncoders.OpenH264;

    // Range(Type, string, string) parses through a TypeConverter, which trimming may break; the
    // generated MiraflowOptionsValidator never reads these attributes at run time.
    private const string TimeSpanRange = "Read by the [OptionsValidator] source generator only, which emits reflection-free checks.";

    /// <summary>Pictures the encode block holds (1 to 8).</summary>
    [Range(1, 8)]
    public int EncodeCapacity { get; set; } = 2;

    /// <summary>Units and audio frames the send block holds (1 to 16).</summary>
    [Range(1, 16)]
    public int SendCapacity { get; set; } = 6;

    /// <summary>Whether the encode block runs on its own thread.</summary>
    public bool DedicatedEncodeThread { get; set; } = true;

    /// <summary>How long a stop may drain before it cancels (1 ms to 1 min).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange)]
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan StopBudget { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The encoder's starting bitrate in bit/s when a request gives 0 (100 kbit/s to 100 Mbit/s).</summary>
    [Range(100_000, 100_000_000)]
    public int DefaultBitrate { get; set; } = 5_000_000;

    /// <summary>
    /// Slices per encoded picture (1 to 32): more slices let a sink start decoding earlier and
    /// make each driver chunk part one slice (docs/driver.md, "Reports"). 1 by default.
    /// </summary>
    [Range(1, 32)]
    public int SlicesPerPicture { get; set; } = 1;

    /// <summary>
    /// The PAT/PMT/PCR repetition interval the muxer aims for (1 to 100 ms; WFD asks for at most
    /// 100 ms). 80 ms by default: the muxer predicts when the next unit comes, and a unit late by
    /// scheduling jitter stretches the gap; `miraflow analyze` measured 100.1 ms gaps on demo
    /// captures made with a 100 ms aim, so the default keeps 20 ms in hand (docs/media-transport.md).
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange)]
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:00.100")]
    public TimeSpan PsiInterval { get; set; } = TimeSpan.FromMilliseconds(80);

    /// <summary>How far PTS runs ahead of PCR (0 to 1 s).</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TimeSpanRange)]
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan PresentationDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The keyed <see cref="IVideoEncoderFactory"/> to use; set by <c>UseEncoder</c>.</summary>
    /// <remarks>[Required] also rejects an empty or blank key.</remarks>
    [Required]
    public string EncoderKey { get; set; } = DefaultEncoderKey;
}

/// <summary>Reflection-free validation of <see cref="MiraflowOptions"/>, generated from its DataAnnotations.</summary>
[OptionsValidator]
internal sealed partial class MiraflowOptionsValidator : IValidateOptions<MiraflowOptions>;
