using System.Runtime.CompilerServices;

namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>
/// The encoder object. In C, <c>ISVCEncoder</c> is <c>const ISVCEncoderVtbl*</c> and the API
/// hands out <c>ISVCEncoder*</c>: a pointer to the object, whose first word is the table
/// (the C++ object layout). The methods call through the table, passing the object first.
/// </summary>
[NativeTypeName("const ISVCEncoderVtbl *")]
internal unsafe struct ISVCEncoder
{
    public ISVCEncoderVtbl* lpVtbl;

    private ISVCEncoder* This => (ISVCEncoder*)Unsafe.AsPointer(ref this);

    public int InitializeExt(SEncParamExt* pParam) => lpVtbl->InitializeExt(This, pParam);

    public int GetDefaultParams(SEncParamExt* pParam) => lpVtbl->GetDefaultParams(This, pParam);

    public int Uninitialize() => lpVtbl->Uninitialize(This);

    public int EncodeFrame(SSourcePicture* kpSrcPic, SFrameBSInfo* pBsInfo) => lpVtbl->EncodeFrame(This, kpSrcPic, pBsInfo);

    public int EncodeParameterSets(SFrameBSInfo* pBsInfo) => lpVtbl->EncodeParameterSets(This, pBsInfo);

    /// <summary>Makes the next picture an IDR of every layer (<c>iLayerId</c> −1).</summary>
    public int ForceIntraFrame(bool bIDR) => lpVtbl->ForceIntraFrame(This, bIDR ? (byte)1 : (byte)0, -1);

    public int SetOption(ENCODER_OPTION eOptionId, void* pOption) => lpVtbl->SetOption(This, eOptionId, pOption);

    public int GetOption(ENCODER_OPTION eOptionId, void* pOption) => lpVtbl->GetOption(This, eOptionId, pOption);
}
