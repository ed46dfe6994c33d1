using System.Runtime.CompilerServices;
using Miraflow.Pipeline.Media;

namespace Miraflow.Pipeline.Ts;

/// <summary>
/// The MPEG-2 transport stream muxer for Wi-Fi Display: turns H.264 access units and audio
/// frames into 188-byte packets with the Android source's layout (protocol doc §3), written in
/// place into an <see cref="ITsPacketSink"/>.
/// </summary>
/// <remarks>
/// <para>Per media unit it writes, in order:</para>
/// <list type="number">
/// <item>PAT, PMT and a PCR packet, when they are due: before the first unit, before every IDR,
/// and early enough that the gap never exceeds <see cref="TsMuxerOptions.PsiInterval"/> (it
/// assumes the next unit comes at most twice the last gap later; when none comes, the caller's
/// timer calls <see cref="WritePsiIfStale"/>, as <c>MediaPipeline</c> does);</item>
/// <item>one PES packet, data-aligned, PTS = capture time + presentation delay (and a DTS when
/// it differs), split over as many TS packets as needed, the last one padded with
/// adaptation-field stuffing.</item>
/// </list>
/// <para>Video access units get an access unit delimiter when they do not start with one, and
/// SPS/PPS in front of an IDR that lacks them (the last ones seen), so every IDR can be decoded
/// on its own (§3.4). The PCR is <c>now</c> on the same 27 MHz clock as the capture times.</para>
/// <para>A muxer is not thread-safe: one per stream, used by one stage. In steady state it
/// allocates nothing.</para>
/// </remarks>
public sealed class TsMuxer
{
    /// <summary>The largest video access unit accepted (bad input beyond it is refused).</summary>
    public const int MaxAccessUnitSize = 16 * 1024 * 1024;

    /// <summary>The largest audio frame accepted: its PES must state its length in 16 bits.</summary>
    public const int MaxAudioFrameSize = 0xFFFF - 3 - 5 - LpcmAudio.HeaderSize;

    private static ReadOnlySpan<byte> Delimiter => [0x00, 0x00, 0x00, 0x01, 0x09, 0xF0];

    private readonly TsMuxerOptions _options;
    private readonly long _psiIntervalTicks;
    private readonly TimeSpan _presentationDelay;
    private byte[] _parameterSets = new byte[256];
    private int _parameterSetsLength;
    private byte[] _prefix = new byte[256 + 6];
    private byte[] _audio = new byte[LpcmAudio.HeaderSize + 1920];
    private readonly byte[] _pesHeader = new byte[PesHeader.SizeWithPtsDts];
    private AvcProfileLevel _video;
    private int _psiVersion;
    private bool _psiChanged = true;
    private long _lastPsi = long.MinValue;
    private long _lastUnit = long.MinValue;
    private long _lastGap;
    private int _ccPat;
    private int _ccPmt;
    private int _ccVideo;
    private int _ccAudio;
    private TsMuxerStatistics _stats;

    /// <summary>Creates a muxer; the options are validated and copied.</summary>
    public TsMuxer(TsMuxerOptions? options = null)
    {
        _options = options ?? new TsMuxerOptions();
        _options.Validate();
        _psiIntervalTicks = MediaTime.FromTimeSpan(_options.PsiInterval).Ticks;
        _presentationDelay = _options.PresentationDelay;
        _video = _options.Video;
        _psiVersion = _options.PsiVersion;
    }

    /// <summary>The audio stream announced in the PMT.</summary>
    public TsAudio Audio => _options.Audio;

    /// <summary>The profile and level announced in the PMT's AVC descriptor.</summary>
    public AvcProfileLevel Video => _video;

    /// <summary>The PSI version_number in use.</summary>
    public int PsiVersion => _psiVersion;

    /// <summary>What the muxer has written so far.</summary>
    public TsMuxerStatistics Statistics => _stats;

    /// <summary>The most time allowed between two PAT/PMT/PCR emissions (the options' <see cref="TsMuxerOptions.PsiInterval"/>).</summary>
    public TimeSpan PsiInterval => _options.PsiInterval;

