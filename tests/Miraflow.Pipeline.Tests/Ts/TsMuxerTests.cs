using System.Buffers;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Ts;
using static Miraflow.Pipeline.Tests.Ts.TsTestData;

namespace Miraflow.Pipeline.Tests.Ts;

[Trait("Category", "unit")]
public sealed class TsMuxerTests
{
    private static TsMuxer VideoOnly() => new(new TsMuxerOptions { Audio = TsAudio.None, PresentationDelay = TimeSpan.Zero });

    [Fact]
    public void First_unit_is_preceded_by_pat_pmt_and_pcr()
    {
        var muxer = VideoOnly();

        List<byte[]> packets = Packets(sink => muxer.Video(sink, Concat(Aud, NonIdrSlice(100)), ms: 40));

        Assert.Equal([TsPid.Pat, TsPid.Pmt, TsPid.Pcr, TsPid.Video], packets.Select(Pid));
        Assert.Equal(MediaTime.FromMicroseconds(40_000).Ticks, PcrPacket.ReadField(packets[2].AsSpan(6)));
    }

    [Fact]
    public void Between_units_psi_goes_out_alone_once_half_the_interval_has_passed_and_never_before_the_first_unit()
    {
        var muxer = new TsMuxer(new TsMuxerOptions { Audio = TsAudio.None, PresentationDelay = TimeSpan.Zero, PsiInterval = TimeSpan.FromMilliseconds(80) });
        Assert.Empty(Packets(sink => Assert.False(muxer.WritePsiIfStale(ref sink, MediaTime.FromMicroseconds(500_000)))));

        _ = Packets(sink => muxer.Video(sink, Concat(Aud, Sps, Pps, IdrSlice(100)), ms: 1000)); // PSI at 1000 ms
        Assert.Empty(Packets(sink => Assert.False(muxer.WritePsiIfStale(ref sink, MediaTime.FromMicroseconds(1_039_000)))));
        List<byte[]> alone = Packets(sink => Assert.True(muxer.WritePsiIfStale(ref sink, MediaTime.FromMicroseconds(1_040_000))));

        Assert.Equal([TsPid.Pat, TsPid.Pmt, TsPid.Pcr], alone.Select(Pid));
        Assert.Equal(MediaTime.FromMicroseconds(1_040_000).Ticks, PcrPacket.ReadField(alone[2].AsSpan(6)));
        Assert.Equal(1, TsPacket.ReadContinuityCounter(alone[0])); // the PAT's second emission
        Assert.Empty(Packets(sink => Assert.False(muxer.WritePsiIfStale(ref sink, MediaTime.FromMicroseconds(1_060_000)))));
        Assert.Equal((2L, 1L), (muxer.Statistics.PsiEmissions, muxer.Statistics.PsiHeartbeats));
    }

    [Fact]
    public void Last_packet_of_a_pes_is_stuffed_to_end_exactly()
    {
        // PES = 14-byte header + 6-byte AUD + 174-byte slice = 194 bytes: 184 in the first
        // packet, 10 in the second behind a 174-byte adaptation field.
        byte[] slice = NonIdrSlice(174);
        var muxer = VideoOnly();

        List<byte[]> video = Packets(sink => muxer.Video(sink, Concat(Aud, slice), 0)).Where(p => Pid(p) == TsPid.Video).ToList();

        Assert.Equal(2, video.Count);
        Assert.Equal("47501110", Hex(video[0].AsSpan(0, 4))); // PUSI, PID 0x1011, payload only, CC 0
        string expected = "47101131" + "AD" + "00" + new string('F', 2 * 172) + Hex(slice.AsSpan(164));
        Assert.Equal(expected, Hex(video[1]));
    }

    [Fact]
    public void A_remainder_of_183_bytes_gets_a_one_byte_adaptation_field()
    {
        byte[] slice = NonIdrSlice(347); // 14 + 6 + 347 = 367 = 184 + 183
        var muxer = VideoOnly();

        List<byte[]> video = Packets(sink => muxer.Video(sink, Concat(Aud, slice), 0)).Where(p => Pid(p) == TsPid.Video).ToList();

        Assert.Equal("47101131" + "00" + Hex(slice.AsSpan(347 - 183)), Hex(video[1]));
    }

    [Fact]
    public void A_unit_smaller_than_a_packet_is_stuffed_in_its_only_packet()
    {
        byte[] slice = NonIdrSlice(30); // 14 + 6 + 30 = 50 bytes of PES
        var muxer = VideoOnly();

        byte[] video = Packets(sink => muxer.Video(sink, Concat(Aud, slice), 0)).Single(p => Pid(p) == TsPid.Video);

        Assert.Equal("47501130" + "85" + "00", Hex(video.AsSpan(0, 6))); // PUSI, AFC 11, 134-byte adaptation field
        Assert.Equal("000001E0", Hex(video.AsSpan(138, 4)));
        Assert.Equal(Hex(slice), Hex(video.AsSpan(188 - 30)));
    }

