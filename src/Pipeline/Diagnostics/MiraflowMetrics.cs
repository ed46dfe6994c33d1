using System.Diagnostics.Metrics;

namespace Miraflow.Pipeline.Diagnostics;

/// <summary>
/// The pipeline's <see cref="System.Diagnostics.Metrics"/> instruments on a meter named
/// <see cref="MeterName"/>: frame, byte and IDR counters and a latency histogram.
/// </summary>
/// <remarks>
/// Every <c>Record…</c> method is allocation-free (no tags) and thread-safe, so stages call them
/// per frame. With an <see cref="IMeterFactory"/> (DI) the factory creates and owns the meter;
/// without one the meter is created here and <see cref="Dispose"/> disposes it.
/// </remarks>
public sealed class MiraflowMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Miraflow.Pipeline";

    /// <summary>Counter: pictures that entered the pipeline (captured or read).</summary>
    public const string FramesInName = "frames_in";

    /// <summary>Counter: access units the encoder produced (or passed through).</summary>
    public const string FramesEncodedName = "frames_encoded";

    /// <summary>Counter: access units sent to the sink.</summary>
    public const string FramesSentName = "frames_sent";

    /// <summary>Counter: pictures or access units dropped anywhere in the pipeline.</summary>
    public const string FramesDroppedName = "frames_dropped";

    /// <summary>Counter: bytes sent to the sink (UDP payload).</summary>
    public const string BytesSentName = "bytes_sent";

    /// <summary>Counter: IDR access units sent.</summary>
    public const string IdrFramesName = "idr_frames";

    /// <summary>Histogram: capture to send, in milliseconds.</summary>
    public const string PipelineLatencyName = "pipeline_latency";

    private readonly bool _ownsMeter;
    private readonly Counter<long> _framesIn;
    private readonly Counter<long> _framesEncoded;
    private readonly Counter<long> _framesSent;
    private readonly Counter<long> _framesDropped;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _idrFrames;
    private readonly Histogram<double> _latency;

    /// <summary>Creates the instruments.</summary>
    /// <param name="meterFactory">The DI meter factory, which then owns the meter; null to create the meter here.</param>
    public MiraflowMetrics(IMeterFactory? meterFactory = null)
    {
        if (meterFactory is null)
        {
            Meter = new Meter(MeterName);
            _ownsMeter = true;
        }
        else
        {
            Meter = meterFactory.Create(new MeterOptions(MeterName));
        }

        _framesIn = Meter.CreateCounter<long>(FramesInName, "{frame}", "Pictures that entered the pipeline.");
        _framesEncoded = Meter.CreateCounter<long>(FramesEncodedName, "{frame}", "Access units produced by the encoder.");
        _framesSent = Meter.CreateCounter<long>(FramesSentName, "{frame}", "Access units sent to the sink.");
        _framesDropped = Meter.CreateCounter<long>(FramesDroppedName, "{frame}", "Pictures or access units dropped.");
        _bytesSent = Meter.CreateCounter<long>(BytesSentName, "By", "Bytes sent to the sink.");
        _idrFrames = Meter.CreateCounter<long>(IdrFramesName, "{frame}", "IDR access units sent.");
        _latency = Meter.CreateHistogram<double>(PipelineLatencyName, "ms", "Time from capture to send.");
    }

    /// <summary>The meter the instruments belong to.</summary>
    public Meter Meter { get; }

    /// <summary>Counts pictures entering the pipeline.</summary>
    public void RecordFramesIn(long count = 1) => _framesIn.Add(count);

    /// <summary>Counts encoded access units.</summary>
    public void RecordFramesEncoded(long count = 1) => _framesEncoded.Add(count);

    /// <summary>Counts access units sent.</summary>
    public void RecordFramesSent(long count = 1) => _framesSent.Add(count);

    /// <summary>Counts dropped pictures or access units.</summary>
    public void RecordFramesDropped(long count = 1) => _framesDropped.Add(count);

    /// <summary>Counts bytes sent.</summary>
    public void RecordBytesSent(long bytes) => _bytesSent.Add(bytes);

    /// <summary>Counts IDR access units sent.</summary>
    public void RecordIdrFrames(long count = 1) => _idrFrames.Add(count);

    /// <summary>Records one frame's capture-to-send latency.</summary>
    public void RecordPipelineLatency(TimeSpan latency) => _latency.Record(latency.TotalMilliseconds);

    /// <summary>Records one frame's capture-to-send latency in milliseconds.</summary>
    public void RecordPipelineLatency(double milliseconds) => _latency.Record(milliseconds);

    /// <summary>Disposes the meter when it was created here (a factory disposes its own).</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }
}
