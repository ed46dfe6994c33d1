namespace Miraflow.Pipeline.Transport;

/// <summary>
/// Pacing for <see cref="UdpMediaSender.SendAsync"/>: a large batch (an IDR frame is often
/// 100+ datagrams) is split into bursts spread evenly over a short window instead of leaving
/// in one line-rate burst that overruns shallow Wi-Fi queues. Off by default.
/// </summary>
/// <remarks>
/// <para>
/// A batch of <c>n</c> datagrams with <c>n &gt; </c><see cref="ThresholdDatagrams"/> goes out
/// in <c>b = ceil(n / </c><see cref="BurstDatagrams"/><c>)</c> bursts (at most one per
/// <see cref="MinimumInterval"/> of the <see cref="Window"/>), the bursts
/// <see cref="Window"/><c> / b</c> apart, so the last burst leaves before the window ends:
/// <code>
///   window:  |&lt;-------------------- Window --------------------&gt;|
///   bursts:  [burst 0]    [burst 1]    [burst 2]    [burst 3]
///            t=0          t=W/4        t=W/2        t=3W/4
/// </code>
/// </para>
/// <para>
/// Waits use <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>, so they are
/// only as fine as the platform timer: about 1 ms on Linux, about 15.6 ms on Windows unless the
/// process raises the timer resolution. Smaller batches are sent at once.
/// </para>
/// </remarks>
public sealed class UdpPacingOptions
{
    /// <summary>The shortest wait between two bursts: finer waits are below timer resolution.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest <see cref="Window"/>: more than a frame at 10 fps would only add latency.</summary>
    public static readonly TimeSpan MaximumWindow = TimeSpan.FromMilliseconds(100);

    private TimeSpan _window = TimeSpan.FromMilliseconds(8);
    private int _thresholdDatagrams = 32;
    private int _burstDatagrams = 16;

    /// <summary>Whether batches above <see cref="ThresholdDatagrams"/> are paced. Default <see langword="false"/>.</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// The time over which a paced batch is spread. Default 8 ms (half a frame at 60 fps).
    /// Between <see cref="MinimumInterval"/> and <see cref="MaximumWindow"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside that range.</exception>
    public TimeSpan Window
    {
        get => _window;
        set
        {
            if (value < MinimumInterval || value > MaximumWindow)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"The pacing window must be between {MinimumInterval.TotalMilliseconds} ms and {MaximumWindow.TotalMilliseconds} ms.");
            }

            _window = value;
        }
    }

    /// <summary>Batches with more datagrams than this are paced; smaller ones are sent at once. Default 32, at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int ThresholdDatagrams
    {
        get => _thresholdDatagrams;
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The pacing threshold must be at least 1 datagram.");
            }

            _thresholdDatagrams = value;
        }
    }

    /// <summary>The datagrams of one burst (the last burst may hold fewer). Default 16, at least 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int BurstDatagrams
    {
        get => _burstDatagrams;
        set
        {
            if (value < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "A pacing burst must hold at least 1 datagram.");
            }

            _burstDatagrams = value;
        }
    }
}
