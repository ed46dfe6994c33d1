using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Chunks;

/// <summary>Why a frame was not delivered.</summary>
public enum FrameDropReason
{
    /// <summary>A newer frame arrived before this one's last part (or any part) was complete.</summary>
    Incomplete,

    /// <summary>The kernel driver reported FRAME_DROPPED.</summary>
    KernelDropped,

    /// <summary>The chunk queue was reset (STATUS_CONNECTION_RESET): all outstanding chunks are lost.</summary>
    Reset,

    /// <summary>A chunk of the frame was malformed or inconsistent with its other parts.</summary>
    InvalidChunk,
}

/// <summary>Where a <see cref="ChunkAssembler"/> delivers what it assembled; the sink owns what it receives.</summary>
public interface IAssembledFrameSink
{
    /// <summary>A whole raw picture (from COLOR_CONVERT_COMPLETE chunks).</summary>
    void OnPicture(VideoFrame picture);

    /// <summary>A whole access unit (from ENCODE_COMPLETE chunks).</summary>
    void OnAccessUnit(EncodedFrame accessUnit);

    /// <summary>
    /// A frame will not be delivered. The stream now needs an IDR: the encoder makes one at the
    /// next picture; a pass-through bitstream must wait for the GPU's next IDR.
    /// </summary>
    void OnDropped(ulong frameNumber, FrameDropReason reason);
}
