using Miraflow.Pipeline.Encoders.OpenH264;
using Miraflow.Rtsp.Negotiation;
using Miraflow.Rtsp.Parameters;

namespace Miraflow.Pipeline.Control;

/// <summary>
/// Adapts the encoder bitrate to the OS data-rate notifications (contract doc §2.11) and says when
/// the negotiated mode can no longer be carried. Sans-IO: samples in, <see cref="IBitrateTarget"/>
/// calls and <see cref="BitrateDecision"/> results out, time from a <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>
/// The available rate is the sample's <see cref="DataRateSample.EncoderBitRate"/>. The aim is
/// <see cref="BitrateControllerOptions.HeadroomPercent"/> (90 %) of it, clamped to
/// [<see cref="Floor"/>, <see cref="Ceiling"/>], where the ceiling is the lower of the configured
/// ceiling and the negotiated level's maximum (Table A-1 MaxBR × 1200, the peak the encoder accepts).
/// </para>
/// <para>
/// Down quickly: once the target is above headroom + dead band (95 %) of the available rate, it
/// goes straight to the aim within the same call, so the encoder has it at its next picture.
/// Up slowly: the aim must stay at least a dead band above the target for
/// <see cref="BitrateControllerOptions.IncreaseHoldTime"/>; the target then rises to the aim of
/// the lowest sample seen during the hold, by at most
/// <see cref="BitrateControllerOptions.IncreaseStepPercent"/>, and the hold starts again. Noise
/// smaller than the dead band never moves the target. The peak passed with each change is the
/// available rate, clamped to [target, ceiling].
/// </para>
/// <para>
/// Insufficient bandwidth: <see cref="BitrateControllerOptions.InsufficientSampleCount"/> (3)
/// consecutive samples below <see cref="BandwidthModel.RequiredBitrate(VideoMode)"/> of the mode
/// set <see cref="BitrateDecision.InsufficientBandwidth"/> once; a sample at or above the need
/// resets the count. An unavailable sample stops adapting for good (no further notifications
/// follow) and keeps the last target.
/// </para>
/// <para>
/// Thread-safe: calls are serialised under a lock, and <see cref="IBitrateTarget.SetBitrate"/>
/// is called inside it so the encoder sees the decisions in order; the target must not call back.
/// </para>
/// </remarks>
public sealed class BitrateController
{
    private readonly Lock _gate = new();
    private readonly IBitrateTarget _target;
    private readonly TimeProvider _time;
    private readonly BitrateControllerOptions _options;
    private int _current;
    private int _max;
    private int _lowCount;
    private bool _insufficientReported;
    private bool _qosAvailable = true;
    private long _upSince = -1;
    private long _upMinimumAvailable;

    /// <summary>Creates a controller for one session.</summary>
    /// <param name="target">The encoder's rate control.</param>
    /// <param name="format">The negotiated format: its mode gives the need, its level the maximum.</param>
    /// <param name="initialBitrate">The target the encoder was created with (clamped, not re-applied).</param>
    /// <param name="options">Tuning; null for the defaults.</param>
    /// <param name="timeProvider">The clock for the increase hold; null for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, the level is not one R1 level, or the floor is above the level's maximum.</exception>
    public BitrateController(
        IBitrateTarget target,
        NegotiatedFormat format,
        int initialBitrate,
        BitrateControllerOptions? options = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(format);
        _options = options ?? new BitrateControllerOptions();
        _options.Validate();
        _target = target;
        _time = timeProvider ?? TimeProvider.System;

        int levelMax = OpenH264Encoder.LevelMaxBitrate(format.Level);
        if (levelMax == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(format), format.Level, "One level: 3.1, 3.2, 4.0, 4.1 or 4.2.");
        }

