namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>LAYER_NUM</c> (codec_app_def.h): the layer an option applies to.</summary>
internal enum LAYER_NUM
{
    SPATIAL_LAYER_0 = 0,
    SPATIAL_LAYER_1 = 1,
    SPATIAL_LAYER_2 = 2,
    SPATIAL_LAYER_3 = 3,
    SPATIAL_LAYER_ALL = 4,
}
