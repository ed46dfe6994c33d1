namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>SliceModeEnum</c> (codec_app_def.h).</summary>
internal enum SliceModeEnum
{
    SM_SINGLE_SLICE = 0,
    SM_FIXEDSLCNUM_SLICE = 1,
    SM_RASTER_SLICE = 2,
    SM_SIZELIMITED_SLICE = 3,
    SM_RESERVED = 4,
}
