using VmTeleport.TestSupport;

namespace VmTeleport.Guests.Tests.Hardware;

/// <summary>
/// libvirt's built-in test driver (test:///default): a hypervisor in the virsh process itself,
/// no daemon. Its state lives only for one virsh invocation, so define and read in one call.
/// </summary>
internal static class VirshTestDriver
{
    private const string Marker = "@@vmteleport-section@@";

    /// <summary>
    /// Defines <paramref name="xml"/> and returns libvirt's own dumpxml of it and its dominfo
    /// fields ("CPU(s)" -> "2", "Max memory" -> "2097152 KiB", ...).
    /// </summary>
    public static (string DumpXml, IReadOnlyDictionary<string, string> DomInfo) DefineAndRead(string xml, string name)
    {
        using var dir = new TempDirectory();
        string file = dir.Write("domain.xml", xml);
        var r = ExternalCommand.Run(
            "virsh",
            ["-c", "test:///default", $"define {file}; echo {Marker}; dumpxml --inactive {name}; echo {Marker}; dominfo {name}"],
            TimeSpan.FromSeconds(30));
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"virsh test driver refused {name}: {r.StdErr}");
        }

        var sections = r.StdOut.Split(Marker + "\n");
        if (sections.Length != 3)
        {
            throw new InvalidOperationException($"unexpected virsh output:\n{r.StdOut}");
        }

        var info = new Dictionary<string, string>();
        foreach (var line in sections[2].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                info[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return (sections[1], info);
    }
}
