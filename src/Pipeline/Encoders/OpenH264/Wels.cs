namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>The <c>#define</c>s and anonymous enums of codec_app_def.h that the binding uses.</summary>
internal static class Wels
{
    /// <summary><c>MAX_SPATIAL_LAYER_NUM</c>.</summary>
    public const int MAX_SPATIAL_LAYER_NUM = 4;

    /// <summary><c>MAX_LAYER_NUM_OF_FRAME</c>.</summary>
    public const int MAX_LAYER_NUM_OF_FRAME = 128;

    /// <summary><c>MAX_NAL_UNITS_IN_LAYER</c>.</summary>
    public const int MAX_NAL_UNITS_IN_LAYER = 128;

    /// <summary><c>MAX_SLICES_NUM_TMP</c> = (128 − (4·4 + 1 + 4)) / 3 = 35.</summary>
    public const int MAX_SLICES_NUM_TMP = (MAX_NAL_UNITS_IN_LAYER - ((MAX_SPATIAL_LAYER_NUM * 4) + 1 + MAX_SPATIAL_LAYER_NUM)) / 3;

    /// <summary><c>WELS_LOG_QUIET</c>.</summary>
    public const int WELS_LOG_QUIET = 0x00;

    /// <summary><c>WELS_LOG_ERROR</c>.</summary>
    public const int WELS_LOG_ERROR = 1 << 0;

    /// <summary><c>WELS_LOG_WARNING</c>.</summary>
    public const int WELS_LOG_WARNING = 1 << 1;

    /// <summary><c>WELS_LOG_INFO</c>.</summary>
    public const int WELS_LOG_INFO = 1 << 2;

    /// <summary><c>WELS_LOG_DEBUG</c>.</summary>
    public const int WELS_LOG_DEBUG = 1 << 3;

    /// <summary><c>cmResultSuccess</c> (<c>CM_RETURN</c>, codec_def.h).</summary>
    public const int cmResultSuccess = 0;

    /// <summary>
    /// <c>cmMallocMemeError</c> (<c>CM_RETURN</c>): also what <c>EncodeFrame</c> returns when a picture
    /// overflowed the output buffer, after which the library has freed its encoding context.
    /// </summary>
    public const int cmMallocMemeError = 3;
}
