using System.Runtime.CompilerServices;

namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>SSliceArgument</c> (codec_app_def.h): how a picture is cut into slices.</summary>
internal struct SSliceArgument
{
    public SliceModeEnum uiSliceMode;

    [NativeTypeName("unsigned int")]
    public uint uiSliceNum;

    [NativeTypeName("unsigned int[35]")]
    public _uiSliceMbNum_e__FixedBuffer uiSliceMbNum;

    [NativeTypeName("unsigned int")]
    public uint uiSliceSizeConstraint;

    /// <summary><c>unsigned int uiSliceMbNum[MAX_SLICES_NUM_TMP]</c>.</summary>
    [InlineArray(Wels.MAX_SLICES_NUM_TMP)]
    public struct _uiSliceMbNum_e__FixedBuffer
    {
        public uint e0;
    }
}
