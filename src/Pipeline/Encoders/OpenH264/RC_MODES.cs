namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>RC_MODES</c> (codec_app_def.h): the rate-control modes.</summary>
internal enum RC_MODES
{
    RC_QUALITY_MODE = 0,
    RC_BITRATE_MODE = 1,
    RC_BUFFERBASED_MODE = 2,
    RC_TIMESTAMP_MODE = 3,
    RC_BITRATE_MODE_POST_SKIP = 4,
    RC_OFF_MODE = -1,
}
