namespace Miraflow.Pipeline.Chunks;

/// <summary>
/// The frame store the kernel driver shares with us (docs/kernel-protocol.md): chunks name a
/// slot and a byte range in it. On Windows a mapped section; in the simulator the emulator's
/// memory.
/// </summary>
public interface IChunkMemory
{
    /// <summary>
    /// The bytes <paramref name="offset"/> … <paramref name="offset"/> + <paramref name="length"/>
    /// of <paramref name="slot"/>; false when the range is outside the store.
    /// </summary>
    bool TryGetBytes(int slot, int offset, int length, out ReadOnlySpan<byte> bytes);

    /// <summary>Gives a slot back to the kernel driver (its bytes are no longer needed).</summary>
    void Release(int slot);
}