    /// <summary>
    /// Writes one H.264 access unit (Annex-B byte stream) as one PES on <see cref="TsPid.Video"/>.
    /// </summary>
    /// <param name="sink">Where the packets go.</param>
    /// <param name="accessUnit">One whole access unit, Annex-B, with or without delimiter and parameter sets.</param>
    /// <param name="presentationTime">The picture's capture time.</param>
    /// <param name="decodeTime">Its decode time (the capture time too, unless frames are reordered).</param>
    /// <param name="now">The current time on the same clock, for the PCR.</param>
    /// <exception cref="ArgumentException">The unit is empty, too large, or not Annex-B; nothing was written.</exception>
    public void WriteVideo<TSink>(ref TSink sink, ReadOnlySpan<byte> accessUnit, MediaTime presentationTime, MediaTime decodeTime, MediaTime now)
        where TSink : ITsPacketSink, allows ref struct
    {
        if (accessUnit.IsEmpty || accessUnit.Length > MaxAccessUnitSize)
        {
            throw new ArgumentException($"An access unit must hold 1 to {MaxAccessUnitSize} bytes; this one holds {accessUnit.Length}.", nameof(accessUnit));
        }

        if (!AccessUnitLayout.TryRead(accessUnit, out AccessUnitLayout layout))
        {
            throw new ArgumentException("The access unit holds no Annex-B start code (00 00 01).", nameof(accessUnit));
        }

        if (layout.HasSps && layout.HasPps)
        {
            RememberParameterSets(accessUnit, layout);
        }

        // The delimiter comes first; SPS/PPS go right after it when an IDR lacks them.
        int split = layout.DelimiterEnd;
        int prefixLength = 0;
        if (!layout.StartsWithDelimiter)
        {
            Delimiter.CopyTo(_prefix);
            prefixLength = Delimiter.Length;
            _stats.DelimitersInserted++;
        }

        if (layout.IsIdr && !(layout.HasSps && layout.HasPps))
        {
            if (_parameterSetsLength > 0)
            {
                _parameterSets.AsSpan(0, _parameterSetsLength).CopyTo(_prefix.AsSpan(prefixLength));
                prefixLength += _parameterSetsLength;
                _stats.ParameterSetsInserted++;
            }
            else
            {
                _stats.IdrWithoutParameterSets++;
            }
        }

        WritePsiIfDue(ref sink, now, force: layout.IsIdr);

        ReadOnlySpan<byte> prefix = _prefix.AsSpan(0, prefixLength);
        Span<byte> header = _pesHeader;
        int headerLength = PesHeader.Write(header, PesHeader.VideoStreamId, prefixLength + accessUnit.Length, presentationTime + _presentationDelay, decodeTime + _presentationDelay);
        var payload = new SegmentedPayload(header[..headerLength], accessUnit[..split], prefix, accessUnit[split..]);
        WritePes(ref sink, TsPid.Video, ref _ccVideo, ref payload);
        sink.EndOfUnit(endOfFrame: true);
        _stats.VideoUnits++;
        if (layout.IsIdr)
        {
            _stats.IdrUnits++;
        }
    }

