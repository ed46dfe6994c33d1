namespace Miraflow.Pipeline.Sources;

/// <summary>How a file or synthetic frame source times its frames.</summary>
public enum FramePacing
{
    /// <summary>
    /// One frame per frame period on the session's <see cref="Media.MediaClock"/>: a read waits
    /// (on the clock's <see cref="TimeProvider"/>) until the next frame is due. The first frame is
    /// due at once; its capture time is the clock's time of that first read, and frame k's is
    /// that time plus k / frame rate. A reader that falls more than one period behind gets the
    /// next frame at once, stamped with the clock's current time, and the schedule restarts
    /// from there (frames are late, never skipped).
    /// </summary>
    RealTime,

    /// <summary>
    /// As fast as the reader asks (tests, benchmarks, offline encodes): no waiting, and frame k
    /// is stamped k / frame rate after the clock's epoch, whatever the clock reads.
    /// </summary>
    Unpaced,
}
