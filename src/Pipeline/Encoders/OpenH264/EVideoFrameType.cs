namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>EVideoFrameType</c> (codec_def.h): what <c>EncodeFrame</c> produced.</summary>
internal enum EVideoFrameType
{
    videoFrameTypeInvalid,
    videoFrameTypeIDR,
    videoFrameTypeI,
    videoFrameTypeP,
    videoFrameTypeSkip,
    videoFrameTypeIPMixed,
}
