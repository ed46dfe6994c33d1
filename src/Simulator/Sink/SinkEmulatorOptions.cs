using Miraflow.Rtsp.Parameters;
using Miraflow.Rtsp.Sessions;

namespace Miraflow.Simulator.Sink;

/// <summary>Settings of a <see cref="SinkEmulator"/>.</summary>
public sealed class SinkEmulatorOptions
{
    /// <summary>The default <see cref="MaxCaptureBytes"/>: 512 MiB.</summary>
    public const long DefaultMaxCaptureBytes = 512L * 1024 * 1024;

    /// <summary>What the sink answers M3 with. Default <see cref="SinkCapabilities.CreateDefault"/> (a 1080p60 TV).</summary>
    public WfdParameterSet Capabilities { get; init; } = SinkCapabilities.CreateDefault();

    /// <summary>
    /// The most MPEG-TS bytes the capture keeps; later payloads are still checked and counted but
    /// not kept. 0 keeps nothing. Default 512 MiB. In memory (no <see cref="CaptureFile"/>) at most
    /// <see cref="Array.MaxLength"/>; written to a file, any size (<see cref="long.MaxValue"/> for no limit).
    /// </summary>
    public long MaxCaptureBytes { get; init; } = DefaultMaxCaptureBytes;

    /// <summary>
    /// Write the capture to this file (created or replaced when the sink starts) as it arrives,
    /// instead of keeping it in memory, so a long run stays flat. Default null (in memory).
    /// <see cref="SinkEmulator.Recording"/> ends the file there; <see cref="SinkEmulator.CaptureTs"/>
    /// reads it back.
    /// </summary>
    public string? CaptureFile { get; init; }

    /// <summary>
    /// How many video PES arrival times <see cref="SinkEmulator.VideoPesArrivalTimestamps"/> keeps (8 bytes
    /// each; later pictures are still counted). Default 2^20; long runs set 0.
    /// </summary>
    public int RecordedArrivals { get; init; } = VideoPesArrivals.Capacity;

    /// <summary>The receive buffer asked of the kernel for the RTP socket (net.core.rmem_max caps it). Default 8 MiB, for IDR bursts.</summary>
    public int ReceiveBufferBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Decides whether the sink accepts an M4 format (false answers 303). Null: <see cref="SinkSessionOptions.AcceptFormat"/>'s default.</summary>
    public Func<WfdVideoFormats, bool>? AcceptFormat { get; init; }

    /// <summary>How long the sink waits for answers to its requests. Default 5 s.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Whether the sink asks the source for an IDR picture (M13, WFD §6.1.13) when it sees an RTP
    /// sequence gap or a TS continuity error, as real sinks do to repair a broken picture. Default
    /// false (the library's sink only watches); <c>miraflow sink</c> turns it on.
    /// </summary>
    public bool RequestIdrOnLoss { get; init; }

    /// <summary>
    /// The least time between two M13 requests (default 500 ms): a burst of losses asks once, and
    /// a request still waiting for its IDR is not repeated before <see cref="IdrRetryAfter"/>.
    /// </summary>
    public TimeSpan IdrRequestInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a request may wait for its IDR before a new loss may ask again (default 1 s).</summary>
    public TimeSpan IdrRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Options whose capabilities are the parameter lines of <paramref name="text"/>, as a sink
    /// sends them in its M3 answer (<c>wfd_video_formats: …</c>); other lines are ignored.
    /// </summary>
    /// <exception cref="FormatException">A parameter line is malformed (the message names it), or there is no <c>wfd_video_formats</c> line.</exception>
    public static SinkEmulatorOptions FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return new SinkEmulatorOptions { Capabilities = ParseCapabilities(text) };
        }
        catch (WfdParameterException ex)
        {
            throw new FormatException($"Malformed sink capabilities: {ex.Message}", ex);
        }
    }

    /// <summary>Options whose capabilities are read from a file of M3 parameter lines (see <see cref="FromText"/>).</summary>
    /// <exception cref="FormatException">A parameter line is malformed, or there is no <c>wfd_video_formats</c> line; the message names the file.</exception>
    public static SinkEmulatorOptions FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text = File.ReadAllText(path);
        try
        {
            return new SinkEmulatorOptions { Capabilities = ParseCapabilities(text) };
        }
        catch (WfdParameterException ex)
        {
            throw new FormatException($"Malformed sink capabilities in {path}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Parses the lines and every parameter a sink answers M3 with: <see cref="WfdParameterSet"/>
    /// parses typed values on demand, so without this a malformed line would only surface in the
    /// middle of a session.
    /// </summary>
    private static WfdParameterSet ParseCapabilities(string text)
    {
        WfdParameterSet set = SinkCapabilities.Parse(text);
        if (!set.Contains(WfdVideoFormats.Name))
        {
            // A sink states its video formats (`none` for an audio-only sink). Without the line the
            // sink would answer M3 with nothing, and a source would have to guess: a file of the
            // wrong shape (a log whose lines carry a prefix) must not turn into that silently.
            throw new WfdParameterException(
                "there is no wfd_video_formats line (a line must start with the parameter's name, as a sink sends it in its M3 answer; `none` for an audio-only sink)");
        }

        _ = set.Get<WfdVideoFormats>();
        _ = set.Get<WfdAudioCodecs>();
        _ = set.Get<WfdClientRtpPorts>();
        _ = set.Get<WfdContentProtection>();
        _ = set.Get<WfdDisplayEdid>();
        _ = set.Get<WfdConnectorType>();
        _ = set.Get<WfdIdrRequestCapability>();
        _ = set.Get<WfdStandbyResumeCapability>();
        _ = set.Get<WfdUibcCapability>();
        _ = set.Get<WfdCoupledSink>();
        return set;
    }

    /// <summary>Throws <see cref="ArgumentException"/> for values outside their documented ranges.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Capabilities);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxCaptureBytes);
        if (CaptureFile is null)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxCaptureBytes, (long)Array.MaxLength);
        }
        else
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(CaptureFile);
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ReceiveBufferBytes);
        foreach ((TimeSpan value, string name) in (ReadOnlySpan<(TimeSpan, string)>)[(ResponseTimeout, nameof(ResponseTimeout)), (IdrRequestInterval, nameof(IdrRequestInterval)), (IdrRetryAfter, nameof(IdrRetryAfter))])
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
            }
        }
    }
}
