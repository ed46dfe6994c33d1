using Miraflow.Pipeline.Encoders.OpenH264;
using Miraflow.Pipeline.Tests.TestSupport;

namespace Miraflow.Pipeline.Tests.Encoders;

/// <summary>
/// The hand-declared OpenH264 structures against the C compiler's view of the installed 2.3.1
/// headers (libopenh264-dev, /usr/include/wels): every size, every field offset and the enum
/// values the binding passes. Each key below is also the C expression gcc evaluates.
/// </summary>
[Trait("Category", "integration")]
public sealed unsafe class OpenH264LayoutTests
{
    private const string HeaderDirectory = "/usr/include/wels";

    [Fact]
    public void Structures_match_the_installed_headers()
    {
        Dictionary<string, long> expected = CompileAndRunProbe(CSharpLayout().Keys);
        var mismatches = new List<string>();
        foreach ((string key, long actual) in CSharpLayout())
        {
            if (expected[key] != actual)
            {
                mismatches.Add($"{key}: C {expected[key]}, C# {actual}");
            }
        }

        Assert.True(mismatches.Count == 0, "Layout mismatches:\n" + string.Join('\n', mismatches));
        Assert.True(expected.Count > 100, "too few probes");
    }

    private static Dictionary<string, long> CSharpLayout()
    {
        var layout = new Dictionary<string, long>();
        void Add(string expression, long value) => layout.Add(expression, value);
        static long At(void* field, void* owner) => (byte*)field - (byte*)owner;

        SEncParamExt p = default;
        Add("sizeof(SEncParamExt)", sizeof(SEncParamExt));
        Add("offsetof(SEncParamExt, iUsageType)", At(&p.iUsageType, &p));
        Add("offsetof(SEncParamExt, iPicWidth)", At(&p.iPicWidth, &p));
        Add("offsetof(SEncParamExt, iPicHeight)", At(&p.iPicHeight, &p));
        Add("offsetof(SEncParamExt, iTargetBitrate)", At(&p.iTargetBitrate, &p));
        Add("offsetof(SEncParamExt, iRCMode)", At(&p.iRCMode, &p));
        Add("offsetof(SEncParamExt, fMaxFrameRate)", At(&p.fMaxFrameRate, &p));
        Add("offsetof(SEncParamExt, iTemporalLayerNum)", At(&p.iTemporalLayerNum, &p));
        Add("offsetof(SEncParamExt, iSpatialLayerNum)", At(&p.iSpatialLayerNum, &p));
        Add("offsetof(SEncParamExt, sSpatialLayers)", At(&p.sSpatialLayers, &p));
        Add("offsetof(SEncParamExt, sSpatialLayers[1])", At(&p.sSpatialLayers[1], &p));
        Add("offsetof(SEncParamExt, sSpatialLayers[3].uiLevelIdc)", At(&p.sSpatialLayers[3].uiLevelIdc, &p));
        Add("offsetof(SEncParamExt, iComplexityMode)", At(&p.iComplexityMode, &p));
        Add("offsetof(SEncParamExt, uiIntraPeriod)", At(&p.uiIntraPeriod, &p));
        Add("offsetof(SEncParamExt, iNumRefFrame)", At(&p.iNumRefFrame, &p));
        Add("offsetof(SEncParamExt, eSpsPpsIdStrategy)", At(&p.eSpsPpsIdStrategy, &p));
        Add("offsetof(SEncParamExt, bPrefixNalAddingCtrl)", At(&p.bPrefixNalAddingCtrl, &p));
        Add("offsetof(SEncParamExt, bEnableSSEI)", At(&p.bEnableSSEI, &p));
        Add("offsetof(SEncParamExt, bSimulcastAVC)", At(&p.bSimulcastAVC, &p));
        Add("offsetof(SEncParamExt, iPaddingFlag)", At(&p.iPaddingFlag, &p));
        Add("offsetof(SEncParamExt, iEntropyCodingModeFlag)", At(&p.iEntropyCodingModeFlag, &p));
        Add("offsetof(SEncParamExt, bEnableFrameSkip)", At(&p.bEnableFrameSkip, &p));
        Add("offsetof(SEncParamExt, iMaxBitrate)", At(&p.iMaxBitrate, &p));
        Add("offsetof(SEncParamExt, iMaxQp)", At(&p.iMaxQp, &p));
        Add("offsetof(SEncParamExt, iMinQp)", At(&p.iMinQp, &p));
        Add("offsetof(SEncParamExt, uiMaxNalSize)", At(&p.uiMaxNalSize, &p));
        Add("offsetof(SEncParamExt, bEnableLongTermReference)", At(&p.bEnableLongTermReference, &p));
        Add("offsetof(SEncParamExt, iLTRRefNum)", At(&p.iLTRRefNum, &p));
        Add("offsetof(SEncParamExt, iLtrMarkPeriod)", At(&p.iLtrMarkPeriod, &p));
        Add("offsetof(SEncParamExt, iMultipleThreadIdc)", At(&p.iMultipleThreadIdc, &p));
        Add("offsetof(SEncParamExt, bUseLoadBalancing)", At(&p.bUseLoadBalancing, &p));
        Add("offsetof(SEncParamExt, iLoopFilterDisableIdc)", At(&p.iLoopFilterDisableIdc, &p));
        Add("offsetof(SEncParamExt, iLoopFilterAlphaC0Offset)", At(&p.iLoopFilterAlphaC0Offset, &p));
        Add("offsetof(SEncParamExt, iLoopFilterBetaOffset)", At(&p.iLoopFilterBetaOffset, &p));
        Add("offsetof(SEncParamExt, bEnableDenoise)", At(&p.bEnableDenoise, &p));
        Add("offsetof(SEncParamExt, bEnableBackgroundDetection)", At(&p.bEnableBackgroundDetection, &p));
        Add("offsetof(SEncParamExt, bEnableAdaptiveQuant)", At(&p.bEnableAdaptiveQuant, &p));
        Add("offsetof(SEncParamExt, bEnableFrameCroppingFlag)", At(&p.bEnableFrameCroppingFlag, &p));
        Add("offsetof(SEncParamExt, bEnableSceneChangeDetect)", At(&p.bEnableSceneChangeDetect, &p));
        Add("offsetof(SEncParamExt, bIsLosslessLink)", At(&p.bIsLosslessLink, &p));
        Add("offsetof(SEncParamExt, bFixRCOverShoot)", At(&p.bFixRCOverShoot, &p));
        Add("offsetof(SEncParamExt, iIdrBitrateRatio)", At(&p.iIdrBitrateRatio, &p));

        SSpatialLayerConfig l = default;
        Add("sizeof(SSpatialLayerConfig)", sizeof(SSpatialLayerConfig));
        Add("offsetof(SSpatialLayerConfig, iVideoWidth)", At(&l.iVideoWidth, &l));
        Add("offsetof(SSpatialLayerConfig, iVideoHeight)", At(&l.iVideoHeight, &l));
        Add("offsetof(SSpatialLayerConfig, fFrameRate)", At(&l.fFrameRate, &l));
        Add("offsetof(SSpatialLayerConfig, iSpatialBitrate)", At(&l.iSpatialBitrate, &l));
        Add("offsetof(SSpatialLayerConfig, iMaxSpatialBitrate)", At(&l.iMaxSpatialBitrate, &l));
        Add("offsetof(SSpatialLayerConfig, uiProfileIdc)", At(&l.uiProfileIdc, &l));
        Add("offsetof(SSpatialLayerConfig, uiLevelIdc)", At(&l.uiLevelIdc, &l));
        Add("offsetof(SSpatialLayerConfig, iDLayerQp)", At(&l.iDLayerQp, &l));
        Add("offsetof(SSpatialLayerConfig, sSliceArgument)", At(&l.sSliceArgument, &l));
        Add("offsetof(SSpatialLayerConfig, sSliceArgument.uiSliceNum)", At(&l.sSliceArgument.uiSliceNum, &l));
        Add("offsetof(SSpatialLayerConfig, bVideoSignalTypePresent)", At(&l.bVideoSignalTypePresent, &l));
        Add("offsetof(SSpatialLayerConfig, uiVideoFormat)", At(&l.uiVideoFormat, &l));
        Add("offsetof(SSpatialLayerConfig, bFullRange)", At(&l.bFullRange, &l));
        Add("offsetof(SSpatialLayerConfig, bColorDescriptionPresent)", At(&l.bColorDescriptionPresent, &l));
        Add("offsetof(SSpatialLayerConfig, uiColorPrimaries)", At(&l.uiColorPrimaries, &l));
        Add("offsetof(SSpatialLayerConfig, uiTransferCharacteristics)", At(&l.uiTransferCharacteristics, &l));
        Add("offsetof(SSpatialLayerConfig, uiColorMatrix)", At(&l.uiColorMatrix, &l));
        Add("offsetof(SSpatialLayerConfig, bAspectRatioPresent)", At(&l.bAspectRatioPresent, &l));
        Add("offsetof(SSpatialLayerConfig, eAspectRatio)", At(&l.eAspectRatio, &l));
        Add("offsetof(SSpatialLayerConfig, sAspectRatioExtWidth)", At(&l.sAspectRatioExtWidth, &l));
        Add("offsetof(SSpatialLayerConfig, sAspectRatioExtHeight)", At(&l.sAspectRatioExtHeight, &l));

        SSliceArgument s = default;
        Add("sizeof(SSliceArgument)", sizeof(SSliceArgument));
        Add("offsetof(SSliceArgument, uiSliceMode)", At(&s.uiSliceMode, &s));
        Add("offsetof(SSliceArgument, uiSliceNum)", At(&s.uiSliceNum, &s));
        Add("offsetof(SSliceArgument, uiSliceMbNum)", At(&s.uiSliceMbNum, &s));
        Add("offsetof(SSliceArgument, uiSliceMbNum[34])", At(&s.uiSliceMbNum[34], &s));
        Add("offsetof(SSliceArgument, uiSliceSizeConstraint)", At(&s.uiSliceSizeConstraint, &s));

        SSourcePicture pic = default;
        Add("sizeof(SSourcePicture)", sizeof(SSourcePicture));
        Add("offsetof(SSourcePicture, iColorFormat)", At(&pic.iColorFormat, &pic));
        Add("offsetof(SSourcePicture, iStride)", At(&pic.iStride, &pic));
        Add("offsetof(SSourcePicture, iStride[3])", At(&pic.iStride[3], &pic));
        Add("offsetof(SSourcePicture, pData)", At(&pic.pData, &pic));
        Add("offsetof(SSourcePicture, pData[1])", At(&pic.pData.e1, &pic));
        Add("offsetof(SSourcePicture, pData[2])", At(&pic.pData.e2, &pic));
        Add("offsetof(SSourcePicture, pData[3])", At(&pic.pData.e3, &pic));
        Add("offsetof(SSourcePicture, iPicWidth)", At(&pic.iPicWidth, &pic));
        Add("offsetof(SSourcePicture, iPicHeight)", At(&pic.iPicHeight, &pic));
        Add("offsetof(SSourcePicture, uiTimeStamp)", At(&pic.uiTimeStamp, &pic));

        SLayerBSInfo layer = default;
        Add("sizeof(SLayerBSInfo)", sizeof(SLayerBSInfo));
        Add("offsetof(SLayerBSInfo, uiTemporalId)", At(&layer.uiTemporalId, &layer));
        Add("offsetof(SLayerBSInfo, uiSpatialId)", At(&layer.uiSpatialId, &layer));
        Add("offsetof(SLayerBSInfo, uiQualityId)", At(&layer.uiQualityId, &layer));
        Add("offsetof(SLayerBSInfo, eFrameType)", At(&layer.eFrameType, &layer));
        Add("offsetof(SLayerBSInfo, uiLayerType)", At(&layer.uiLayerType, &layer));
        Add("offsetof(SLayerBSInfo, iSubSeqId)", At(&layer.iSubSeqId, &layer));
        Add("offsetof(SLayerBSInfo, iNalCount)", At(&layer.iNalCount, &layer));
        Add("offsetof(SLayerBSInfo, pNalLengthInByte)", At(&layer.pNalLengthInByte, &layer));
        Add("offsetof(SLayerBSInfo, pBsBuf)", At(&layer.pBsBuf, &layer));

        // 5 KB: on the heap, not the stack.
        var frame = (SFrameBSInfo*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)sizeof(SFrameBSInfo));
        try
        {
            Add("sizeof(SFrameBSInfo)", sizeof(SFrameBSInfo));
            Add("offsetof(SFrameBSInfo, iLayerNum)", At(&frame->iLayerNum, frame));
            Add("offsetof(SFrameBSInfo, sLayerInfo)", At(&frame->sLayerInfo, frame));
            Add("offsetof(SFrameBSInfo, sLayerInfo[127].pBsBuf)", At(&frame->sLayerInfo[127].pBsBuf, frame));
            Add("offsetof(SFrameBSInfo, eFrameType)", At(&frame->eFrameType, frame));
            Add("offsetof(SFrameBSInfo, iFrameSizeInBytes)", At(&frame->iFrameSizeInBytes, frame));
            Add("offsetof(SFrameBSInfo, uiTimeStamp)", At(&frame->uiTimeStamp, frame));
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(frame);
        }

