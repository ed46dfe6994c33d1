using System.Diagnostics;

namespace Miraflow.Exports.Interop;

/// <summary>
/// The C type (or <c>#define</c> text) a hand-declared interop member stands for, as written in
/// the Windows SDK. Documentation only: the attribute is compiled out of Release builds, as in
/// TerraFX.
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Enum | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = false, Inherited = true)]
[Conditional("DEBUG")]
internal sealed class NativeTypeNameAttribute(string name) : Attribute
{
    /// <summary>The C declaration, e.g. <c>PFN_REPORT_SESSION_STATUS</c> or <c>UINT64 : 40</c>.</summary>
    public string Name { get; } = name;
}