    /// <summary>
    /// Writes one audio frame as one PES on <see cref="TsPid.Audio"/>: for LPCM, 16-bit
    /// little-endian interleaved stereo samples (converted to the big-endian WFD form behind its
    /// 4-byte header); for AAC, one or more whole ADTS frames.
    /// </summary>
    /// <param name="sink">Where the packets go.</param>
    /// <param name="frame">The samples or ADTS frames.</param>
    /// <param name="presentationTime">The capture time of the first sample.</param>
    /// <param name="now">The current time on the same clock, for the PCR.</param>
    /// <exception cref="InvalidOperationException">The muxer has no audio stream.</exception>
    /// <exception cref="ArgumentException">The frame is empty, too large or malformed; nothing was written.</exception>
    public void WriteAudio<TSink>(ref TSink sink, ReadOnlySpan<byte> frame, MediaTime presentationTime, MediaTime now)
        where TSink : ITsPacketSink, allows ref struct
    {
        TsAudio audio = _options.Audio;
        if (!audio.IsPresent)
        {
            throw new InvalidOperationException("This muxer was configured without audio (TsAudio.None).");
        }

        if (frame.IsEmpty || frame.Length > MaxAudioFrameSize)
        {
            throw new ArgumentException($"An audio frame must hold 1 to {MaxAudioFrameSize} bytes; this one holds {frame.Length}.", nameof(frame));
        }

        ReadOnlySpan<byte> body;
        byte streamId;
        if (audio.Codec == TsAudioCodec.Lpcm)
        {
            if (frame.Length % LpcmAudio.BytesPerSampleFrame != 0)
            {
                throw new ArgumentException($"LPCM frames hold whole 16-bit stereo sample frames (4 bytes each); {frame.Length} bytes do not.", nameof(frame));
            }

            int length = LpcmAudio.HeaderSize + frame.Length;
            if (_audio.Length < length)
            {
                _audio = new byte[length];
            }

            Span<byte> lpcm = _audio.AsSpan(0, length);
            LpcmAudio.WriteHeader(lpcm, audio.SampleRate, frame.Length / LpcmAudio.BytesPerSampleFrame);
            LpcmAudio.CopyToBigEndian(frame, lpcm[LpcmAudio.HeaderSize..]);
            body = lpcm;
            streamId = PesHeader.PrivateStream1;
        }
        else
        {
            if (frame.Length < 7 || frame[0] != 0xFF || (frame[1] & 0xF0) != 0xF0)
            {
                throw new ArgumentException("AAC frames must be ADTS (sync word 0xFFF).", nameof(frame));
            }

            body = frame;
            streamId = PesHeader.AudioStreamId;
        }

        WritePsiIfDue(ref sink, now, force: false);

        MediaTime pts = presentationTime + _presentationDelay;
        Span<byte> header = _pesHeader;
        int headerLength = PesHeader.Write(header, streamId, body.Length, pts, pts);
        var payload = new SegmentedPayload(header[..headerLength], body, default, default);
        WritePes(ref sink, TsPid.Audio, ref _ccAudio, ref payload);
        sink.EndOfUnit(endOfFrame: false);
        _stats.AudioUnits++;
    }

    /// <summary>
    /// Announces a new video profile/level (a mid-session format change): the PMT gets a new
    /// version and PSI goes out before the next unit.
    /// </summary>
    public void ChangeVideo(AvcProfileLevel video)
    {
        if (video != _video)
        {
            _video = video;
            if (_lastPsi != long.MinValue)
            {
                // Sinks act on a PMT only when its version changes.
                _psiVersion = (_psiVersion + 1) & 0x1F;
            }

            _psiChanged = true;
        }
    }

    private void RememberParameterSets(ReadOnlySpan<byte> accessUnit, AccessUnitLayout layout)
    {
        ReadOnlySpan<byte> sets = accessUnit[layout.ParameterSetsStart..layout.ParameterSetsEnd];
        if (!sets.SequenceEqual(_parameterSets.AsSpan(0, _parameterSetsLength)))
        {
            if (sets.Length > _parameterSets.Length)
            {
                _parameterSets = new byte[sets.Length];
                _prefix = new byte[sets.Length + Delimiter.Length];
            }

            sets.CopyTo(_parameterSets);
            _parameterSetsLength = sets.Length;
        }

        ReadOnlySpan<byte> sps = accessUnit[layout.SpsStart..layout.SpsEnd];
        if (sps.Length >= 4)
        {
            // Header byte, then profile_idc, constraint flags, level_idc (H.264 §7.3.2.1.1).
            ChangeVideo(new AvcProfileLevel(sps[1], sps[2], sps[3]));
        }
    }

    /// <summary>
    /// Between units: writes PAT, PMT and a PCR packet on their own when half the
    /// <see cref="PsiInterval"/> has passed since the last ones, and ends the unit. Before the
    /// first unit it writes nothing (the stream has not begun). Called on a timer when no unit
    /// comes (a stalled encoder, a starved capture), so the gap stays bounded even then.
    /// </summary>
    /// <returns>Whether anything was written.</returns>
    public bool WritePsiIfStale<TSink>(ref TSink sink, MediaTime now)
        where TSink : ITsPacketSink, allows ref struct
    {
        if (_lastPsi == long.MinValue || (now.Ticks - _lastPsi) * 2 < _psiIntervalTicks)
        {
            return false;
        }

        WritePsi(ref sink, now);
        sink.EndOfUnit(endOfFrame: false);
        _stats.PsiHeartbeats++;
        return true;
    }

    private void WritePsiIfDue<TSink>(ref TSink sink, MediaTime now, bool force)
        where TSink : ITsPacketSink, allows ref struct
    {
        long t = now.Ticks;
        if (_lastUnit != long.MinValue)
        {
            _lastGap = Math.Clamp(t - _lastUnit, 0, _psiIntervalTicks);
        }

        _lastUnit = t;
        bool first = _lastPsi == long.MinValue;
        long elapsed = first ? 0 : t - _lastPsi;
        bool due = force || _psiChanged || first || elapsed < 0 || elapsed + (2 * _lastGap) >= _psiIntervalTicks;
        if (due)
        {
            WritePsi(ref sink, now);
        }
    }

