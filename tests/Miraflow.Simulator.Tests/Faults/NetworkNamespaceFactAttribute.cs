namespace Miraflow.Simulator.Tests.Faults;

/// <summary>
/// A fact that needs network namespaces (<c>ip netns add</c>, a veth pair inside them and
/// <c>ip netns exec</c>): skipped, with the kernel's or iproute2's own words, where they are
/// refused (not root, no CAP_SYS_ADMIN/CAP_NET_ADMIN, a kernel without them, not Linux). The probe
/// runs once per test process. xunit 2 has no dynamic skip, so the attribute sets
/// <see cref="FactAttribute.Skip"/> from the probe when it is constructed.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> s_refused = new(Probe);

    public NetworkNamespaceFactAttribute()
    {
        if (s_refused.Value is string reason)
        {
            Skip = reason;
        }
    }

    /// <summary>Null when namespaces work here, otherwise why the fault tests are skipped.</summary>
    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "The network fault tests need Linux network namespaces.";
        }

        // A missing `ip` is a broken machine (iproute2 is in eng/apt-packages.txt), not a reason to
        // skip: the test then fails naming the package.
        string ns = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"mfprobe-{Environment.ProcessId}");
        bool added = false;
        try
        {
            _ = ExternalTool.Require("ip");
            (int code, _, string error) = ExternalTool.Run("ip", "netns", "add", ns);
            added = code == 0;
            if (code != 0)
            {
                return $"The network fault tests are skipped: network namespaces are refused here (`ip netns add` said: {error.Trim()}). Run them as root, or with CAP_SYS_ADMIN and CAP_NET_ADMIN, on a kernel with network namespaces.";
            }

            (code, _, error) = ExternalTool.Run("ip", "-n", ns, "link", "add", "mfp0", "type", "veth", "peer", "name", "mfp1");
            if (code != 0)
            {
                return $"The network fault tests are skipped: a veth pair cannot be made inside a network namespace here (`ip link add ... type veth` said: {error.Trim()}).";
            }

            (code, _, error) = ExternalTool.Run("ip", "netns", "exec", ns, "true");
            return code != 0
                ? $"The network fault tests are skipped: processes cannot be started inside a network namespace here (`ip netns exec` said: {error.Trim()})."
                : null;
        }
        catch (Xunit.Sdk.XunitException)
        {
            return null; // `ip` is missing: run, and fail naming the package
        }
        finally
        {
            if (added)
            {
                _ = ExternalTool.Run("ip", "netns", "delete", ns);
            }
        }
    }
}
