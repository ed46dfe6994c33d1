using Miraflow.Exports.Interop;
using Miraflow.Pipeline.Chunks;

namespace Miraflow.Simulator.Os;

/// <summary>One <c>ReportSessionStatus</c> call (§2.9).</summary>
/// <param name="Status">The reported session status.</param>
/// <param name="NtStatus">The diagnostic NTSTATUS.</param>
/// <param name="ThreadId">The calling thread's managed id.</param>
/// <param name="Timestamp">When it was reported (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</param>
public readonly record struct SessionStatusRecord(MIRACAST_STATUS Status, int NtStatus, int ThreadId, long Timestamp);

/// <summary>One <c>ReportStatistic</c> call (§2.10): a copy of the data.</summary>
/// <param name="Data">The statistic as the driver passed it.</param>
/// <param name="ThreadId">The calling thread's managed id.</param>
/// <param name="Timestamp">When it was reported (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</param>
public readonly record struct StatisticRecord(MIRACAST_STATISTIC_DATA Data, int ThreadId, long Timestamp);

/// <summary>One <c>MiracastIoControl</c> call (§2.8) and what the emulated KMD did with it.</summary>
/// <param name="Type">The reference-protocol message type, or null when the header was unreadable.</param>
/// <param name="Status">The NTSTATUS returned to the driver.</param>
/// <param name="ThreadId">The calling thread's managed id.</param>
/// <param name="StartInProgress">Whether it was processed on the Start thread while Start ran.</param>
/// <param name="Held">Whether it came from another thread while Start ran and was held until Start returned.</param>
/// <param name="SinceStartReturned">Time from Start's return to the call's arrival (negative for a call that arrived while Start ran, e.g. a held one), or null when Start had not returned when the call finished.</param>
/// <param name="Timestamp">When the call arrived (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</param>
public readonly record struct IoControlRecord(
    KernelMessageType? Type, int Status, int ThreadId, bool StartInProgress, bool Held, TimeSpan? SinceStartReturned, long Timestamp);
