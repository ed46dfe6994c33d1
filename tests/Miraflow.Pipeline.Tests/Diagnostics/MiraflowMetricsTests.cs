using System.Diagnostics.Metrics;
using Miraflow.Pipeline.Diagnostics;
using Miraflow.Pipeline.Tests.Control;

namespace Miraflow.Pipeline.Tests.Diagnostics;

/// <summary>The pipeline meter (issue 5): names, units, recorded values seen by a listener, no allocation, DI factory ownership.</summary>
[Trait("Category", "unit")]
[Collection(SerialUnitTests.Name)]
public sealed class MiraflowMetricsTests
{
    [Fact]
    public void The_meter_and_instruments_have_the_documented_names_and_units()
    {
        using var metrics = new MiraflowMetrics();
        using var listener = new Recorder(metrics.Meter);
        Assert.Equal("Miraflow.Pipeline", metrics.Meter.Name);
        Assert.Equal(
            ["bytes_sent:By:Counter`1", "frames_dropped:{frame}:Counter`1", "frames_encoded:{frame}:Counter`1", "frames_in:{frame}:Counter`1", "frames_sent:{frame}:Counter`1", "idr_frames:{frame}:Counter`1", "pipeline_latency:ms:Histogram`1"],
            listener.Instruments.Select(i => $"{i.Name}:{i.Unit}:{i.GetType().Name}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_listener_sees_every_recorded_value()
    {
        using var metrics = new MiraflowMetrics();
        using var listener = new Recorder(metrics.Meter);
        metrics.RecordFramesIn();
        metrics.RecordFramesIn(2);
        metrics.RecordFramesEncoded(3);
        metrics.RecordFramesSent();
        metrics.RecordFramesDropped(4);
        metrics.RecordBytesSent(1316);
        metrics.RecordBytesSent(188);
        metrics.RecordIdrFrames();
        metrics.RecordPipelineLatency(TimeSpan.FromMicroseconds(16_500));
        metrics.RecordPipelineLatency(2.25);

        Assert.Equal(3, listener.Sum("frames_in"));
        Assert.Equal(3, listener.Sum("frames_encoded"));
        Assert.Equal(1, listener.Sum("frames_sent"));
        Assert.Equal(4, listener.Sum("frames_dropped"));
        Assert.Equal(1504, listener.Sum("bytes_sent"));
        Assert.Equal(1, listener.Sum("idr_frames"));
        Assert.Equal([16.5, 2.25], listener.Latencies);
    }

    [Fact]
    public void Recording_allocates_nothing_with_or_without_a_listener()
    {
        using var metrics = new MiraflowMetrics();
        Assert.Equal(0, AllocatedWhileRecording(metrics));
        using var listener = new Recorder(metrics.Meter, keepLatencies: false);
        Assert.Equal(0, AllocatedWhileRecording(metrics));
        Assert.Equal(10_100, listener.Sum("frames_in")); // warm-up and measured run after the listener started
    }

    [Fact]
    public void A_factory_creates_and_owns_the_meter()
    {
        using var factory = new TestMeterFactory();
        var metrics = new MiraflowMetrics(factory);
        Assert.Same(factory.Created.Single(), metrics.Meter);
        Assert.Equal("Miraflow.Pipeline", metrics.Meter.Name);

        using var listener = new Recorder(metrics.Meter);
        metrics.Dispose();
        metrics.RecordFramesSent();
        Assert.Equal(1, listener.Sum("frames_sent")); // still published: the factory owns the meter
    }

    [Fact]
    public void Disposing_a_meter_created_here_unpublishes_the_instruments()
    {
        var metrics = new MiraflowMetrics();
        using var listener = new Recorder(metrics.Meter);
        metrics.Dispose();
        metrics.RecordFramesSent();
        Assert.Equal(0, listener.Sum("frames_sent"));
    }

    private static long AllocatedWhileRecording(MiraflowMetrics metrics)
    {
        Record(metrics, 100); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        Record(metrics, 10_000);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void Record(MiraflowMetrics metrics, int frames)
    {
        for (int i = 0; i < frames; i++)
        {
            metrics.RecordFramesIn();
            metrics.RecordFramesEncoded();
            metrics.RecordFramesSent();
            metrics.RecordFramesDropped();
            metrics.RecordBytesSent(1316);
            metrics.RecordIdrFrames();
            metrics.RecordPipelineLatency(TimeSpan.FromTicks(i));
            metrics.RecordPipelineLatency(i);
        }
    }

    /// <summary>Listens to one meter instance only (tests run in parallel, each with its own meter of the same name).</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long[]> _sums = [];
        private readonly bool _keepLatencies;
        private readonly List<double> _latencies = [];

        public Recorder(Meter meter, bool keepLatencies = true)
        {
            _keepLatencies = keepLatencies;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    lock (Instruments)
                    {
                        Instruments.Add(instrument);
                        _sums[instrument.Name] = new long[1];
                    }

                    listener.EnableMeasurementEvents(instrument, _sums[instrument.Name]);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, state) => Interlocked.Add(ref ((long[])state!)[0], value));
            _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
            {
                if (_keepLatencies)
                {
                    lock (_latencies)
                    {
                        _latencies.Add(value);
                    }
                }
            });
            _listener.Start();
        }

        public List<Instrument> Instruments { get; } = [];

        public List<double> Latencies
        {
            get
            {
                lock (_latencies)
                {
                    return [.. _latencies];
                }
            }
        }

        public long Sum(string name) => Interlocked.Read(ref _sums[name][0]);

        public void Dispose() => _listener.Dispose();
    }

    private sealed class TestMeterFactory : IMeterFactory
    {
        public List<Meter> Created { get; } = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            Created.Add(meter);
            return meter;
        }

        public void Dispose()
        {
            foreach (Meter meter in Created)
            {
                meter.Dispose();
            }
        }
    }
}
