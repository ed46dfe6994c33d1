using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Miraflow.Pipeline.Media;

/// <summary>
/// Copies and converts raw 4:2:0 pictures between <see cref="PixelFormat.Nv12"/> and
/// <see cref="PixelFormat.I420"/>, and between strides. Allocation-free; the chroma
/// (de)interleave is vectorised (AVX2 or portable 128-bit SIMD) with a scalar tail.
/// </summary>
/// <remarks>
/// <code>
/// NV12 chroma row:  U0 V0 U1 V1 U2 V2 … U(w/2-1) V(w/2-1)     (ChromaStride ≥ w)
///                        │ deinterleave ▲ interleave
/// I420 chroma rows: U0 U1 U2 … U(w/2-1)                       (ChromaStride ≥ w/2)
///                   V0 V1 V2 … V(w/2-1)
/// </code>
/// Luma rows are copied as they are. Only the visible <c>Width</c> bytes of each row are
/// read and written; the padding between rows is left untouched.
/// </remarks>
public static class PictureConverter
{
    /// <summary>
    /// Converts an NV12 picture to I420 (any strides; same size). Also copies the capture time,
    /// frame number and part number.
    /// </summary>
    public static void Nv12ToI420(VideoFrame nv12, VideoFrame i420) => Nv12ToI420(nv12, i420, BestPath);

    /// <summary>
    /// Converts an I420 picture to NV12 (any strides; same size). Also copies the capture time,
    /// frame number and part number.
    /// </summary>
    public static void I420ToNv12(VideoFrame i420, VideoFrame nv12) => I420ToNv12(i420, nv12, BestPath);

    /// <summary>
    /// Copies a picture into another of the same size and either layout, converting between
    /// NV12 and I420 when the layouts differ and changing strides as needed. Also copies the
    /// capture time, frame number and part number.
    /// </summary>
    public static void Convert(VideoFrame source, VideoFrame destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        switch ((source.Format, destination.Format))
        {
            case (PixelFormat.Nv12, PixelFormat.I420):
                Nv12ToI420(source, destination);
                break;
            case (PixelFormat.I420, PixelFormat.Nv12):
                I420ToNv12(source, destination);
                break;
            default:
                Copy(source, destination);
                break;
        }
    }

    /// <summary>
    /// Copies a picture into another of the same size and layout, with any strides. Also copies
    /// the capture time, frame number and part number.
    /// </summary>
    public static void Copy(VideoFrame source, VideoFrame destination)
    {
        CheckPair(source, destination, source.Format, source.Format);
        int chromaRows = source.Height / 2;
        CopyPlane(source.Y, source.LumaStride, destination.Y, destination.LumaStride, source.Width, source.Height);
        if (source.Format == PixelFormat.I420)
        {
            int chromaWidth = source.Width / 2;
            CopyPlane(source.U, source.ChromaStride, destination.U, destination.ChromaStride, chromaWidth, chromaRows);
            CopyPlane(source.V, source.ChromaStride, destination.V, destination.ChromaStride, chromaWidth, chromaRows);
        }
        else
        {
            CopyPlane(source.U, source.ChromaStride, destination.U, destination.ChromaStride, source.Width, chromaRows);
        }

        CopyMetadata(source, destination);
    }

    /// <summary>
    /// Copies <paramref name="rows"/> rows of <paramref name="rowBytes"/> bytes from one plane to
    /// another, each with its own stride.
    /// </summary>
    public static void CopyPlane(ReadOnlySpan<byte> source, int sourceStride, Span<byte> destination, int destinationStride, int rowBytes, int rows)
    {
        CheckPlane(source.Length, sourceStride, rowBytes, rows, nameof(source));
        CheckPlane(destination.Length, destinationStride, rowBytes, rows, nameof(destination));
        if (sourceStride == rowBytes && destinationStride == rowBytes)
        {
            source[..(rowBytes * rows)].CopyTo(destination);
            return;
        }

        for (int row = 0; row < rows; row++)
        {
            source.Slice(row * sourceStride, rowBytes).CopyTo(destination.Slice(row * destinationStride, rowBytes));
        }
    }

