using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Encoders;

/// <summary>
/// The "encoder" for GPU-encoded chunks: it checks each access unit and normalises it to what
/// WFD sinks need (protocol doc §3.4) — an access unit delimiter first, SPS and PPS in front of
/// every IDR — and after a lost picture holds the stream back until the next IDR.
/// </summary>
/// <remarks>
/// The GPU encoder cannot be told to make an IDR from here (that is the kernel driver's
/// business); after a drop, non-IDR units are discarded and counted until an IDR arrives, since
/// they reference a picture the sink never got. Not thread-safe; one per stream.
/// </remarks>
public sealed class PassThroughEncoder
{
    private static ReadOnlySpan<byte> Delimiter => [0x00, 0x00, 0x00, 0x01, 0x09, 0xF0];

    private readonly EncodedFramePool _pool;
    private byte[] _parameterSets = [];
    private volatile bool _waitForIdr = true;
    private PassThroughStatistics _stats;

    /// <summary>Creates a pass-through stage renting rewritten units from <paramref name="pool"/>.</summary>
    public PassThroughEncoder(EncodedFramePool? pool = null) => _pool = pool ?? new EncodedFramePool();

    /// <summary>What the stage has done.</summary>
    public PassThroughStatistics Statistics => _stats;

    /// <summary>A picture was lost upstream: hold the stream until the next IDR.</summary>
    public void OnPictureLost() => _waitForIdr = true;

    /// <summary>
    /// Checks and normalises one access unit. Returns the unit to send (the same object when it
    /// needed no change, otherwise a rewritten one, the input then disposed) or null when it was
    /// discarded (and disposed): not Annex-B, or a non-IDR while waiting for an IDR.
    /// </summary>
    public EncodedFrame? Process(EncodedFrame unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ReadOnlySpan<byte> data = unit.Data;
        if (!AccessUnitLayout.TryRead(data, out AccessUnitLayout layout) || layout.FirstSliceType == 0)
        {
            _stats.Malformed++;
            unit.Dispose();
            return null;
        }

        if (layout.HasSps && layout.HasPps)
        {
            ReadOnlySpan<byte> sets = data[layout.ParameterSetsStart..layout.ParameterSetsEnd];
            if (!sets.SequenceEqual(_parameterSets))
            {
                _parameterSets = sets.ToArray();
            }
        }

        if (_waitForIdr && !layout.IsIdr)
        {
            _stats.DiscardedWaitingForIdr++;
            unit.Dispose();
            return null;
        }

        _waitForIdr = false;
        bool addDelimiter = !layout.StartsWithDelimiter;
        bool addSets = layout.IsIdr && !(layout.HasSps && layout.HasPps) && _parameterSets.Length > 0;
        unit.IsIdr = layout.IsIdr;
        if (!addDelimiter && !addSets)
        {
            _stats.Passed++;
            return unit;
        }

        EncodedFrame rewritten = _pool.Rent();
        rewritten.CaptureTime = unit.CaptureTime;
        rewritten.FrameNumber = unit.FrameNumber;
        rewritten.PartNumber = unit.PartNumber;
        rewritten.DecodeTime = unit.DecodeTime;
        rewritten.EncodeDuration = unit.EncodeDuration;
        rewritten.IsIdr = layout.IsIdr;
        int split = layout.DelimiterEnd;
        rewritten.Write(data[..split]);
        if (addDelimiter)
        {
            rewritten.Write(Delimiter);
            _stats.DelimitersAdded++;
        }

        if (addSets)
        {
            rewritten.Write(_parameterSets);
            _stats.ParameterSetsAdded++;
        }

        rewritten.Write(data[split..]);
        unit.Dispose();
        _stats.Passed++;
        return rewritten;
    }
}

/// <summary>Counts of a <see cref="PassThroughEncoder"/>'s work.</summary>
public record struct PassThroughStatistics
{
    /// <summary>Units passed on (rewritten or not).</summary>
    public long Passed { get; set; }

    /// <summary>Units that were not Annex-B or held no slice.</summary>
    public long Malformed { get; set; }

    /// <summary>Non-IDR units discarded while waiting for an IDR.</summary>
    public long DiscardedWaitingForIdr { get; set; }

    /// <summary>Delimiters added.</summary>
    public long DelimitersAdded { get; set; }

    /// <summary>IDRs given the last SPS/PPS.</summary>
    public long ParameterSetsAdded { get; set; }
}
