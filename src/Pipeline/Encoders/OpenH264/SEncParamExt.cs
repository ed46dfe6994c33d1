using System.Runtime.CompilerServices;

namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>
/// <c>SEncParamExt</c> (codec_app_def.h, <c>struct TagEncParamExt</c>): the full encoder
/// configuration. Filled by <c>GetDefaultParams</c>, edited, passed to <c>InitializeExt</c>.
/// C <c>bool</c> members are one byte, declared as <see cref="byte"/>.
/// </summary>
[NativeTypeName("struct TagEncParamExt")]
internal struct SEncParamExt
{
    public EUsageType iUsageType;

    public int iPicWidth;

    public int iPicHeight;

    public int iTargetBitrate;

    public RC_MODES iRCMode;

    public float fMaxFrameRate;

    public int iTemporalLayerNum;

    public int iSpatialLayerNum;

    [NativeTypeName("SSpatialLayerConfig[4]")]
    public _sSpatialLayers_e__FixedBuffer sSpatialLayers;

    public ECOMPLEXITY_MODE iComplexityMode;

    [NativeTypeName("unsigned int")]
    public uint uiIntraPeriod;

    public int iNumRefFrame;

    public EParameterSetStrategy eSpsPpsIdStrategy;

    [NativeTypeName("bool")]
    public byte bPrefixNalAddingCtrl;

    [NativeTypeName("bool")]
    public byte bEnableSSEI;

    [NativeTypeName("bool")]
    public byte bSimulcastAVC;

    public int iPaddingFlag;

    public int iEntropyCodingModeFlag;

    [NativeTypeName("bool")]
    public byte bEnableFrameSkip;

    public int iMaxBitrate;

    public int iMaxQp;

    public int iMinQp;

    [NativeTypeName("unsigned int")]
    public uint uiMaxNalSize;

    [NativeTypeName("bool")]
    public byte bEnableLongTermReference;

    public int iLTRRefNum;

    [NativeTypeName("unsigned int")]
    public uint iLtrMarkPeriod;

    [NativeTypeName("unsigned short")]
    public ushort iMultipleThreadIdc;

    [NativeTypeName("bool")]
    public byte bUseLoadBalancing;

    public int iLoopFilterDisableIdc;

    public int iLoopFilterAlphaC0Offset;

    public int iLoopFilterBetaOffset;

    [NativeTypeName("bool")]
    public byte bEnableDenoise;

    [NativeTypeName("bool")]
    public byte bEnableBackgroundDetection;

    [NativeTypeName("bool")]
    public byte bEnableAdaptiveQuant;

    [NativeTypeName("bool")]
    public byte bEnableFrameCroppingFlag;

    [NativeTypeName("bool")]
    public byte bEnableSceneChangeDetect;

    [NativeTypeName("bool")]
    public byte bIsLosslessLink;

    [NativeTypeName("bool")]
    public byte bFixRCOverShoot;

    public int iIdrBitrateRatio;

    /// <summary><c>SSpatialLayerConfig sSpatialLayers[MAX_SPATIAL_LAYER_NUM]</c>.</summary>
    [InlineArray(Wels.MAX_SPATIAL_LAYER_NUM)]
    public struct _sSpatialLayers_e__FixedBuffer
    {
        public SSpatialLayerConfig e0;
    }
}
