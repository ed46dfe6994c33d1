using System.Diagnostics;
using Miraflow.Pipeline.Media;
using Miraflow.Pipeline.Rtp;
using Miraflow.Pipeline.Ts;

namespace Miraflow.Pipeline.Tests.TestSupport;

/// <summary>How <see cref="RtpStreamer"/> spaces the units.</summary>
internal enum Pacing
{
    /// <summary>Each unit goes out at its ready time on a clock started with the stream, as a live source sends.</summary>
    RealTime,

    /// <summary>Each unit goes out as soon as the previous one is sent (the send delegate may still wait).</summary>
    Unpaced,
}

/// <summary>What went out for one unit.</summary>
/// <param name="Unit">The unit.</param>
/// <param name="FirstSequence">The RTP sequence number of its first datagram.</param>
/// <param name="Datagrams">How many datagrams it took.</param>
/// <param name="RtpTimestamp">The timestamp all its datagrams carry.</param>
/// <param name="SendDelay">
/// Real time only: how long after its ready time (on the clock started with the stream) its
/// batch was handed to the sender, the delay the test's own thread adds on a busy machine.
/// The PSI of a unit is in its first datagram, so this is when that datagram went out.
/// </param>
internal sealed record SentUnit(MediaUnit Unit, ushort FirstSequence, int Datagrams, uint RtpTimestamp, TimeSpan SendDelay);

/// <summary>
/// Drives the send path as the pipeline will: per unit, <see cref="RtpPacketizer.Begin"/> on a
/// cleared <see cref="DatagramBatch"/>, the muxer writes into the packetizer, and the batch goes to
/// the sender.
/// </summary>
internal static class RtpStreamer
{
    /// <summary>
    /// Sends <paramref name="units"/> on a dedicated thread (so the thread pool cannot delay the
    /// pacing); <paramref name="send"/> gets each unit's batch and its index.
    /// </summary>
    public static Task<List<SentUnit>> StreamAsync(IReadOnlyList<MediaUnit> units, TsMuxer muxer, RtpPacketizer packetizer, Action<DatagramBatch, int> send, Pacing pacing) =>
        Task.Factory.StartNew(() => Stream(units, muxer, packetizer, send, pacing), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>
    /// How many datagrams <paramref name="units"/> make, by a dry run on a separate muxer and
    /// packetizer (the output depends only on the units and their times, so a live run makes the same number).
    /// </summary>
    /// <remarks>Handing each batch to <paramref name="warmUp"/> (a sender to another port) also gets the send path compiled before a timed run.</remarks>
    public static long CountDatagrams(IReadOnlyList<MediaUnit> units, Action<DatagramBatch>? warmUp = null)
    {
        var muxer = new TsMuxer();
        var packetizer = new RtpPacketizer();
        using var batch = new DatagramBatch();
        long count = 0;
        foreach (MediaUnit unit in units)
        {
            batch.Clear();
            packetizer.Begin(batch, unit.ReadyTime);
            MediaSchedule.Mux(muxer, ref packetizer, unit);
            count += batch.Count;
            warmUp?.Invoke(batch);
        }

        return count;
    }

    private static List<SentUnit> Stream(IReadOnlyList<MediaUnit> units, TsMuxer muxer, RtpPacketizer packetizer, Action<DatagramBatch, int> send, Pacing pacing)
    {
        var sent = new List<SentUnit>(units.Count);
        using var batch = new DatagramBatch();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < units.Count; i++)
        {
            MediaUnit unit = units[i];
            TimeSpan due = unit.ReadyTime - MediaTime.Zero;
            if (pacing == Pacing.RealTime)
            {
                WaitUntil(clock, due);
            }

            batch.Clear();
            ushort first = packetizer.NextSequenceNumber;
            packetizer.Begin(batch, unit.ReadyTime);
            MediaSchedule.Mux(muxer, ref packetizer, unit);
            TimeSpan delay = pacing == Pacing.RealTime ? clock.Elapsed - due : TimeSpan.Zero;
            send(batch, i);
            sent.Add(new SentUnit(unit, first, batch.Count, packetizer.CurrentRtpTimestamp, delay));
        }

        return sent;
    }

    /// <summary>Sleeps to within 3 ms of <paramref name="due"/>, then spins (a sleeping thread can wake late on a busy machine).</summary>
    private static void WaitUntil(Stopwatch clock, TimeSpan due)
    {
        while (true)
        {
            TimeSpan left = due - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            if (left > TimeSpan.FromMilliseconds(4))
            {
                Thread.Sleep(left - TimeSpan.FromMilliseconds(3));
            }
            else
            {
                Thread.SpinWait(100);
            }
        }
    }
}