        Ceiling = _options.CeilingBitrate == 0 ? levelMax : Math.Min(levelMax, _options.CeilingBitrate);
        Floor = _options.FloorBitrate;
        if (Floor > Ceiling)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Floor, $"The floor is above level {H264LevelLimits.ToDisplayString(format.Level)}'s {levelMax} bit/s.");
        }

        RequiredBitrate = BandwidthModel.RequiredBitrate(format.Mode);
        _current = Math.Clamp(initialBitrate, Floor, Ceiling);
        _max = Ceiling;
    }

    /// <summary>The lowest target: the configured floor.</summary>
    public int Floor { get; }

    /// <summary>The highest target and peak: the configured ceiling or the level's maximum, whichever is lower.</summary>
    public int Ceiling { get; }

    /// <summary>The bit/s the negotiated mode needs (<see cref="BandwidthModel"/>); less for 3 samples is insufficient.</summary>
    public long RequiredBitrate { get; }

    /// <summary>The encoder target in force, in bit/s.</summary>
    public int Target
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>True once insufficient bandwidth has been reported (it stays true).</summary>
    public bool IsBandwidthInsufficient
    {
        get
        {
            lock (_gate)
            {
                return _insufficientReported;
            }
        }
    }

    /// <summary>False once an unavailable sample arrived; the controller then no longer adapts.</summary>
    public bool IsQosAvailable
    {
        get
        {
            lock (_gate)
            {
                return _qosAvailable;
            }
        }
    }

    /// <summary>
    /// Takes one OS sample: moves the encoder target if needed (before returning) and says whether
    /// this sample made the bandwidth insufficient.
    /// </summary>
    public BitrateDecision OnDataRate(DataRateSample sample)
    {
        lock (_gate)
        {
            if (!_qosAvailable)
            {
                return new BitrateDecision(_current, _max, BitrateChange.Ignored, false);
            }

            if (!sample.IsAvailable)
            {
                _qosAvailable = false;
                _lowCount = 0;
                _upSince = -1;
                return new BitrateDecision(_current, _max, BitrateChange.Unavailable, false);
            }

            // Beyond int.MaxValue bit/s nothing changes (every clamp is below it), and long
            // arithmetic on it cannot overflow.
            long available = (long)Math.Min(sample.EncoderBitRate, (ulong)int.MaxValue);

            bool insufficientNow = false;
            if (available < RequiredBitrate)
            {
                if (_lowCount < _options.InsufficientSampleCount)
                {
                    _lowCount++;
                }

                if (_lowCount >= _options.InsufficientSampleCount && !_insufficientReported)
                {
                    _insufficientReported = true;
                    insufficientNow = true;
                }
            }
            else
            {
                _lowCount = 0;
            }

            BitrateChange change = Adapt(available);
            return new BitrateDecision(_current, _max, change, insufficientNow);
        }
    }

    private BitrateChange Adapt(long available)
    {
        long aim = Aim(available);
        long current = _current;

        // Down: the target uses more than headroom + dead band of what the link carries.
        if (aim < current && current * 100 > available * (_options.HeadroomPercent + _options.DeadbandPercent))
        {
            _upSince = -1;
            Apply((int)aim, available);
            return BitrateChange.Decreased;
        }

        // Up: only when the aim is a dead band above the target, for the whole hold time.
        if (aim * 100 < current * (100 + _options.DeadbandPercent) || current >= Ceiling)
        {
            _upSince = -1;
            return BitrateChange.None;
        }

        long now = _time.GetTimestamp();
        if (_upSince < 0)
        {
            _upSince = now;
            _upMinimumAvailable = available;
        }
        else
        {
            _upMinimumAvailable = Math.Min(_upMinimumAvailable, available);
        }

        if (_time.GetElapsedTime(_upSince, now) < _options.IncreaseHoldTime)
        {
            return BitrateChange.None;
        }

        long step = current + (current * _options.IncreaseStepPercent / 100);
        long raised = Math.Min(Aim(_upMinimumAvailable), step);
        _upSince = now;
        _upMinimumAvailable = available;
        if (raised <= current)
        {
            return BitrateChange.None;
        }

        Apply((int)raised, available);
        return BitrateChange.Increased;
    }

    private long Aim(long available) => Math.Clamp(available * _options.HeadroomPercent / 100, Floor, Ceiling);

    private void Apply(int target, long available)
    {
        int max = (int)Math.Clamp(available, target, Ceiling);
        _target.SetBitrate(target, max);
        _current = target;
        _max = max;
    }
}
