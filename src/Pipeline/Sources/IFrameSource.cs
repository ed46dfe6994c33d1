using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Sources;

/// <summary>What a frame source produces.</summary>
/// <param name="Width">Picture width.</param>
/// <param name="Height">Picture height.</param>
/// <param name="FrameRate">Frames per second.</param>
/// <param name="Encoded">True when the source yields <see cref="EncodedFrame"/>s (pass-through), false for raw <see cref="VideoFrame"/>s.</param>
/// <param name="Format">The raw pictures' layout (ignored when <paramref name="Encoded"/>).</param>
public readonly record struct FrameSourceInfo(int Width, int Height, double FrameRate, bool Encoded, PixelFormat Format = PixelFormat.I420);

/// <summary>
/// Where pictures come from: a test picture, a raw YUV file, an Annex-B file, a capture API or
/// the driver's chunk queue. Every frame carries its capture time on the session's
/// <see cref="MediaClock"/>.
/// </summary>
public interface IFrameSource : IAsyncDisposable
{
    /// <summary>What the source produces.</summary>
    FrameSourceInfo Info { get; }

    /// <summary>
    /// Waits for the next frame and returns it (the caller owns and disposes it); null at the end
    /// of a finite source.
    /// </summary>
    ValueTask<MediaFrame?> ReadFrameAsync(CancellationToken cancellationToken);
}
