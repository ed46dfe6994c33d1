using System.Runtime.InteropServices;

namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>
/// The loaded OpenH264 shared library and the C entry points the encoder needs, found by name with
/// <see cref="NativeLibrary"/> (no static import, so a machine without the library fails with one
/// clear <see cref="OpenH264NotFoundException"/> only when an encoder is created).
/// </summary>
/// <remarks>
/// <para>File names tried, in order:</para>
/// <list type="bullet">
/// <item>Linux: <c>libopenh264.so.7</c> (Debian/Ubuntu <c>libopenh264-7</c>, OpenH264 2.3.x),
/// <c>libopenh264.so.2.3.1</c>, <c>libopenh264.so</c> (the <c>-dev</c> symlink, any version).</item>
/// <item>Windows: Cisco's release binary for the process architecture,
/// <c>openh264-2.3.1-win64.dll</c> or <c>openh264-2.3.1-win32.dll</c>, then <c>openh264.dll</c>
/// (a renamed or self-built copy). Windows searches the application directory first, so the DLL
/// goes next to the executable or the driver DLL.</item>
/// <item>macOS: <c>libopenh264.7.dylib</c>, <c>libopenh264.dylib</c>.</item>
/// </list>
/// <para>
/// The version is read with <c>WelsGetCodecVersionEx</c> (an out pointer; the by-value
/// <c>WelsGetCodecVersion</c> return is ABI-fragile on old MinGW builds, per codec_api.h) and only
/// major version 2 is accepted: the structures here mirror the 2.3.1 headers, and 1.x laid
/// <c>SEncParamExt</c> out differently. The library is loaded once per process and never unloaded
/// (encoders may live anywhere).
/// </para>
/// </remarks>
internal sealed unsafe class OpenH264Library
{
    private static readonly string[] s_linuxNames = ["libopenh264.so.7", "libopenh264.so.2.3.1", "libopenh264.so"];
    private static readonly string[] s_windows64Names = ["openh264-2.3.1-win64.dll", "openh264.dll"];
    private static readonly string[] s_windows32Names = ["openh264-2.3.1-win32.dll", "openh264.dll"];
    private static readonly string[] s_macNames = ["libopenh264.7.dylib", "libopenh264.dylib"];
    private static readonly Lock s_gate = new();
    private static OpenH264Library? s_shared;

    private OpenH264Library(nint handle, string name, Version version)
    {
        Handle = handle;
        FileName = name;
        Version = version;
    }

    /// <summary>The names tried on this platform, in order.</summary>
    public static IReadOnlyList<string> DefaultNames =>
        OperatingSystem.IsWindows() ? (RuntimeInformation.ProcessArchitecture == Architecture.X86 ? s_windows32Names : s_windows64Names)
        : OperatingSystem.IsMacOS() ? s_macNames
        : s_linuxNames;

    /// <summary>The process-wide library, loaded on first use; throws <see cref="OpenH264NotFoundException"/> until it can be loaded.</summary>
    public static OpenH264Library Shared
    {
        get
        {
            OpenH264Library? shared = Volatile.Read(ref s_shared);
            if (shared is not null)
            {
                return shared;
            }

            lock (s_gate)
            {
                s_shared ??= Load(DefaultNames);
                return s_shared;
            }
        }
    }

    /// <summary>The OS handle of the library.</summary>
    public nint Handle { get; }

    /// <summary>The file name that loaded.</summary>
    public string FileName { get; }

    /// <summary>The library's own version (major.minor.revision).</summary>
    public Version Version { get; }

    /// <summary><c>int WelsCreateSVCEncoder(ISVCEncoder** ppEncoder)</c>.</summary>
    public delegate* unmanaged[Cdecl]<ISVCEncoder**, int> WelsCreateSVCEncoder { get; private init; }

    /// <summary><c>void WelsDestroySVCEncoder(ISVCEncoder* pEncoder)</c>.</summary>
    public delegate* unmanaged[Cdecl]<ISVCEncoder*, void> WelsDestroySVCEncoder { get; private init; }

    /// <summary>
    /// Loads the first of <paramref name="names"/> that loads and exports the encoder API, and
    /// checks its version. Throws <see cref="OpenH264NotFoundException"/> naming every file tried.
    /// </summary>
    internal static OpenH264Library Load(IReadOnlyList<string> names)
    {
        var problems = new List<string>(names.Count);
        foreach (string name in names)
        {
            if (!NativeLibrary.TryLoad(name, typeof(OpenH264Library).Assembly, DllImportSearchPath.AssemblyDirectory | DllImportSearchPath.SafeDirectories, out nint handle)
                && !NativeLibrary.TryLoad(name, out handle))
            {
                problems.Add($"{name}: not found");
                continue;
            }

            if (!NativeLibrary.TryGetExport(handle, "WelsCreateSVCEncoder", out nint create)
                || !NativeLibrary.TryGetExport(handle, "WelsDestroySVCEncoder", out nint destroy))
            {
                problems.Add($"{name}: loaded, but it does not export WelsCreateSVCEncoder/WelsDestroySVCEncoder");
                NativeLibrary.Free(handle);
                continue;
            }

            Version? version = ReadVersion(handle);
            if (version is null)
            {
                problems.Add($"{name}: loaded, but it exports neither WelsGetCodecVersionEx nor WelsGetCodecVersion");
                NativeLibrary.Free(handle);
                continue;
            }

            if (version.Major != 2)
            {
                problems.Add($"{name}: OpenH264 {version}, but the binding declares the 2.x structure layouts (checked against 2.3.1), which differ across major versions");
                NativeLibrary.Free(handle);
                continue;
            }

            return new OpenH264Library(handle, name, version)
            {
                WelsCreateSVCEncoder = (delegate* unmanaged[Cdecl]<ISVCEncoder**, int>)create,
                WelsDestroySVCEncoder = (delegate* unmanaged[Cdecl]<ISVCEncoder*, void>)destroy,
            };
        }

        throw new OpenH264NotFoundException(
            $"No usable OpenH264 2.x encoder library (tried {string.Join("; ", problems)}). " +
            "On Debian/Ubuntu install it with 'apt-get install libopenh264-7'. On Windows download Cisco's " +
            "openh264-2.3.1-win64.dll (or -win32.dll for 32-bit processes) from https://github.com/cisco/openh264/releases " +
            "and put it next to the application or the driver DLL.");
    }

    private static Version? ReadVersion(nint handle)
    {
        OpenH264Version v = default;
        if (NativeLibrary.TryGetExport(handle, "WelsGetCodecVersionEx", out nint getEx))
        {
            ((delegate* unmanaged[Cdecl]<OpenH264Version*, void>)getEx)(&v);
        }
        else if (NativeLibrary.TryGetExport(handle, "WelsGetCodecVersion", out nint get))
        {
            v = ((delegate* unmanaged[Cdecl]<OpenH264Version>)get)();
        }
        else
        {
            return null;
        }

        return new Version((int)Math.Min(v.uMajor, int.MaxValue), (int)Math.Min(v.uMinor, int.MaxValue), (int)Math.Min(v.uRevision, int.MaxValue));
    }
}
