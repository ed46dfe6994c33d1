namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>EUsageType</c> (codec_app_def.h).</summary>
internal enum EUsageType
{
    CAMERA_VIDEO_REAL_TIME,
    SCREEN_CONTENT_REAL_TIME,
    CAMERA_VIDEO_NON_REAL_TIME,
    SCREEN_CONTENT_NON_REAL_TIME,
    INPUT_CONTENT_TYPE_ALL,
}
