using System.Collections.Concurrent;
using System.Net;
using Miraflow.Pipeline.Encoders;
using Miraflow.Pipeline.Flow;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Tests.Transport;
using Miraflow.Pipeline.Ts;
using static Miraflow.Pipeline.Tests.Ts.TsTestData;

namespace Miraflow.Pipeline.Tests.Flow;

/// <summary>A pipeline to a loopback receiver, with the parts a test looks at.</summary>
internal sealed class FlowRig : IAsyncDisposable
{
    public FlowRig(IVideoEncoder? encoder = null, MediaPipelineOptions? options = null, TsAudio audio = default, IReadOnlyList<IPipelineStage>? stages = null, TimeProvider? time = null)
    {
        Receiver = new LoopbackReceiver();
        Clock = new MediaClock(time);
        Stage = new EncodeStage(encoder);
        Sender = new Miraflow.Pipeline.Transport.UdpMediaSender(Receiver.EndPoint);
        Pipeline = new MediaPipeline(
            Stage,
            new TsMuxer(new TsMuxerOptions { Audio = audio }),
            new RtpPacketizer(new RtpPacketizerOptions { InitialSequenceNumber = 65530 }, Clock),
            Sender,
            Clock,
            options ?? new MediaPipelineOptions { PsiHeartbeat = false }, // the tests count datagrams; the heartbeat has its own test
            Observer,
            stages);
    }

    public LoopbackReceiver Receiver { get; }

    public MediaClock Clock { get; }

    public EncodeStage Stage { get; }

    public Miraflow.Pipeline.Transport.UdpMediaSender Sender { get; }

    public RecordingObserver Observer { get; } = new();

    public MediaPipeline Pipeline { get; }

    public List<MediaFrame> Handed { get; } = [];

    /// <summary>A pass-through access unit (delimiter first, SPS/PPS on IDRs: nothing to rewrite), stamped now.</summary>
    public EncodedFrame Unit(ulong number, bool idr, int size = 3000)
    {
        EncodedFrame unit = EncodedFrame.Create(idr ? Concat(Aud, Sps, Pps, IdrSlice(size)) : Concat(Aud, NonIdrSlice(size)));
        unit.FrameNumber = number;
        unit.CaptureTime = Clock.Now;
        Handed.Add(unit);
        return unit;
    }

    /// <summary>A tiny raw picture for a fake encoder, stamped now.</summary>
    public VideoFrame Picture(ulong number)
    {
        VideoFrame picture = VideoFrame.Create(16, 16, PixelFormat.I420);
        picture.FrameNumber = number;
        picture.CaptureTime = Clock.Now;
        Handed.Add(picture);
        return picture;
    }

    /// <summary>Every datagram that has arrived, whole, waiting up to <paramref name="quiet"/> for the next one.</summary>
    public List<byte[]> ReceiveAllDatagrams(TimeSpan quiet)
    {
        var datagrams = new List<byte[]>();
        while (Receiver.Arrives(quiet))
        {
            datagrams.Add(Receiver.Receive());
        }

        return datagrams;
    }

    /// <summary>Every datagram that has arrived, waiting up to <paramref name="quiet"/> for the next one.</summary>
    public List<RtpHeader> ReceiveAll(TimeSpan quiet)
    {
        var headers = new List<RtpHeader>();
        while (Receiver.Arrives(quiet))
        {
            byte[] datagram = Receiver.Receive();
            Assert.True(RtpHeader.TryRead(datagram, out RtpHeader header, out _, out int payloadLength));
            Assert.Equal(0, payloadLength % TsPacket.Size);
            headers.Add(header);
        }

        return headers;
    }

    public static bool IsDisposed(MediaFrame frame) => frame switch
    {
        EncodedFrame unit => unit.Length == 0,
        VideoFrame picture => Throws(() => picture.Data.Length),
        _ => throw new ArgumentException("unknown frame", nameof(frame)),
    };

    public void AssertAllReturned()
    {
        Assert.Equal(0, Pipeline.OutstandingLeases);
        Assert.All(Handed, f => Assert.True(IsDisposed(f), $"frame {f.FrameNumber} was not disposed"));
    }

    public async ValueTask DisposeAsync()
    {
        await Pipeline.DisposeAsync();
        Sender.Dispose();
        Stage.Dispose();
        Receiver.Dispose();
    }

    private static bool Throws(Func<int> read)
    {
        try
        {
            read();
            return false;
        }
        catch (ArgumentOutOfRangeException)
        {
            return true;
        }
    }
}

internal sealed class RecordingObserver : IPipelineObserver
{
    public ConcurrentQueue<ulong> Dropped { get; } = new();

    public ConcurrentQueue<Exception> Faults { get; } = new();

    public void OnFrameDropped(ulong frameNumber) => Dropped.Enqueue(frameNumber);

    public void OnFault(Exception exception) => Faults.Enqueue(exception);
}

/// <summary>
/// A stand-in for OpenH264: each picture becomes a small access unit, an IDR on the first picture
/// and after <see cref="RequestIdr"/>; <see cref="Gate"/> holds encoding back, and
/// <see cref="ThrowAt"/> makes one picture fail.
/// </summary>
internal sealed class FakeEncoder : IVideoEncoder
{
    private volatile bool _idr = true;

    public ManualResetEventSlim Gate { get; } = new(initialState: true);

    /// <summary>How long a closed gate holds a picture before encoding anyway.</summary>
    public TimeSpan GateTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public ulong? ThrowAt { get; set; }

    public int Encoded;

    public ManualResetEventSlim Entered { get; } = new();

    public EncoderSettings Settings => throw new NotSupportedException();

    public EncodedFrame? Encode(VideoFrame picture)
    {
        Entered.Set();
        Gate.Wait(GateTimeout);
        if (picture.FrameNumber == ThrowAt)
        {
            throw new InvalidOperationException($"encoder failed at {picture.FrameNumber}");
        }

        bool idr = _idr;
        _idr = false;
        EncodedFrame unit = EncodedFrame.Create(idr ? Concat(Aud, Sps, Pps, IdrSlice(800)) : Concat(Aud, NonIdrSlice(300)));
        unit.IsIdr = idr;
        unit.FrameNumber = picture.FrameNumber;
        unit.CaptureTime = picture.CaptureTime;
        Interlocked.Increment(ref Encoded);
        return unit;
    }

    public void RequestIdr() => _idr = true;

    public void SetBitrate(int targetBitrate, int maxBitrate = 0)
    {
    }

    public void SetFrameRate(double frameRate)
    {
    }

    public void Dispose() => Gate.Dispose();
}
