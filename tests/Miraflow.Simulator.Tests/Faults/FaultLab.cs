using System.Globalization;
using Miraflow.Simulator.Tests.Cli;

namespace Miraflow.Simulator.Tests.Faults;

/// <summary>
/// Two hosts for the network fault tests: a source and a sink, each in a network namespace this
/// lab creates (<c>mfsrc-PID-N</c>, <c>mfsnk-PID-N</c>), joined by a veth pair with private
/// addresses (source 10.213.0.1/30 on <c>mfv0</c>, sink 10.213.0.2/30 on <c>mfv1</c>) and
/// loopback up in each. Nothing is added to the root namespace: the veth ends are created inside
/// the namespaces, and deleting the namespaces (<see cref="DisposeAsync"/>) deletes them and every
/// rule and qdisc with them. Namespaces of earlier runs whose test process is gone are swept when
/// a lab is created.
/// </summary>
/// <remarks>
/// <para>How the faults are made (docs/faults.md). The impairments act on the sink-bound direction
/// only (media and the source's RTSP messages), as <c>tc netem</c> on the source's veth would:</para>
/// <list type="bullet">
/// <item>Where the kernel has <c>sch_netem</c> (probed once per lab): loss is <c>netem loss N%</c>,
/// the stall is <c>netem loss 100%</c> removed after 3 s, jitter is <c>netem delay 25ms 25ms</c>
/// (each packet waits 0–50 ms, so packets may be reordered).</item>
/// <item>Otherwise (for example Fedora-style kernels without <c>CONFIG_NET_SCH_NETEM</c>): loss is an
/// nftables rule in the sink's namespace, <c>iifname "mfv1" numgen random mod 100 &lt; N drop</c>
/// (each packet, UDP and TCP alike, dropped with probability N %), the stall is a rule dropping
/// everything from <c>mfv1</c> removed after 3 s, and "jitter" is a token-bucket shaper
/// (<c>tbf rate 12mbit burst 16kb latency 50ms</c>) on the source's veth: a picture's burst of
/// packets queues behind the ones before it, so packets wait a variable 0–50 ms, in order; what
/// would wait longer is dropped. That is queueing jitter, not netem's random per-packet delay.</item>
/// </list>
/// <para>The source's veth has <c>gso_max_segs 1</c>: the RTP sender hands the kernel a batch of
/// datagrams in one UDP_SEGMENT send, and a veth would carry the batch to the sink as one packet,
/// so a loss rule would drop a whole batch. A real NIC sends datagrams one by one; so does the veth
/// once the kernel must segment before it.</para>
/// </remarks>
internal sealed class FaultLab : IAsyncDisposable
{
    /// <summary>The source's address, where it listens for the sink's RTSP connection.</summary>
    public const string SourceAddress = "10.213.0.1";

    /// <summary>The sink's address.</summary>
    public const string SinkAddress = "10.213.0.2";

    private const string SourcePrefix = "mfsrc-";
    private const string SinkPrefix = "mfsnk-";
    private const string SourceLink = "mfv0";
    private const string SinkLink = "mfv1";
    private const string Table = "miraflow_faults";
    private const string Chain = "input";

    private static int s_next;

    private bool _nftReady;
    private bool _disposed;

    private FaultLab(string id)
    {
        SourceNamespace = SourcePrefix + id;
        SinkNamespace = SinkPrefix + id;
    }

    /// <summary>The source's namespace.</summary>
    public string SourceNamespace { get; }

    /// <summary>The sink's namespace.</summary>
    public string SinkNamespace { get; }

    /// <summary>Whether the kernel has netem (otherwise nftables and tbf make the faults).</summary>
    public bool HasNetem { get; private set; }

    /// <summary>How the faults are made here, for test output.</summary>
    public string Mechanism => HasNetem ? "tc netem" : "nftables (loss, stall) and tbf (jitter); this kernel has no sch_netem";

