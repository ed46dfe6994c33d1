using System.Runtime.InteropServices;

namespace Miraflow.Pipeline.Encoders.OpenH264;

/// <summary>
/// Owns one native encoder (<c>ISVCEncoder*</c>), the <see cref="SFrameBSInfo"/> block it writes
/// into, and the GC handle its trace callback reads. Release uninitialises and destroys the
/// encoder, then frees the rest, exactly once: on <see cref="OpenH264Encoder.Dispose"/> or, if an
/// encoder is dropped undisposed, on the finalizer thread. The reference count keeps a
/// <c>Dispose</c> on another thread from freeing the encoder under a running <c>EncodeFrame</c>.
/// </summary>
internal sealed unsafe class OpenH264EncoderHandle : SafeHandle
{
    private readonly OpenH264Library _library;

    public OpenH264EncoderHandle(OpenH264Library library, ISVCEncoder* encoder)
        : base(0, ownsHandle: true)
    {
        _library = library;
        SetHandle((nint)encoder);
        BsInfo = (SFrameBSInfo*)NativeMemory.AllocZeroed((nuint)sizeof(SFrameBSInfo));
    }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>The encoder object.</summary>
    public ISVCEncoder* Encoder => (ISVCEncoder*)handle;

    /// <summary>Where <c>EncodeFrame</c> reports its output (native memory, never moves).</summary>
    public SFrameBSInfo* BsInfo { get; }

    /// <summary>Set once <c>InitializeExt</c> succeeded, so release calls <c>Uninitialize</c>.</summary>
    public bool Initialized { get; set; }

    /// <summary>The context handed to the trace callback (a handle to the logger), if any.</summary>
    public GCHandle TraceContext { get; set; }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        var encoder = (ISVCEncoder*)handle;
        if (Initialized)
        {
            encoder->Uninitialize();
        }

        _library.WelsDestroySVCEncoder(encoder);
        NativeMemory.Free(BsInfo);
        if (TraceContext.IsAllocated)
        {
            TraceContext.Free();
        }

        return true;
    }
}
