namespace Miraflow.Simulator.Sink;

/// <summary>
/// What a sink had received at one instant (<see cref="SinkEmulator.Recording"/>): the counters,
/// the pictures' arrivals and the capture describe the same datagrams, even while a source is
/// still sending (some keep sending for a moment after answering TEARDOWN).
/// </summary>
/// <param name="Statistics">The receiver's counters.</param>
/// <param name="IdrRecovery">The IDR requests sent and the pictures' recoveries.</param>
/// <param name="VideoPesCount">Video PES (pictures) seen, the last one possibly cut short.</param>
/// <param name="VideoPesArrivals">When each video PES arrived (<see cref="System.Diagnostics.Stopwatch"/> timestamps), the last one included; bounded by <see cref="SinkEmulatorOptions.RecordedArrivals"/>.</param>
/// <param name="Capture">The TS bytes kept, or null when they went to <see cref="SinkEmulatorOptions.CaptureFile"/> (which then holds exactly <see cref="SinkStatistics.CapturedBytes"/> of them).</param>
/// <param name="CaptureError">Why writing <see cref="SinkEmulatorOptions.CaptureFile"/> failed (it keeps what was written before), or null.</param>
public sealed record SinkRecording(
    SinkStatistics Statistics,
    IdrRecoveryStatistics IdrRecovery,
    long VideoPesCount,
    long[] VideoPesArrivals,
    byte[]? Capture,
    string? CaptureError);
