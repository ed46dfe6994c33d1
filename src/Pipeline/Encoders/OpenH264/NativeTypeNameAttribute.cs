using System.Diagnostics;

namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>
/// The C type a hand-declared interop member stands for (documentation only; compiled out of
/// Release builds, as in TerraFX).
/// </summary>
[AttributeUsage(AttributeTargets.Struct | AttributeTargets.Enum | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = false, Inherited = true)]
[Conditional("DEBUG")]
internal sealed class NativeTypeNameAttribute(string name) : Attribute
{
    /// <summary>The C declaration, e.g. <c>bool</c> or <c>unsigned int[35]</c>.</summary>
    public string Name { get; } = name;
}