    private void WritePsi<TSink>(ref TSink sink, MediaTime now)
        where TSink : ITsPacketSink, allows ref struct
    {
        long t = now.Ticks;
        PsiWriter.WritePat(sink.NextPacket(), _ccPat, _psiVersion);
        _ccPat = (_ccPat + 1) & 0xF;
        PsiWriter.WritePmt(sink.NextPacket(), _ccPmt, _video, _options.Audio, _psiVersion);
        _ccPmt = (_ccPmt + 1) & 0xF;
        PcrPacket.Write(sink.NextPacket(), 0, now);
        _lastPsi = t;
        _psiChanged = false;
        _stats.PsiEmissions++;
        _stats.Packets += 3;
    }

    /// <summary>
    /// Splits one PES (header and payload) over TS packets: PUSI on the first, a continuity
    /// counter step on each, and adaptation-field stuffing in the last so it ends exactly.
    /// </summary>
    private void WritePes<TSink>(ref TSink sink, int pid, ref int continuityCounter, scoped ref SegmentedPayload payload)
        where TSink : ITsPacketSink, allows ref struct
    {
        bool first = true;
        int cc = continuityCounter;
        while (payload.Remaining > 0)
        {
            Span<byte> packet = sink.NextPacket();
            int chunk = Math.Min(TsPacket.MaxPayload, payload.Remaining);
            int stuffing = TsPacket.MaxPayload - chunk;
            TsPacket.WriteHeader(packet, pid, first, stuffing > 0 ? TsPacket.AdaptationAndPayload : TsPacket.PayloadOnly, cc);
            if (stuffing > 0)
            {
                TsPacket.WriteStuffing(packet[TsPacket.HeaderSize..], stuffing);
            }

            payload.CopyNext(packet.Slice(TsPacket.HeaderSize + stuffing, chunk));
            cc = (cc + 1) & 0xF;
            first = false;
            _stats.Packets++;
        }

        continuityCounter = cc;
    }

    /// <summary>A PES packet as up to four spans read in order, so nothing is concatenated.</summary>
    private ref struct SegmentedPayload(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d)
    {
        private ReadOnlySpan<byte> _a = a;
        private ReadOnlySpan<byte> _b = b;
        private ReadOnlySpan<byte> _c = c;
        private ReadOnlySpan<byte> _d = d;

        public int Remaining { get; private set; } = a.Length + b.Length + c.Length + d.Length;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void CopyNext(Span<byte> destination)
        {
            Remaining -= destination.Length;
            while (!destination.IsEmpty)
            {
                if (_a.IsEmpty)
                {
                    _a = _b;
                    _b = _c;
                    _c = _d;
                    _d = default;
                    continue;
                }

                int n = Math.Min(_a.Length, destination.Length);
                _a[..n].CopyTo(destination);
                _a = _a[n..];
                destination = destination[n..];
            }
        }
    }
}

/// <summary>Counts of what a <see cref="TsMuxer"/> wrote.</summary>
public record struct TsMuxerStatistics
{
    /// <summary>Video access units written.</summary>
    public long VideoUnits { get; set; }

    /// <summary>Of those, IDR pictures.</summary>
    public long IdrUnits { get; set; }

    /// <summary>Audio frames written.</summary>
    public long AudioUnits { get; set; }

    /// <summary>TS packets written.</summary>
    public long Packets { get; set; }

    /// <summary>Times PAT, PMT and PCR were written.</summary>
    public long PsiEmissions { get; set; }

    /// <summary>Of those, emissions on their own between units (<see cref="TsMuxer.WritePsiIfStale"/>).</summary>
    public long PsiHeartbeats { get; set; }

    /// <summary>Access unit delimiters the muxer added.</summary>
    public long DelimitersInserted { get; set; }

    /// <summary>IDRs the muxer gave the last SPS/PPS because the encoder had not.</summary>
    public long ParameterSetsInserted { get; set; }

    /// <summary>IDRs that lacked SPS/PPS before any had been seen (sent as they were).</summary>
    public long IdrWithoutParameterSets { get; set; }
}
