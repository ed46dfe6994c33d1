namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>EVideoFormatType</c> (codec_def.h): the input colour formats. The encoder takes only I420.</summary>
internal enum EVideoFormatType
{
    videoFormatRGB = 1,
    videoFormatRGBA = 2,
    videoFormatRGB555 = 3,
    videoFormatRGB565 = 4,
    videoFormatBGR = 5,
    videoFormatBGRA = 6,
    videoFormatABGR = 7,
    videoFormatARGB = 8,
    videoFormatYUY2 = 20,
    videoFormatYVYU = 21,
    videoFormatUYVY = 22,
    videoFormatI420 = 23,
    videoFormatYV12 = 24,
    videoFormatInternal = 25,
    videoFormatNV12 = 26,
    videoFormatVFlip = unchecked((int)0x80000000),
}
