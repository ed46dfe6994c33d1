using System.Buffers.Binary;
using System.Text;

namespace Miraflow.Pipeline.Chunks;

/// <summary>
/// <c>MonitorArrival</c> (type 16, docs/kernel-protocol.md): the sink's connector type, the mode
/// the UMD streams (the KMD offers Windows that one mode) and the sink's EDID, unmodified.
/// </summary>
/// <param name="ConnectorType">A <c>D3DKMDT_VIDEO_OUTPUT_TECHNOLOGY</c> value; 15 (<c>D3DKMDT_VOT_MIRACAST</c>) for a sink built into its display.</param>
/// <param name="Width">Streamed picture width.</param>
/// <param name="Height">Streamed picture height.</param>
/// <param name="FramesPerSecond">Streamed frame rate.</param>
/// <param name="Edid">The sink's EDID (a multiple of 128 bytes), empty when it gave none.</param>
public readonly record struct MonitorArrivalMessage(uint ConnectorType, int Width, int Height, int FramesPerSecond, ReadOnlyMemory<byte> Edid)
{
    /// <summary>Bytes before the EDID.</summary>
    public const int FixedSize = 32;

    /// <summary>The largest EDID accepted: 256 blocks of 128 bytes (what <c>wfd_display_edid</c> can carry).</summary>
    public const int MaxEdidLength = 256 * 128;

    /// <summary><c>D3DKMDT_VOT_MIRACAST</c>: the sink is its own display.</summary>
    public const uint VotMiracast = 15;

    /// <summary>The size of the message.</summary>
    public int Size => FixedSize + Edid.Length;

    /// <summary>Writes the message; <paramref name="destination"/> must hold <see cref="Size"/> bytes.</summary>
    public void Write(Span<byte> destination)
    {
        KernelMessage.WriteHeader(destination, KernelMessageType.MonitorArrival, Size);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], ConnectorType);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], Width);
        BinaryPrimitives.WriteInt32LittleEndian(destination[20..], Height);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], FramesPerSecond);
        BinaryPrimitives.WriteInt32LittleEndian(destination[28..], Edid.Length);
        Edid.Span.CopyTo(destination[FixedSize..]);
    }

    /// <summary>Reads and checks the message (the KMD's side); the EDID is copied.</summary>
    public static KernelMessageError TryRead(ReadOnlySpan<byte> data, out MonitorArrivalMessage message, out string? detail)
    {
        message = default;
        detail = null;
        KernelMessageError error = KernelMessage.CheckHeader(data, KernelMessageType.MonitorArrival, FixedSize, out int size);
        if (error != KernelMessageError.None)
        {
            detail = $"monitor arrival: {error}";
            return error;
        }

        int width = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
        int height = BinaryPrimitives.ReadInt32LittleEndian(data[20..]);
        int fps = BinaryPrimitives.ReadInt32LittleEndian(data[24..]);
        int edidLength = BinaryPrimitives.ReadInt32LittleEndian(data[28..]);
        if (width is <= 0 or > 8192 || height is <= 0 or > 8192 || fps is <= 0 or > 240)
        {
            detail = $"monitor arrival: mode {width}×{height} at {fps} fps is out of range";
            return KernelMessageError.BadField;
        }

        if (edidLength is < 0 or > MaxEdidLength || edidLength % 128 != 0 || FixedSize + edidLength != size)
        {
            detail = $"monitor arrival: EDID length {edidLength} is not a multiple of 128 filling the {size}-byte message";
            return KernelMessageError.BadField;
        }

        message = new MonitorArrivalMessage(
            BinaryPrimitives.ReadUInt32LittleEndian(data[12..]), width, height, fps, data.Slice(FixedSize, edidLength).ToArray());
        return KernelMessageError.None;
    }
}

/// <summary>
/// <c>SetMode</c> (type 34, 24 bytes, docs/kernel-protocol.md): the OS committed a new mode on the
/// Miracast target (<c>DxgkDdiCommitVidPn</c>); the UMD changes the stream to it with the sink (M4).
/// </summary>
/// <param name="Width">The mode's width in pixels.</param>
/// <param name="Height">Its height.</param>
/// <param name="FramesPerSecond">Its refresh rate.</param>
public readonly record struct SetModeMessage(int Width, int Height, int FramesPerSecond)
{
    /// <summary>The message size.</summary>
    public const int Size = 24;

    /// <summary>Writes the message; <paramref name="destination"/> must hold <see cref="Size"/> bytes.</summary>
    public void Write(Span<byte> destination)
    {
        KernelMessage.WriteHeader(destination, KernelMessageType.SetMode, Size);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], Width);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], Height);
        BinaryPrimitives.WriteInt32LittleEndian(destination[20..], FramesPerSecond);
    }

    /// <summary>Reads and checks the message (the UMD's side).</summary>
    public static KernelMessageError TryRead(ReadOnlySpan<byte> data, out SetModeMessage message, out string? detail)
    {
        message = default;
        detail = null;
        KernelMessageError error = KernelMessage.CheckHeader(data, KernelMessageType.SetMode, Size, out _);
        if (error != KernelMessageError.None)
        {
            detail = $"set mode: {error}";
            return error;
        }

        int width = BinaryPrimitives.ReadInt32LittleEndian(data[12..]);
        int height = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
        int fps = BinaryPrimitives.ReadInt32LittleEndian(data[20..]);
        if (width is <= 0 or > 8192 || height is <= 0 or > 8192 || fps is <= 0 or > 240)
        {
            detail = $"set mode: {width}×{height} at {fps} fps is out of range";
            return KernelMessageError.BadField;
        }

        message = new SetModeMessage(width, height, fps);
        return KernelMessageError.None;
    }
}

