namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>
/// <c>struct ISVCEncoderVtbl</c> (codec_api.h, the C view of the C++ <c>ISVCEncoder</c> class):
/// the encoder's function table. Every entry is declared <c>EXTAPI</c> (<c>__cdecl</c> on Windows,
/// so also on 32-bit Windows the object pointer is the first stack argument).
/// </summary>
/// <remarks>
/// <c>ForceIntraFrame</c> is declared in C as <c>(ISVCEncoder*, bool)</c>, but the C++ method the
/// slot points at is <c>ForceIntraFrame(bool bIDR, int iLayerId = -1)</c>: a C caller leaves
/// <c>iLayerId</c> as whatever is in the register. We declare and pass the third argument
/// (<c>-1</c>: every layer); with the caller-cleans conventions this is exact on every ABI.
/// The C++ class also has a virtual destructor after <c>GetOption</c>; it is not part of the C
/// table and is never called (<c>WelsDestroySVCEncoder</c> deletes the object).
/// </remarks>
internal unsafe struct ISVCEncoderVtbl
{
    [NativeTypeName("int (*)(ISVCEncoder *, const SEncParamBase *)")]
    public delegate* unmanaged[Cdecl]<ISVCEncoder*, void*, int> Initialize;

    [NativeTypeName("int (*)(ISVCEncoder *, const SEncParamExt *)")]
    public delegate* unmanaged[Cdecl]<ISVCEncoder*, SEncParamExt*, int> InitializeExt;

    [NativeTypeName("int (*)(ISVCEncoder *, SEncParamExt *)")]
    public delegate* unmanaged[Cdecl]<ISVCEncoder*, SEncParamExt*, int> GetDefaultParams;

    [NativeTypeName("int (*)(ISVCEncoder *)")]
    public delegate* unmanaged[Cdecl]<ISVCEncoder*, int> Uninitialize;

    [NativeTypeName("int (*)(ISVCEncoder *, const SSourcePicture *, SFrameBSInfo *)")]
    public delegate* unmanaged[Cdecl]<ISVCEncoder*, SSourcePicture*, SFrameBSInfo*, int> EncodeFrame;

    [NativeTypeName("int (*)(ISVCEncoder *, SFrameBSInfo *)")]
    public delegate* unmanaged[Cdecl]<ISVCEncoder*, SFrameBSInfo*, int> EncodeParameterSets;

    [NativeTypeName("int (*)(ISVCEncoder *, bool, int iLayerId = -1)")]
    public delegate* unmanaged[Cdecl]<ISVCEncoder*, byte, int, int> ForceIntraFrame;

    [NativeTypeName("int (*)(ISVCEncoder *, ENCODER_OPTION, void *)")]
    public delegate* unmanaged[Cdecl]<ISVCEncoder*, ENCODER_OPTION, void*, int> SetOption;

    [NativeTypeName("int (*)(ISVCEncoder *, ENCODER_OPTION, void *)")]
    public delegate* unmanaged[Cdecl]<ISVCEncoder*, ENCODER_OPTION, void*, int> GetOption;
}