    [Fact]
    public void Continuity_counters_run_per_pid_and_wrap_after_15()
    {
        var muxer = VideoOnly();

        List<byte[]> packets = Packets(sink =>
        {
            muxer.Video(sink, Concat(Aud, NonIdrSlice(184 * 19)), 0); // 20 packets
            muxer.Video(sink, Concat(Aud, NonIdrSlice(100)), 200);    // PSI due again, 1 packet
        });

        int[] video = packets.Where(p => Pid(p) == TsPid.Video).Select(p => TsPacket.ReadContinuityCounter(p)).ToArray();
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4], video);
        Assert.Equal([0, 1], packets.Where(p => Pid(p) == TsPid.Pat).Select(p => TsPacket.ReadContinuityCounter(p)));
        Assert.Equal([0, 1], packets.Where(p => Pid(p) == TsPid.Pmt).Select(p => TsPacket.ReadContinuityCounter(p)));
        // PCR packets carry no payload, so their counter does not advance (ISO/IEC 13818-1 §2.4.3.3).
        Assert.Equal([0, 0], packets.Where(p => Pid(p) == TsPid.Pcr).Select(p => TsPacket.ReadContinuityCounter(p)));
    }

    [Fact]
    public void Adds_a_delimiter_and_keeps_the_encoders_parameter_sets()
    {
        byte[] idr = IdrSlice(300);
        var muxer = VideoOnly();

        List<byte[]> packets = Packets(sink => muxer.Video(sink, Concat(Sps, Pps, idr), 0));

        byte[] pes = Payload(packets, TsPid.Video);
        Assert.Equal(Hex(Concat(Aud, Sps, Pps, idr)), Hex(pes.AsSpan(14)));
        Assert.Equal(1, muxer.Statistics.DelimitersInserted);
        Assert.Equal(0, muxer.Statistics.ParameterSetsInserted);
    }

    [Fact]
    public void Gives_an_idr_without_parameter_sets_the_last_ones_seen_after_its_delimiter()
    {
        byte[] idr = IdrSlice(300);
        var muxer = VideoOnly();
        var output = new ArrayBufferWriter<byte>();
        var sink = new TsBufferSink(output);
        muxer.Video(sink, Concat(Aud, Sps, Pps, idr), 0);
        muxer.Video(sink, Concat(Aud, NonIdrSlice(200)), 33);
        output.Clear();

        muxer.Video(sink, Concat(Aud, idr), 66);
        byte[] withDelimiter = Payload(Split(output.WrittenSpan), TsPid.Video);
        output.Clear();
        muxer.Video(sink, idr, 100);
        byte[] withoutDelimiter = Payload(Split(output.WrittenSpan), TsPid.Video);

        Assert.Equal(Hex(Concat(Aud, Sps, Pps, idr)), Hex(withDelimiter.AsSpan(14)));
        Assert.Equal(Hex(Concat(Aud, Sps, Pps, idr)), Hex(withoutDelimiter.AsSpan(14)));
        Assert.Equal(2, muxer.Statistics.ParameterSetsInserted);
    }

    [Fact]
    public void An_idr_before_any_parameter_set_is_sent_as_it_is_and_counted()
    {
        var muxer = VideoOnly();

        Packets(sink => muxer.Video(sink, Concat(Aud, IdrSlice(100)), 0));

        Assert.Equal(1, muxer.Statistics.IdrWithoutParameterSets);
    }

    [Fact]
    public void Pmt_announces_the_profile_and_level_of_the_sps()
    {
        byte[] highSps = [0x00, 0x00, 0x00, 0x01, 0x67, 0x64, 0x0C, 0x28, 0xAC];
        var muxer = VideoOnly();

        List<byte[]> packets = Packets(sink => muxer.Video(sink, Concat(highSps, Pps, IdrSlice(100)), 0));

        byte[] pmt = packets.Single(p => Pid(p) == TsPid.Pmt);
        Assert.Equal("28046" + "40C283F", Hex(pmt.AsSpan(5 + 17, 6)));
        Assert.Equal(1, muxer.PsiVersion); // the first PMT already says so: no version change
    }

    [Fact]
    public void A_profile_change_mid_stream_bumps_the_pmt_version()
    {
        var muxer = VideoOnly();
        var output = new ArrayBufferWriter<byte>();
        var sink = new TsBufferSink(output);
        muxer.Video(sink, Concat(Sps, Pps, IdrSlice(100)), 0);
        output.Clear();

        muxer.ChangeVideo(AvcProfileLevel.ConstrainedHigh(40));
        muxer.Video(sink, Concat(Aud, NonIdrSlice(100)), 10);

        byte[] pmt = Split(output.WrittenSpan).Single(p => Pid(p) == TsPid.Pmt);
        Assert.Equal(0xC5, pmt[10]); // version 2
        Assert.Equal("2804640C283F", Hex(pmt.AsSpan(5 + 17, 6)));
    }

    [Fact]
    public void Lpcm_frame_is_one_pes_on_the_audio_pid_with_the_wfd_header()
    {
        var muxer = new TsMuxer(new TsMuxerOptions { PresentationDelay = TimeSpan.Zero });
        byte[] samples = Enumerable.Range(0, 1920).Select(i => unchecked((byte)i)).ToArray();

        List<byte[]> packets = Packets(sink => muxer.WriteAudio(ref sink, samples, MediaTime.FromMicroseconds(10_000), MediaTime.FromMicroseconds(10_000)));

        byte[] pes = Payload(packets, TsPid.Audio);
        Assert.Equal("000001BD" + "078C" + "848005" + "2100010709" + "A0060011", Hex(pes.AsSpan(0, 18)));
        Assert.Equal("0100030205040706", Hex(pes.AsSpan(18, 8)));
        Assert.Equal(11, packets.Count(p => Pid(p) == TsPid.Audio)); // 1938 bytes of PES
    }

    [Fact]
    public void Bad_units_are_refused_before_anything_is_written()
    {
        var muxer = new TsMuxer();
        var videoOnly = VideoOnly();
        var output = new ArrayBufferWriter<byte>();
        var sink = new TsBufferSink(output);

        Assert.Throws<ArgumentException>(() => muxer.Video(sink, [1, 2, 3, 4, 5], 0));
        Assert.Throws<ArgumentException>(() => muxer.Video(sink, [], 0));
        Assert.Throws<ArgumentException>(() => muxer.WriteAudio(ref sink, new byte[6], MediaTime.Zero, MediaTime.Zero));
        Assert.Throws<ArgumentException>(() => new TsMuxer(new TsMuxerOptions { Audio = TsAudio.Aac48kStereo }).WriteAudio(ref sink, new byte[16], MediaTime.Zero, MediaTime.Zero));
        Assert.Throws<InvalidOperationException>(() => videoOnly.WriteAudio(ref sink, new byte[16], MediaTime.Zero, MediaTime.Zero));

        Assert.Equal(0, output.WrittenCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void Psi_interval_beyond_the_mpeg2_pcr_limit_is_refused(int milliseconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TsMuxer(new TsMuxerOptions { PsiInterval = TimeSpan.FromMilliseconds(milliseconds) }));

    [Theory]
    [InlineData(true, 75)]
    [InlineData(false, 50)]
    public void Psi_and_pcr_never_drift_past_the_interval(bool withAudio, int minimumGapMs)
    {
        // 30 fps video (with IDRs every 2 s) and, optionally, 10 ms LPCM frames, over 6 s.
        var muxer = new TsMuxer(new TsMuxerOptions { Audio = withAudio ? TsAudio.Lpcm48kStereo : TsAudio.None });
        var sink = new TimedSink();
        var units = new List<(long Us, bool Video)>();
        for (long us = 0; us < 6_000_000; us += 33_333)
        {
            units.Add((us, true));
        }

        for (long us = 0; withAudio && us < 6_000_000; us += 10_000)
        {
            units.Add((us, false));
        }

        byte[] samples = new byte[1920];
        int frame = 0;
        foreach ((long us, bool video) in units.OrderBy(u => u.Us))
        {
            sink.Now = MediaTime.FromMicroseconds(us);
            if (video)
            {
                byte[] au = frame++ % 60 == 0 ? Concat(Sps, Pps, IdrSlice(2000)) : Concat(Aud, NonIdrSlice(500));
                muxer.WriteVideo(ref sink, au, sink.Now, sink.Now, sink.Now);
            }
            else
            {
                muxer.WriteAudio(ref sink, samples, sink.Now, sink.Now);
            }
        }

        foreach (int pid in new[] { TsPid.Pat, TsPid.Pmt, TsPid.Pcr })
        {
            double[] gaps = Gaps(sink.Times(pid));
            Assert.True(gaps.Max() <= 100, $"PID 0x{pid:X}: largest gap {gaps.Max():F1} ms");
            Assert.True(gaps.Average() >= minimumGapMs, $"PID 0x{pid:X}: sent too often (mean gap {gaps.Average():F1} ms)");
        }
    }

    private static double[] Gaps(List<MediaTime> times) =>
        times.Zip(times.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();

    private struct TimedSink : ITsPacketSink
    {
        private readonly byte[] _packet = new byte[TsPacket.Size];
        private readonly List<(int Pid, MediaTime Time)> _log = [];
        private bool _pending;

        public TimedSink()
        {
        }

        public MediaTime Now { get; set; }

        public Span<byte> NextPacket()
        {
            Record();
            _pending = true;
            return _packet;
        }

        public void EndOfUnit(bool endOfFrame) => Record();

        public readonly List<MediaTime> Times(int pid) => _log.Where(e => e.Pid == pid).Select(e => e.Time).ToList();

        private void Record()
        {
            if (_pending)
            {
                _log.Add((TsPacket.ReadPid(_packet), Now));
                _pending = false;
            }
        }
    }
}