/// <summary>
/// <c>FrameStoreInfo</c> (type 20, 88 bytes, docs/kernel-protocol.md): where the frame store is.
/// </summary>
/// <param name="SlotCount">Slots in the store.</param>
/// <param name="SlotSize">Bytes per slot.</param>
/// <param name="SectionName">
/// Windows: the name of the section to map. Linux: the absolute path of the file holding the store
/// (for example <c>/dev/shm/miraflow-4242-1</c>). At most 32 UTF-16 characters; empty when the KMD
/// has no frame store.
/// </param>
public readonly record struct FrameStoreInfoMessage(int SlotCount, int SlotSize, string SectionName)
{
    /// <summary>The message size.</summary>
    public const int Size = 88;

    /// <summary>The longest section name, in UTF-16 characters.</summary>
    public const int MaxNameLength = 32;

    /// <summary>Writes the message.</summary>
    /// <exception cref="ArgumentException">The name is longer than <see cref="MaxNameLength"/> characters.</exception>
    public void Write(Span<byte> destination)
    {
        if (SectionName.Length > MaxNameLength)
        {
            throw new ArgumentException($"The section name has more than {MaxNameLength} characters.", nameof(destination));
        }

        KernelMessage.WriteHeader(destination, KernelMessageType.FrameStoreInfo, Size);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], SlotCount);
        BinaryPrimitives.WriteInt32LittleEndian(destination[16..], SlotSize);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[20..], 0);
        Span<byte> name = destination.Slice(24, 2 * MaxNameLength);
        name.Clear();
        _ = Encoding.Unicode.GetBytes(SectionName, name);
    }

    /// <summary>Reads and checks the message (the UMD's side).</summary>
    public static KernelMessageError TryRead(ReadOnlySpan<byte> data, out FrameStoreInfoMessage message, out string? detail)
    {
        message = default;
        detail = null;
        KernelMessageError error = KernelMessage.CheckHeader(data, KernelMessageType.FrameStoreInfo, Size, out _);
        if (error != KernelMessageError.None)
        {
            detail = $"frame store info: {error}";
            return error;
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(data[12..]);
        int slotSize = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
        if (count is < 0 or > 4096 || slotSize < 0 || (long)count * slotSize > 4L * 1024 * 1024 * 1024)
        {
            detail = $"frame store info: {count} slots of {slotSize} bytes is out of range";
            return KernelMessageError.BadField;
        }

        string name = Encoding.Unicode.GetString(data.Slice(24, 2 * MaxNameLength)).TrimEnd('\0');
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            detail = "frame store info: the section name has a NUL inside it";
            return KernelMessageError.BadField;
        }

        message = new FrameStoreInfoMessage(count, slotSize, name);
        return KernelMessageError.None;
    }
}

/// <summary><c>ReleaseSlots</c> (type 19, docs/kernel-protocol.md): frame-store slots the UMD gives back.</summary>
public static class ReleaseSlotsMessage
{
    /// <summary>Bytes before the slot indices.</summary>
    public const int FixedSize = 16;

    /// <summary>The most slots one message releases.</summary>
    public const int MaxCount = 4096;

    /// <summary>The size of a message releasing <paramref name="count"/> slots.</summary>
    public static int SizeFor(int count) => FixedSize + (4 * count);

    /// <summary>Writes a message releasing <paramref name="slots"/>; returns its size.</summary>
    public static int Write(Span<byte> destination, ReadOnlySpan<int> slots)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slots.Length, MaxCount);
        int size = SizeFor(slots.Length);
        KernelMessage.WriteHeader(destination, KernelMessageType.ReleaseSlots, size);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], slots.Length);
        for (int i = 0; i < slots.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination[(FixedSize + (4 * i))..], slots[i]);
        }

        return size;
    }

    /// <summary>Reads and checks the message (the KMD's side): the slot indices, in order.</summary>
    public static KernelMessageError TryRead(ReadOnlySpan<byte> data, out int[] slots, out string? detail)
    {
        slots = [];
        detail = null;
        KernelMessageError error = KernelMessage.CheckHeader(data, KernelMessageType.ReleaseSlots, FixedSize, out int size);
        if (error != KernelMessageError.None)
        {
            detail = $"release slots: {error}";
            return error;
        }

        int count = BinaryPrimitives.ReadInt32LittleEndian(data[12..]);
        if (count is < 0 or > MaxCount || SizeFor(count) != size)
        {
            detail = $"release slots: count {count} does not fill the {size}-byte message";
            return KernelMessageError.BadField;
        }

        slots = new int[count];
        for (int i = 0; i < count; i++)
        {
            slots[i] = BinaryPrimitives.ReadInt32LittleEndian(data[(FixedSize + (4 * i))..]);
        }

        return KernelMessageError.None;
    }
}