    /// <summary>
    /// Splits one interleaved chroma row (<c>U0 V0 U1 V1 …</c>) into its U and V samples:
    /// <paramref name="u"/>.Length pairs are read.
    /// </summary>
    /// <exception cref="ArgumentException">The spans are too short for each other.</exception>
    public static void Deinterleave(ReadOnlySpan<byte> uv, Span<byte> u, Span<byte> v) => Deinterleave(uv, u, v, BestPath);

    /// <summary>
    /// Merges a U row and a V row into one interleaved chroma row (<c>U0 V0 U1 V1 …</c>):
    /// <paramref name="u"/>.Length pairs are written.
    /// </summary>
    /// <exception cref="ArgumentException">The spans are too short for each other.</exception>
    public static void Interleave(ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, Span<byte> uv) => Interleave(u, v, uv, BestPath);

    /// <summary>The fastest path this machine runs.</summary>
    internal static SimdPath BestPath =>
        Avx2.IsSupported ? SimdPath.Avx2
        : Vector128.IsHardwareAccelerated ? SimdPath.Vector128
        : SimdPath.Scalar;

    internal static void Nv12ToI420(VideoFrame nv12, VideoFrame i420, SimdPath path)
    {
        CheckPair(nv12, i420, PixelFormat.Nv12, PixelFormat.I420);
        int width = nv12.Width, chromaWidth = width / 2, chromaRows = nv12.Height / 2;
        CopyPlane(nv12.Y, nv12.LumaStride, i420.Y, i420.LumaStride, width, nv12.Height);

        ReadOnlySpan<byte> uv = nv12.U;
        Span<byte> u = i420.U, v = i420.V;
        int uvStride = nv12.ChromaStride, stride = i420.ChromaStride;
        for (int row = 0; row < chromaRows; row++)
        {
            Deinterleave(
                uv.Slice(row * uvStride, width),
                u.Slice(row * stride, chromaWidth),
                v.Slice(row * stride, chromaWidth),
                path);
        }

        CopyMetadata(nv12, i420);
    }

    internal static void I420ToNv12(VideoFrame i420, VideoFrame nv12, SimdPath path)
    {
        CheckPair(i420, nv12, PixelFormat.I420, PixelFormat.Nv12);
        int width = i420.Width, chromaWidth = width / 2, chromaRows = i420.Height / 2;
        CopyPlane(i420.Y, i420.LumaStride, nv12.Y, nv12.LumaStride, width, i420.Height);

        ReadOnlySpan<byte> u = i420.U, v = i420.V;
        Span<byte> uv = nv12.U;
        int stride = i420.ChromaStride, uvStride = nv12.ChromaStride;
        for (int row = 0; row < chromaRows; row++)
        {
            Interleave(
                u.Slice(row * stride, chromaWidth),
                v.Slice(row * stride, chromaWidth),
                uv.Slice(row * uvStride, width),
                path);
        }

        CopyMetadata(i420, nv12);
    }

    internal static void Deinterleave(ReadOnlySpan<byte> uv, Span<byte> u, Span<byte> v, SimdPath path)
    {
        int pairs = u.Length;
        if (v.Length < pairs || uv.Length / 2 < pairs)
        {
            ThrowTooShort();
        }

        ref byte source = ref MemoryMarshal.GetReference(uv);
        ref byte uDestination = ref MemoryMarshal.GetReference(u);
        ref byte vDestination = ref MemoryMarshal.GetReference(v);
        int done = 0;
        if (path >= SimdPath.Avx2 && Avx2.IsSupported)
        {
            done = DeinterleaveAvx2(ref source, ref uDestination, ref vDestination, pairs);
        }

        if (path >= SimdPath.Vector128 && Vector128.IsHardwareAccelerated)
        {
            done += DeinterleaveVector128(
                ref Unsafe.Add(ref source, done * 2),
                ref Unsafe.Add(ref uDestination, done),
                ref Unsafe.Add(ref vDestination, done),
                pairs - done);
        }

        // Scalar tail, and the reference path the vector code is tested against.
        for (int i = done; i < pairs; i++)
        {
            Unsafe.Add(ref uDestination, i) = Unsafe.Add(ref source, 2 * i);
            Unsafe.Add(ref vDestination, i) = Unsafe.Add(ref source, (2 * i) + 1);
        }
    }