        SBitrateInfo bitrate = default;
        Add("sizeof(SBitrateInfo)", sizeof(SBitrateInfo));
        Add("offsetof(SBitrateInfo, iLayer)", At(&bitrate.iLayer, &bitrate));
        Add("offsetof(SBitrateInfo, iBitrate)", At(&bitrate.iBitrate, &bitrate));

        OpenH264Version version = default;
        Add("sizeof(OpenH264Version)", sizeof(OpenH264Version));
        Add("offsetof(OpenH264Version, uMinor)", At(&version.uMinor, &version));
        Add("offsetof(OpenH264Version, uRevision)", At(&version.uRevision, &version));
        Add("offsetof(OpenH264Version, uReserved)", At(&version.uReserved, &version));

        ISVCEncoderVtbl v = default;
        Add("sizeof(ISVCEncoderVtbl)", sizeof(ISVCEncoderVtbl));
        Add("offsetof(ISVCEncoderVtbl, Initialize)", At(&v.Initialize, &v));
        Add("offsetof(ISVCEncoderVtbl, InitializeExt)", At(&v.InitializeExt, &v));
        Add("offsetof(ISVCEncoderVtbl, GetDefaultParams)", At(&v.GetDefaultParams, &v));
        Add("offsetof(ISVCEncoderVtbl, Uninitialize)", At(&v.Uninitialize, &v));
        Add("offsetof(ISVCEncoderVtbl, EncodeFrame)", At(&v.EncodeFrame, &v));
        Add("offsetof(ISVCEncoderVtbl, EncodeParameterSets)", At(&v.EncodeParameterSets, &v));
        Add("offsetof(ISVCEncoderVtbl, ForceIntraFrame)", At(&v.ForceIntraFrame, &v));
        Add("offsetof(ISVCEncoderVtbl, SetOption)", At(&v.SetOption, &v));
        Add("offsetof(ISVCEncoderVtbl, GetOption)", At(&v.GetOption, &v));
        Add("sizeof(ISVCEncoder)", sizeof(ISVCEncoder));

