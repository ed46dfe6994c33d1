namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>
/// <c>SLayerBSInfo</c> (codec_app_def.h): the NAL units of one layer of an encoded picture,
/// back to back (each with its Annex-B start code) in the library's buffer.
/// </summary>
internal unsafe struct SLayerBSInfo
{
    [NativeTypeName("unsigned char")]
    public byte uiTemporalId;

    [NativeTypeName("unsigned char")]
    public byte uiSpatialId;

    [NativeTypeName("unsigned char")]
    public byte uiQualityId;

    public EVideoFrameType eFrameType;

    [NativeTypeName("unsigned char")]
    public byte uiLayerType;

    public int iSubSeqId;

    public int iNalCount;

    public int* pNalLengthInByte;

    [NativeTypeName("unsigned char *")]
    public byte* pBsBuf;
}
