using System.Net;
using Miraflow.Pipeline.Transport;

namespace Miraflow.Benchmarks;

/// <summary>Opens the UDP sender the benchmarks and <c>mux-send</c> use.</summary>
internal static class BenchUdp
{
    /// <summary>
    /// A <see cref="UdpMediaSender"/> connected to <paramref name="remote"/>, with segmentation
    /// offload (<see cref="SegmentationOffloadMode.Auto"/>) or without it.
    /// </summary>
    /// <exception cref="InvalidOperationException">Offload was asked for, but the kernel refused it.</exception>
    public static UdpMediaSender Open(IPEndPoint remote, bool offload)
    {
        var sender = new UdpMediaSender(remote, new UdpSenderOptions
        {
            SegmentationOffload = offload ? SegmentationOffloadMode.Auto : SegmentationOffloadMode.Off,
        });
        if (sender.UsesSegmentationOffload != offload)
        {
            sender.Dispose();
            throw new InvalidOperationException("The kernel refused UDP segmentation offload; an 'offload' figure would measure the plain path.");
        }

        return sender;
    }
}
