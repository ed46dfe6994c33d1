namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>ECOMPLEXITY_MODE</c> (codec_app_def.h).</summary>
internal enum ECOMPLEXITY_MODE
{
    LOW_COMPLEXITY = 0,
    MEDIUM_COMPLEXITY,
    HIGH_COMPLEXITY,
}
