namespace Miraflow.Pipeline.Control;

/// <summary>
/// A managed mirror of <c>MIRACAST_DATARATE_STATS</c> (contract doc §1.3), the argument of
/// <c>pfnDataRateNotify</c> that the OS passes about once a second (§2.11), plus
/// <see cref="IsAvailable"/> for the NULL pointer that means "QoS data is no longer available".
/// </summary>
/// <remarks>
/// <c>default(DataRateSample)</c> is <see cref="Unavailable"/>; every sample built with the
/// constructor is available.
/// </remarks>
public readonly record struct DataRateSample
{
    /// <summary>An available sample with the six <c>UINT64</c> fields of the structure, in its order.</summary>
    /// <param name="encoderBitRate"><c>EncoderBitRate</c>: bit/s the OS recommends for the A/V encoder.</param>
    /// <param name="currentMaxTxDataRate"><c>CurrentMaxTxDataRate</c>: theoretical max bit/s reported by the Wi-Fi driver.</param>
    /// <param name="transmittedFrameCount"><c>TransmittedFrameCount</c>: Wi-Fi frames sent with zero retries since the last step.</param>
    /// <param name="failedFrameCount"><c>FailedFrameCount</c>: frames that exhausted the max retries since the last step.</param>
    /// <param name="retriedFrameCount"><c>RetriedFrameCount</c>: frames that succeeded after exactly one retry.</param>
    /// <param name="multipleRetryFrameCount"><c>MultipleRetryFrameCount</c>: frames that succeeded after more than one retry.</param>
    public DataRateSample(
        ulong encoderBitRate,
        ulong currentMaxTxDataRate,
        ulong transmittedFrameCount = 0,
        ulong failedFrameCount = 0,
        ulong retriedFrameCount = 0,
        ulong multipleRetryFrameCount = 0)
    {
        EncoderBitRate = encoderBitRate;
        CurrentMaxTxDataRate = currentMaxTxDataRate;
        TransmittedFrameCount = transmittedFrameCount;
        FailedFrameCount = failedFrameCount;
        RetriedFrameCount = retriedFrameCount;
        MultipleRetryFrameCount = multipleRetryFrameCount;
        IsAvailable = true;
    }

    /// <summary>The sample for a NULL <c>pDataRateStats</c>: QoS data has become unavailable and no further notifications follow.</summary>
    public static DataRateSample Unavailable => default;

    /// <summary>False for a NULL <c>pDataRateStats</c> (all other fields are then 0).</summary>
    public bool IsAvailable { get; }

    /// <summary><c>EncoderBitRate</c>: bit/s the OS recommends for the A/V encoder (the available rate the controller adapts to).</summary>
    public ulong EncoderBitRate { get; }

    /// <summary><c>CurrentMaxTxDataRate</c>: theoretical max bit/s reported by the Wi-Fi driver.</summary>
    public ulong CurrentMaxTxDataRate { get; }

    /// <summary><c>TransmittedFrameCount</c>: Wi-Fi frames sent with zero retries since the last step.</summary>
    public ulong TransmittedFrameCount { get; }

    /// <summary><c>FailedFrameCount</c>: frames that exhausted the max retries since the last step.</summary>
    public ulong FailedFrameCount { get; }

    /// <summary><c>RetriedFrameCount</c>: frames that succeeded after exactly one retry.</summary>
    public ulong RetriedFrameCount { get; }

    /// <summary><c>MultipleRetryFrameCount</c>: frames that succeeded after more than one retry.</summary>
    public ulong MultipleRetryFrameCount { get; }
}
