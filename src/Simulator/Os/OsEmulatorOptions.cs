using Miraflow.Pipeline.Sources;

namespace Miraflow.Simulator.Os;

/// <summary>Settings of an <see cref="OsEmulator"/>; <see cref="Validate"/> checks them.</summary>
public sealed class OsEmulatorOptions
{
    /// <summary>Bytes of an NV12 1920×1088 picture (1080p with the encoder's 16-row alignment): the default slot size.</summary>
    public const int Nv12_1920x1088 = 1920 * 1088 * 3 / 2;

    /// <summary>The longest frame-store path the reference protocol can carry (<c>FrameStoreInfo.SectionName</c>, 32 UTF-16 characters).</summary>
    public const int MaxFrameStorePathLength = 32;

    /// <summary>Slots in the frame store. Default 8.</summary>
    public int SlotCount { get; set; } = 8;

    /// <summary>Bytes per slot; a mode larger than a slot's NV12 picture is refused at monitor arrival. Default: NV12 1920×1088.</summary>
    public int SlotSize { get; set; } = Nv12_1920x1088;

    /// <summary>Where the frame-store file is created (tmpfs). Default <c>/dev/shm</c>; the whole path must fit 32 characters.</summary>
    public string FrameStoreDirectory { get; set; } = "/dev/shm";

    /// <summary>
    /// Chunks the OS queue holds for <c>GetNextChunkData</c> before it overflows (then every queued
    /// chunk is lost and the next call returns <c>STATUS_CONNECTION_RESET</c>, §2.12, §3.2). Default 64.
    /// </summary>
    public int ChunkQueueCapacity { get; set; } = 64;

    /// <summary>
    /// <c>COLOR_CONVERT_COMPLETE</c> chunks per frame: the picture's rows split evenly in even
    /// counts, part numbers 1 … N−1 in order and the last one 0 (§2.10). Default 1.
    /// </summary>
    public int PartsPerFrame { get; set; } = 1;

    /// <summary>Whether the simulated GPU queues a <c>FRAME_START</c> chunk before each frame's parts. Default false.</summary>
    public bool FrameStartChunks { get; set; }

    /// <summary>Whether the OS presents to the Miracast target once a monitor arrived (the GPU produces frames). Default true.</summary>
    public bool Presenting { get; set; } = true;

    /// <summary>
    /// Pictures for the simulated GPU instead of the moving test picture: raw <c>VideoFrame</c>s of
    /// the arrival's size (I420 or NV12). The GPU paces itself at the arrival's frame rate and
    /// reads one frame per tick, so give an unpaced source. The emulator does not dispose it.
    /// </summary>
    public IFrameSource? FrameSource { get; set; }

    /// <summary>Period of the <c>pfnDataRateNotify</c> calls (§2.11: about once per second). Default 1 s.</summary>
    public TimeSpan DataRateInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest allowed <c>StopMiracastSession</c> / <c>DestroyMiracastContext</c> (§2.5, §2.6, HLK: 3 s). Default 3 s.</summary>
    public TimeSpan LifecycleBudget { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Safety limit of the emulator (not Windows behaviour): how long a held <c>MiracastIoControl</c>
    /// or a deferred kernel message waits for Start to return before it fails with a recorded
    /// violation (a driver that waits for such a call inside Start deadlocks on Windows). Default 10 s.
    /// </summary>
    public TimeSpan HoldTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most <see cref="OsEmulator.Statistics"/> and <see cref="OsEmulator.IoControls"/> records
    /// kept, each (the oldest go first); 0 keeps all. Long runs (<c>miraflow stability</c> and
    /// <c>miraflow source</c>) set it, so the emulator's own memory stays flat (a session makes a
    /// few reports and one <c>ReleaseSlots</c> per picture); <see cref="OsEmulator.StatisticCount"/>,
    /// <see cref="OsEmulator.ProtocolEventCount"/>, <see cref="OsEmulator.FramesReportedSent"/> and
    /// <see cref="OsEmulator.LastEncodeRateKbps"/> count every report regardless. Default 0.
    /// </summary>
    public int MaxRecords { get; set; }

    /// <summary>
    /// How many frames' capture times <see cref="OsEmulator.TryGetCaptureTimestamp"/> remembers (the
    /// first ones; 8 bytes each). Default 2^20; long runs set 0.
    /// </summary>
    public int RecordedCaptures { get; set; } = SimulatedGpu.MaxRecordedCaptures;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        Check(SlotCount is >= 1 and <= 4096, $"{nameof(SlotCount)} must be 1 to 4096, not {SlotCount}.");
        Check(SlotSize >= 96, $"{nameof(SlotSize)} must be at least 96 bytes (an 8×8 NV12 picture), not {SlotSize}.");
        Check((long)SlotCount * SlotSize <= 4L * 1024 * 1024 * 1024, $"{SlotCount} slots of {SlotSize} bytes exceed the protocol's 4 GiB frame store.");
        Check(!string.IsNullOrEmpty(FrameStoreDirectory) && Path.IsPathRooted(FrameStoreDirectory), $"{nameof(FrameStoreDirectory)} must be an absolute path, not '{FrameStoreDirectory}'.");
        Check(FrameStoreDirectory.Length + "/miraflow-4194304-99".Length <= MaxFrameStorePathLength, $"{nameof(FrameStoreDirectory)} '{FrameStoreDirectory}' leaves no room for a file name within {MaxFrameStorePathLength} characters.");
        Check(ChunkQueueCapacity is >= 1 and <= 1_000_000, $"{nameof(ChunkQueueCapacity)} must be 1 to 1000000, not {ChunkQueueCapacity}.");
        Check(PartsPerFrame is >= 1 and <= 1024, $"{nameof(PartsPerFrame)} must be 1 to 1024 (ChunkDescriptor.MaxPartCount), not {PartsPerFrame}.");
        Check(DataRateInterval >= TimeSpan.FromMilliseconds(1) && DataRateInterval <= TimeSpan.FromMinutes(1), $"{nameof(DataRateInterval)} must be 1 ms to 1 min, not {DataRateInterval}.");
        Check(LifecycleBudget > TimeSpan.Zero, $"{nameof(LifecycleBudget)} must be positive, not {LifecycleBudget}.");
        Check(HoldTimeout > TimeSpan.Zero && HoldTimeout <= TimeSpan.FromMinutes(10), $"{nameof(HoldTimeout)} must be positive and at most 10 min, not {HoldTimeout}.");
        Check(MaxRecords >= 0, $"{nameof(MaxRecords)} must be 0 (all) or positive, not {MaxRecords}.");
        Check(RecordedCaptures >= 0, $"{nameof(RecordedCaptures)} must be 0 or positive, not {RecordedCaptures}.");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
