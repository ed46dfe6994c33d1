namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>EProfileIdc</c> (codec_app_def.h): profile_idc values.</summary>
internal enum EProfileIdc
{
    PRO_UNKNOWN = 0,
    PRO_BASELINE = 66,
    PRO_MAIN = 77,
    PRO_EXTENDED = 88,
    PRO_HIGH = 100,
    PRO_HIGH10 = 110,
    PRO_HIGH422 = 122,
    PRO_HIGH444 = 144,
    PRO_CAVLC444 = 244,
    PRO_SCALABLE_BASELINE = 83,
    PRO_SCALABLE_HIGH = 86,
}