        // Enum values and constants the binding passes to the library.
        Add("sizeof(EUsageType)", sizeof(EUsageType));
        Add("sizeof(ENCODER_OPTION)", sizeof(ENCODER_OPTION));
        Add("SCREEN_CONTENT_REAL_TIME", (long)EUsageType.SCREEN_CONTENT_REAL_TIME);
        Add("RC_BITRATE_MODE", (long)RC_MODES.RC_BITRATE_MODE);
        Add("RC_TIMESTAMP_MODE", (long)RC_MODES.RC_TIMESTAMP_MODE);
        Add("RC_OFF_MODE", (long)RC_MODES.RC_OFF_MODE);
        Add("PRO_BASELINE", (long)EProfileIdc.PRO_BASELINE);
        Add("PRO_HIGH", (long)EProfileIdc.PRO_HIGH);
        Add("LEVEL_3_1", (long)ELevelIdc.LEVEL_3_1);
        Add("LEVEL_4_2", (long)ELevelIdc.LEVEL_4_2);
        Add("SM_SINGLE_SLICE", (long)SliceModeEnum.SM_SINGLE_SLICE);
        Add("SM_FIXEDSLCNUM_SLICE", (long)SliceModeEnum.SM_FIXEDSLCNUM_SLICE);
        Add("LOW_COMPLEXITY", (long)ECOMPLEXITY_MODE.LOW_COMPLEXITY);
        Add("CONSTANT_ID", (long)EParameterSetStrategy.CONSTANT_ID);
        Add("videoFormatI420", (long)EVideoFormatType.videoFormatI420);
        Add("videoFrameTypeIDR", (long)EVideoFrameType.videoFrameTypeIDR);
        Add("videoFrameTypeSkip", (long)EVideoFrameType.videoFrameTypeSkip);
        Add("SPATIAL_LAYER_ALL", (long)LAYER_NUM.SPATIAL_LAYER_ALL);
        Add("ASP_EXT_SAR", (long)ESampleAspectRatio.ASP_EXT_SAR);
        Add("MAX_SLICES_NUM_TMP", Wels.MAX_SLICES_NUM_TMP);
        Add("MAX_LAYER_NUM_OF_FRAME", Wels.MAX_LAYER_NUM_OF_FRAME);
        Add("WELS_LOG_INFO", Wels.WELS_LOG_INFO);
        foreach (ENCODER_OPTION option in Enum.GetValues<ENCODER_OPTION>())
        {
            Add(option.ToString(), (long)option);
        }

        return layout;
    }

    private static Dictionary<string, long> CompileAndRunProbe(IEnumerable<string> expressions)
    {
        Assert.True(File.Exists(Path.Combine(HeaderDirectory, "codec_api.h")),
            $"{HeaderDirectory}/codec_api.h is missing: install libopenh264-dev (eng/apt-packages.txt).");
        return CExpressionProbe.Evaluate("<wels/codec_api.h>", expressions, [], "the OpenH264 headers come from libopenh264-dev");
    }
}
