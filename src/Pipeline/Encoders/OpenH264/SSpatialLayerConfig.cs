namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>SSpatialLayerConfig</c> (codec_app_def.h): one spatial layer; Miraflow uses only layer 0.</summary>
internal struct SSpatialLayerConfig
{
    public int iVideoWidth;

    public int iVideoHeight;

    public float fFrameRate;

    public int iSpatialBitrate;

    public int iMaxSpatialBitrate;

    public EProfileIdc uiProfileIdc;

    public ELevelIdc uiLevelIdc;

    public int iDLayerQp;

    public SSliceArgument sSliceArgument;

    [NativeTypeName("bool")]
    public byte bVideoSignalTypePresent;

    [NativeTypeName("unsigned char")]
    public byte uiVideoFormat;

    [NativeTypeName("bool")]
    public byte bFullRange;

    [NativeTypeName("bool")]
    public byte bColorDescriptionPresent;

    [NativeTypeName("unsigned char")]
    public byte uiColorPrimaries;

    [NativeTypeName("unsigned char")]
    public byte uiTransferCharacteristics;

    [NativeTypeName("unsigned char")]
    public byte uiColorMatrix;

    [NativeTypeName("bool")]
    public byte bAspectRatioPresent;

    public ESampleAspectRatio eAspectRatio;

    [NativeTypeName("unsigned short")]
    public ushort sAspectRatioExtWidth;

    [NativeTypeName("unsigned short")]
    public ushort sAspectRatioExtHeight;
}