    internal static void Interleave(ReadOnlySpan<byte> u, ReadOnlySpan<byte> v, Span<byte> uv, SimdPath path)
    {
        int pairs = u.Length;
        if (v.Length < pairs || uv.Length / 2 < pairs)
        {
            ThrowTooShort();
        }

        ref byte uSource = ref MemoryMarshal.GetReference(u);
        ref byte vSource = ref MemoryMarshal.GetReference(v);
        ref byte destination = ref MemoryMarshal.GetReference(uv);
        int done = 0;
        if (path >= SimdPath.Avx2 && Vector256.IsHardwareAccelerated)
        {
            done = InterleaveVector256(ref uSource, ref vSource, ref destination, pairs);
        }

        if (path >= SimdPath.Vector128 && Vector128.IsHardwareAccelerated)
        {
            done += InterleaveVector128(
                ref Unsafe.Add(ref uSource, done),
                ref Unsafe.Add(ref vSource, done),
                ref Unsafe.Add(ref destination, done * 2),
                pairs - done);
        }

        for (int i = done; i < pairs; i++)
        {
            Unsafe.Add(ref destination, 2 * i) = Unsafe.Add(ref uSource, i);
            Unsafe.Add(ref destination, (2 * i) + 1) = Unsafe.Add(ref vSource, i);
        }
    }

    /// <summary>
    /// 64 interleaved bytes to 32 U and 32 V per step. <c>vpshufb</c> works inside each 128-bit
    /// lane, so it is followed by two cross-lane permutes:
    /// <code>
    /// a = [U0..7 V0..7 | U8..15 V8..15]   (after the in-lane shuffle; b likewise for U16..31)
    /// a = [U0..7 U8..15 | V0..7 V8..15]   (vpermq 0,2,1,3)
    /// U = [a.lo | b.lo],  V = [a.hi | b.hi] (vperm2i128 0x20 / 0x31)
    /// </code>
    /// </summary>
    /// <returns>The pairs done (a multiple of 32).</returns>
    private static int DeinterleaveAvx2(ref byte uv, ref byte u, ref byte v, int pairs)
    {
        Vector256<byte> mask = Vector256.Create(
            (byte)0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15,
            0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
        int i = 0;
        for (; i <= pairs - 32; i += 32)
        {
            nuint at = (nuint)i;
            Vector256<byte> a = Avx2.Shuffle(Vector256.LoadUnsafe(ref uv, at * 2), mask);
            Vector256<byte> b = Avx2.Shuffle(Vector256.LoadUnsafe(ref uv, (at * 2) + 32), mask);
            a = Avx2.Permute4x64(a.AsUInt64(), 0xD8).AsByte();
            b = Avx2.Permute4x64(b.AsUInt64(), 0xD8).AsByte();
            Avx2.Permute2x128(a, b, 0x20).StoreUnsafe(ref u, at);
            Avx2.Permute2x128(a, b, 0x31).StoreUnsafe(ref v, at);
        }

        return i;
    }

    /// <summary>
    /// 32 interleaved bytes to 16 U and 16 V per step, portable: read the pairs as 16-bit lanes,
    /// keep the low bytes (U) or shift down the high bytes (V), and narrow two vectors into one.
    /// </summary>
    /// <returns>The pairs done (a multiple of 16).</returns>
    private static int DeinterleaveVector128(ref byte uv, ref byte u, ref byte v, int pairs)
    {
        Vector128<ushort> low = Vector128.Create((ushort)0x00FF);
        int i = 0;
        for (; i <= pairs - 16; i += 16)
        {
            nuint at = (nuint)i;
            Vector128<ushort> first = Vector128.LoadUnsafe(ref uv, at * 2).AsUInt16();
            Vector128<ushort> second = Vector128.LoadUnsafe(ref uv, (at * 2) + 16).AsUInt16();
            Vector128.Narrow(first & low, second & low).StoreUnsafe(ref u, at);
            Vector128.Narrow(first >>> 8, second >>> 8).StoreUnsafe(ref v, at);
        }

        return i;
    }

    /// <summary>32 U and 32 V to 64 interleaved bytes per step: widen to 16 bits, V into the high byte.</summary>
    /// <returns>The pairs done (a multiple of 32).</returns>
    private static int InterleaveVector256(ref byte u, ref byte v, ref byte uv, int pairs)
    {
        int i = 0;
        for (; i <= pairs - 32; i += 32)
        {
            nuint at = (nuint)i;
            (Vector256<ushort> uLow, Vector256<ushort> uHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref u, at));
            (Vector256<ushort> vLow, Vector256<ushort> vHigh) = Vector256.Widen(Vector256.LoadUnsafe(ref v, at));
            (uLow | (vLow << 8)).AsByte().StoreUnsafe(ref uv, at * 2);
            (uHigh | (vHigh << 8)).AsByte().StoreUnsafe(ref uv, (at * 2) + 32);
        }

        return i;
    }

