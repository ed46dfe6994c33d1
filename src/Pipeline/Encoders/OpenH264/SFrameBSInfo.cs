using System.Runtime.CompilerServices;

namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>SFrameBSInfo</c> (codec_app_def.h): everything one <c>EncodeFrame</c> call produced.</summary>
internal struct SFrameBSInfo
{
    public int iLayerNum;

    [NativeTypeName("SLayerBSInfo[128]")]
    public _sLayerInfo_e__FixedBuffer sLayerInfo;

    public EVideoFrameType eFrameType;

    public int iFrameSizeInBytes;

    [NativeTypeName("long long")]
    public long uiTimeStamp;

    /// <summary><c>SLayerBSInfo sLayerInfo[MAX_LAYER_NUM_OF_FRAME]</c>.</summary>
    [InlineArray(Wels.MAX_LAYER_NUM_OF_FRAME)]
    public struct _sLayerInfo_e__FixedBuffer
    {
        public SLayerBSInfo e0;
    }
}
