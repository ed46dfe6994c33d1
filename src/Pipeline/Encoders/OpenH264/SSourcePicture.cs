using System.Runtime.CompilerServices;

namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>SSourcePicture</c> (codec_app_def.h, <c>struct Source_Picture_s</c>): one input picture.</summary>
[NativeTypeName("struct Source_Picture_s")]
internal unsafe struct SSourcePicture
{
    public int iColorFormat;

    [NativeTypeName("int[4]")]
    public _iStride_e__FixedBuffer iStride;

    [NativeTypeName("unsigned char *[4]")]
    public _pData_e__FixedBuffer pData;

    public int iPicWidth;

    public int iPicHeight;

    /// <summary>Milliseconds.</summary>
    [NativeTypeName("long long")]
    public long uiTimeStamp;

    /// <summary><c>int iStride[4]</c>.</summary>
    [InlineArray(4)]
    public struct _iStride_e__FixedBuffer
    {
        public int e0;
    }

    /// <summary><c>unsigned char* pData[4]</c> (pointers cannot be inline-array elements, so four fields).</summary>
    public struct _pData_e__FixedBuffer
    {
        public byte* e0;
        public byte* e1;
        public byte* e2;
        public byte* e3;
    }
}
