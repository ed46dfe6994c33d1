namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>SBitrateInfo</c> (codec_app_def.h): the argument of ENCODER_OPTION_BITRATE / _MAX_BITRATE.</summary>
[NativeTypeName("struct TagBitrateInfo")]
internal struct SBitrateInfo
{
    public LAYER_NUM iLayer;

    /// <summary>Bits per second.</summary>
    public int iBitrate;
}
