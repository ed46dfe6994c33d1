using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Miraflow.Exports.Interop;

namespace Miraflow.Exports.Tests.Interop;

/// <summary>
/// Lays out the managed declarations for a chosen pointer size from their metadata alone, so the
/// x86 layout can be checked on an x64 machine: explicit layouts take their <c>FieldOffset</c>s
/// and <c>Size</c> as declared (they do not depend on the platform), sequential ones get the C
/// rule of the contract's section 0.1 (each field at the next multiple of its alignment, the size
/// rounded up to the largest alignment; pointers, function pointers, <c>nint</c> and
/// <c>nuint</c> are pointer-sized; 8-byte integers are 8-aligned).
/// </summary>
/// <remarks>
/// The same computation for the running pointer size is checked against what the runtime
/// actually does, so the model cannot drift from the runtime it stands in for.
/// </remarks>
internal static class DeclaredLayout
{
    private const BindingFlags InstanceFields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>The managed type a C type name of the contract is declared as.</summary>
    public static Type TypeOf(string cName) => cName switch
    {
        "NTSTATUS" => typeof(int),
        _ => typeof(MIRACAST_CALLBACKS).Assembly.GetType("Miraflow.Exports.Interop." + cName, throwOnError: true)!,
    };

    /// <summary>Evaluates <c>sizeof(T)</c> or <c>offsetof(T, a.b.c)</c> for <paramref name="pointerSize"/>.</summary>
    public static long Evaluate(string expression, int pointerSize)
    {
        if (expression.StartsWith("sizeof(", StringComparison.Ordinal))
        {
            return SizeOf(TypeOf(expression["sizeof(".Length..^1]), pointerSize);
        }

        if (expression.StartsWith("offsetof(", StringComparison.Ordinal))
        {
            string[] arguments = expression["offsetof(".Length..^1].Split(", ");
            return OffsetOf(TypeOf(arguments[0]), arguments[1], pointerSize);
        }

        throw new ArgumentException($"Not a sizeof or offsetof expression: {expression}", nameof(expression));
    }

    /// <summary>
    /// The offset of a C member path. As in C, a name that is not a field of the struct is
    /// looked up inside its anonymous struct or union (the field called <c>Anonymous</c>).
    /// </summary>
    public static long OffsetOf(Type type, string path, int pointerSize)
    {
        long offset = 0;
        foreach (string name in path.Split('.'))
        {
            (long fieldOffset, Type fieldType) = FindMember(type, name, pointerSize);
            offset += fieldOffset;
            type = fieldType;
        }

        return offset;
    }

    /// <summary>The size of a type.</summary>
    public static long SizeOf(Type type, int pointerSize) => Layout(type, pointerSize).Size;

    private static (long Offset, Type Type) FindMember(Type type, string name, int pointerSize)
    {
        (long Offset, FieldInfo Field)[] fields = Fields(type, pointerSize);
        foreach ((long offset, FieldInfo field) in fields)
        {
            if (field.Name == name)
            {
                return (offset, field.FieldType);
            }
        }

        foreach ((long offset, FieldInfo field) in fields)
        {
            if (field.Name == "Anonymous")
            {
                (long inner, Type innerType) = FindMember(field.FieldType, name, pointerSize);
                return (offset + inner, innerType);
            }
        }

        throw new ArgumentException($"{type.Name} has no member {name}.", nameof(name));
    }

    private static (long Size, long Alignment) Layout(Type type, int pointerSize)
    {
        if (type.IsEnum)
        {
            return Layout(Enum.GetUnderlyingType(type), pointerSize);
        }

        if (type.IsPointer || type.IsFunctionPointer || type == typeof(nint) || type == typeof(nuint))
        {
            return (pointerSize, pointerSize);
        }

        if (type.IsPrimitive)
        {
            long size = Type.GetTypeCode(type) switch
            {
                TypeCode.Byte or TypeCode.SByte => 1,
                TypeCode.Int16 or TypeCode.UInt16 => 2,
                TypeCode.Int32 or TypeCode.UInt32 => 4,
                TypeCode.Int64 or TypeCode.UInt64 => 8,
                _ => throw new NotSupportedException($"{type} does not occur in the contract."),
            };
            return (size, size);
        }

        if (type.GetCustomAttribute<InlineArrayAttribute>() is { } inlineArray)
        {
            (long elementSize, long elementAlignment) = Layout(type.GetFields(InstanceFields).Single().FieldType, pointerSize);
            return (elementSize * inlineArray.Length, elementAlignment);
        }

        (long Offset, FieldInfo Field)[] fields = Fields(type, pointerSize);
        long end = 0, alignment = 1;
        foreach ((long offset, FieldInfo field) in fields)
        {
            (long fieldSize, long fieldAlignment) = Layout(field.FieldType, pointerSize);
            end = Math.Max(end, offset + fieldSize);
            alignment = Math.Max(alignment, fieldAlignment);
        }

        long rounded = (end + alignment - 1) / alignment * alignment;
        StructLayoutAttribute declared = type.StructLayoutAttribute!;
        if (declared.Value == LayoutKind.Explicit && declared.Size != 0)
        {
            Assert.True(declared.Size >= end, $"{type.Name}: Size = {declared.Size} is smaller than its fields ({end}).");
            return (declared.Size, alignment);
        }

        return (rounded, alignment);
    }

    private static (long Offset, FieldInfo Field)[] Fields(Type type, int pointerSize)
    {
        FieldInfo[] fields = [.. type.GetFields(InstanceFields).OrderBy(f => f.MetadataToken)];
        var placed = new (long Offset, FieldInfo Field)[fields.Length];
        bool isExplicit = type.StructLayoutAttribute!.Value == LayoutKind.Explicit;
        long next = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            if (isExplicit)
            {
                placed[i] = (fields[i].GetCustomAttribute<FieldOffsetAttribute>()!.Value, fields[i]);
                continue;
            }

            (long size, long alignment) = Layout(fields[i].FieldType, pointerSize);
            next = (next + alignment - 1) / alignment * alignment;
            placed[i] = (next, fields[i]);
            next += size;
        }

        return placed;
    }
}
