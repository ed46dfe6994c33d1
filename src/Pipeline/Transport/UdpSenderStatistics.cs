namespace Miraflow.Pipeline.Transport;

/// <summary>A snapshot of a <see cref="UdpMediaSender"/>'s counters since it was created.</summary>
/// <remarks>
/// Each counter is read atomically, but the snapshot is not taken under a lock: read while the
/// sender is sending, the counters may be a send call apart from each other.
/// </remarks>
/// <param name="Batches">The batches handed to <see cref="UdpMediaSender.Send"/> or <see cref="UdpMediaSender.SendAsync"/>.</param>
/// <param name="DatagramsSent">The datagrams the kernel accepted.</param>
/// <param name="BytesSent">The UDP payload bytes the kernel accepted.</param>
/// <param name="SendCalls">
/// The send system calls made, failed ones included. With segmentation offload one call carries
/// a whole run of datagrams, so this is less than <see cref="DatagramsSent"/>.
/// </param>
/// <param name="SendErrors">
/// The send calls that failed and lost their datagrams (for example <c>ECONNREFUSED</c> after
/// the sink's port answered with ICMP port unreachable). A segmented send refused for lack of
/// offload support is not counted: its datagrams are sent again one by one.
/// </param>
/// <param name="DatagramsDropped">The datagrams of the failed send calls.</param>
public readonly record struct UdpSenderStatistics(
    long Batches,
    long DatagramsSent,
    long BytesSent,
    long SendCalls,
    long SendErrors,
    long DatagramsDropped);
