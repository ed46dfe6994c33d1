namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>EParameterSetStrategy</c> (codec_app_def.h): how SPS/PPS ids change between IDRs.</summary>
internal enum EParameterSetStrategy
{
    CONSTANT_ID = 0,
    INCREASING_ID = 0x01,
    SPS_LISTING = 0x02,
    SPS_LISTING_AND_PPS_INCREASING = 0x03,
    SPS_PPS_LISTING = 0x06,
}