    /// <summary>Sweeps stale namespaces, then creates the two hosts and the link between them.</summary>
    public static async Task<FaultLab> CreateAsync()
    {
        await SweepStaleAsync();
        string id = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Interlocked.Increment(ref s_next)}");
        var lab = new FaultLab(id);
        try
        {
            await IpAsync("netns", "add", lab.SourceNamespace);
            await IpAsync("netns", "add", lab.SinkNamespace);
            await IpAsync("link", "add", SourceLink, "netns", lab.SourceNamespace, "type", "veth", "peer", "name", SinkLink, "netns", lab.SinkNamespace);
            await IpAsync("-n", lab.SourceNamespace, "addr", "add", SourceAddress + "/30", "dev", SourceLink);
            await IpAsync("-n", lab.SinkNamespace, "addr", "add", SinkAddress + "/30", "dev", SinkLink);
            await IpAsync("-n", lab.SourceNamespace, "link", "set", "dev", SourceLink, "gso_max_segs", "1");
            foreach ((string ns, string link) in ((string, string)[])[(lab.SourceNamespace, SourceLink), (lab.SinkNamespace, SinkLink)])
            {
                await IpAsync("-n", ns, "link", "set", "dev", "lo", "up");
                await IpAsync("-n", ns, "link", "set", "dev", link, "up");
            }

            lab.HasNetem = (await TcAsync(lab.SourceNamespace, check: false, "qdisc", "add", "dev", SourceLink, "root", "netem", "delay", "0ms")).ExitCode == 0;
            if (lab.HasNetem)
            {
                await TcAsync(lab.SourceNamespace, check: true, "qdisc", "del", "dev", SourceLink, "root");
            }

            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <c>miraflow</c> with <paramref name="args"/> in the source's namespace.</summary>
    public RunningTool StartSource(IReadOnlyList<string> args) => ExternalTool.Start("ip", ["netns", "exec", SourceNamespace, MiraflowProcess.Path, .. args]);

    /// <summary>Starts <c>miraflow</c> with <paramref name="args"/> in the sink's namespace.</summary>
    public RunningTool StartSink(IReadOnlyList<string> args) => ExternalTool.Start("ip", ["netns", "exec", SinkNamespace, MiraflowProcess.Path, .. args]);

    /// <summary>Drops each sink-bound packet with probability <paramref name="percent"/> %.</summary>
    public async Task StartLossAsync(int percent)
    {
        string value = percent.ToString(CultureInfo.InvariantCulture);
        if (HasNetem)
        {
            await TcAsync(SourceNamespace, check: true, "qdisc", "replace", "dev", SourceLink, "root", "netem", "loss", value + "%");
        }
        else
        {
            await NftRuleAsync("numgen", "random", "mod", "100", "<", value, "drop");
        }
    }

    /// <summary>Drops every sink-bound packet until <see cref="ClearAsync"/>.</summary>
    public async Task StartStallAsync()
    {
        if (HasNetem)
        {
            await TcAsync(SourceNamespace, check: true, "qdisc", "replace", "dev", SourceLink, "root", "netem", "loss", "100%");
        }
        else
        {
            await NftRuleAsync("drop");
        }
    }

    /// <summary>Delays sink-bound packets by a varying 0–50 ms (see the remarks for what that is without netem).</summary>
    public async Task StartJitterAsync()
    {
        if (HasNetem)
        {
            await TcAsync(SourceNamespace, check: true, "qdisc", "replace", "dev", SourceLink, "root", "netem", "delay", "25ms", "25ms");
        }
        else
        {
            await TcAsync(SourceNamespace, check: true, "qdisc", "replace", "dev", SourceLink, "root", "tbf", "rate", "12mbit", "burst", "16kb", "latency", "50ms");
        }
    }

    /// <summary>Removes every impairment: the link is clean again.</summary>
    public async Task ClearAsync()
    {
        if (_nftReady)
        {
            await NftAsync("flush", "chain", "inet", Table, Chain);
        }

        ToolResult qdisc = await TcAsync(SourceNamespace, check: false, "qdisc", "show", "dev", SourceLink);
        if (qdisc.StandardOutput.Contains("netem", StringComparison.Ordinal) || qdisc.StandardOutput.Contains("tbf", StringComparison.Ordinal))
        {
            await TcAsync(SourceNamespace, check: true, "qdisc", "del", "dev", SourceLink, "root");
        }
    }

    /// <summary>Deletes both namespaces (and with them the veth pair, rules and qdiscs), even after a failure.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (string ns in (string[])[SourceNamespace, SinkNamespace])
        {
            _ = await ExternalTool.RunAsync("ip", ["netns", "delete", ns], TimeSpan.FromSeconds(30)); // fails harmlessly when it was never made
        }
    }

    /// <summary>Deletes <c>mfsrc-*</c>/<c>mfsnk-*</c> namespaces whose test process no longer runs.</summary>
    private static async Task SweepStaleAsync()
    {
        ToolResult list = await ExternalTool.RunAsync("ip", ["netns", "list"], TimeSpan.FromSeconds(30));
        foreach (string line in list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = line.Split(' ')[0];
            if (!name.StartsWith(SourcePrefix, StringComparison.Ordinal) && !name.StartsWith(SinkPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            string pid = name[SourcePrefix.Length..].Split('-')[0];
            if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int owner) || !Directory.Exists($"/proc/{owner}"))
            {
                _ = await ExternalTool.RunAsync("ip", ["netns", "delete", name], TimeSpan.FromSeconds(30));
            }
        }
    }

    /// <summary>Adds a rule to the sink namespace's input chain for packets from the veth (made on first use).</summary>
    private async Task NftRuleAsync(params string[] statement)
    {
        _ = ExternalTool.Require("nft");
        if (!_nftReady)
        {
            await NftAsync("add", "table", "inet", Table);
            await NftAsync("add", "chain", "inet", Table, Chain, "{ type filter hook input priority 0; policy accept; }");
            _nftReady = true;
        }

        await NftAsync(["add", "rule", "inet", Table, Chain, "iifname", SinkLink, .. statement]);
    }

    private async Task NftAsync(params string[] args) =>
        (await ExternalTool.RunAsync("ip", ["netns", "exec", SinkNamespace, "nft", .. args], TimeSpan.FromSeconds(30))).EnsureSuccess();

    private static async Task<ToolResult> TcAsync(string ns, bool check, params string[] args)
    {
        ToolResult result = await ExternalTool.RunAsync("ip", ["netns", "exec", ns, "tc", .. args], TimeSpan.FromSeconds(30));
        return check ? result.EnsureSuccess() : result;
    }

    private static async Task IpAsync(params string[] args) =>
        (await ExternalTool.RunAsync("ip", args, TimeSpan.FromSeconds(30))).EnsureSuccess();
}