    /// <summary>16 U and 16 V to 32 interleaved bytes per step.</summary>
    /// <returns>The pairs done (a multiple of 16).</returns>
    private static int InterleaveVector128(ref byte u, ref byte v, ref byte uv, int pairs)
    {
        int i = 0;
        for (; i <= pairs - 16; i += 16)
        {
            nuint at = (nuint)i;
            (Vector128<ushort> uLow, Vector128<ushort> uHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref u, at));
            (Vector128<ushort> vLow, Vector128<ushort> vHigh) = Vector128.Widen(Vector128.LoadUnsafe(ref v, at));
            (uLow | (vLow << 8)).AsByte().StoreUnsafe(ref uv, at * 2);
            (uHigh | (vHigh << 8)).AsByte().StoreUnsafe(ref uv, (at * 2) + 16);
        }

        return i;
    }

    private static void CheckPair(VideoFrame source, VideoFrame destination, PixelFormat sourceFormat, PixelFormat destinationFormat)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (source.Format != sourceFormat || destination.Format != destinationFormat)
        {
            throw new ArgumentException($"Expected {sourceFormat} to {destinationFormat}, got {source.Format} to {destination.Format}.", nameof(destination));
        }

        if (source.Width != destination.Width || source.Height != destination.Height)
        {
            throw new ArgumentException($"Pictures differ in size: {source.Width}×{source.Height} and {destination.Width}×{destination.Height}.", nameof(destination));
        }
    }

    private static void CheckPlane(int length, int stride, int rowBytes, int rows, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (stride < rowBytes || (rows > 0 && (long)(rows - 1) * stride + rowBytes > length))
        {
            throw new ArgumentException($"A plane of {rows} rows of {rowBytes} bytes with stride {stride} does not fit in {length} bytes.", name);
        }
    }

    private static void CopyMetadata(VideoFrame source, VideoFrame destination)
    {
        destination.CaptureTime = source.CaptureTime;
        destination.FrameNumber = source.FrameNumber;
        destination.PartNumber = source.PartNumber;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooShort() =>
        throw new ArgumentException("The interleaved row must hold two bytes for each U and V sample.");
}

/// <summary>Which code path a picture conversion takes (the best one by default; tests pin each).</summary>
internal enum SimdPath
{
    /// <summary>Plain loops: the reference.</summary>
    Scalar,

    /// <summary>Portable 128-bit vectors, then the scalar tail.</summary>
    Vector128,

    /// <summary>AVX2 (or portable 256-bit) vectors, then 128-bit, then the scalar tail.</summary>
    Avx2,
}
