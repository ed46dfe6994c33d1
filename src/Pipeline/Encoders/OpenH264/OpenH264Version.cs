namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary><c>OpenH264Version</c> (codec_app_def.h): the version <c>WelsGetCodecVersionEx</c> reports.</summary>
[NativeTypeName("struct _tagVersion")]
internal struct OpenH264Version
{
    [NativeTypeName("unsigned int")]
    public uint uMajor;

    [NativeTypeName("unsigned int")]
    public uint uMinor;

    [NativeTypeName("unsigned int")]
    public uint uRevision;

    [NativeTypeName("unsigned int")]
    public uint uReserved;
}
