using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>Which elementary stream a unit belongs to.</summary>
internal enum MediaKind
{
    Video,
    Audio,
}

/// <summary>One unit for the muxer, on the session's media clock.</summary>
/// <param name="Kind">Video access unit or audio frame.</param>
/// <param name="Index">Its index within its stream.</param>
/// <param name="CaptureTime">When it was captured (the PTS before the muxer's presentation delay).</param>
/// <param name="ReadyTime">When it reaches the muxer (<c>now</c> for the PCR, and the send time when paced in real time).</param>
/// <param name="Payload">The Annex-B access unit, or 16-bit little-endian stereo samples.</param>
internal sealed record MediaUnit(MediaKind Kind, int Index, MediaTime CaptureTime, MediaTime ReadyTime, byte[] Payload);

/// <summary>
/// Interleaves a video stream and a tone as a capture pipeline would hand them to the muxer:
/// picture i captured at i / fps and ready <see cref="EncodeLatency"/> later; audio in 10 ms
/// frames (480 sample frames at 48 kHz), frame k captured at k × 10 ms and ready when its last
/// sample is in, 10 ms later. Units are ordered by ready time, audio first on a tie.
/// </summary>
internal static class MediaSchedule
{
    /// <summary>Sample frames per audio unit: 10 ms at 48 kHz, as Android sends (protocol doc §3.5).</summary>
    public const int AudioFrameSamples = 480;

    /// <summary>How long the encoder takes with a picture in the schedule.</summary>
    public static readonly TimeSpan EncodeLatency = TimeSpan.FromMilliseconds(5);

    public static List<MediaUnit> Interleave(H264TestStream video, LpcmTone tone)
    {
        var units = new List<MediaUnit>();
        for (int i = 0; i < video.AccessUnits.Count; i++)
        {
            MediaTime capture = MediaTime.FromSampleIndex(i, video.FrameRate);
            units.Add(new MediaUnit(MediaKind.Video, i, capture, capture + EncodeLatency, video.AccessUnits[i]));
        }

        MediaTime videoEnd = MediaTime.FromSampleIndex(video.AccessUnits.Count, video.FrameRate);
        for (int k = 0; ; k++)
        {
            MediaTime capture = MediaTime.FromSampleIndex((long)k * AudioFrameSamples, tone.SampleRate);
            if (capture >= videoEnd)
            {
                break;
            }

            MediaTime ready = MediaTime.FromSampleIndex((long)(k + 1) * AudioFrameSamples, tone.SampleRate);
            units.Add(new MediaUnit(MediaKind.Audio, k, capture, ready, tone.Frame((long)k * AudioFrameSamples, AudioFrameSamples)));
        }

        return [.. units.OrderBy(u => u.ReadyTime).ThenBy(u => u.Kind == MediaKind.Video)];
    }

    /// <summary>Hands <paramref name="unit"/> to <paramref name="muxer"/> with now = its ready time.</summary>
    public static void Mux<TSink>(TsMuxer muxer, ref TSink sink, MediaUnit unit)
        where TSink : ITsPacketSink
    {
        if (unit.Kind == MediaKind.Video)
        {
            muxer.WriteVideo(ref sink, unit.Payload, unit.CaptureTime, unit.CaptureTime, unit.ReadyTime);
        }
        else
        {
            muxer.WriteAudio(ref sink, unit.Payload, unit.CaptureTime, unit.ReadyTime);
        }
    }
}
