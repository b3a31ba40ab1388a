using System.Text;

namespace VmTeleport.Guests.Hardware;

/// <summary>
/// Finds a domain's XML and snapshots: a file the user names (<c>--domain-xml FILE</c>), or a
/// domain by name (<c>--domain NAME</c>) through virsh when it is installed and connects,
/// otherwise from libvirt's local configuration directory.
/// </summary>
public static class DomainSource
{
    /// <summary>Snapshot directories with more files than this are refused (hostile or broken metadata).</summary>
    internal const int MaxSnapshots = 4096;

    /// <summary>Exactly one of <paramref name="domainXmlFile"/> and <paramref name="domainName"/>: what the CLI's options map to.</summary>
    public static DomainHardware Load(string? domainXmlFile, string? domainName, DomainLookup? lookup = null)
    {
        if ((domainXmlFile is null) == (domainName is null))
        {
            throw new ArgumentException("give either a domain XML file or a domain name, not both or neither");
        }

        return domainXmlFile is not null ? LoadFile(domainXmlFile) : LoadByName(domainName!, lookup);
    }

    /// <summary>
    /// Reads a domain XML file (e.g. saved with <c>virsh dumpxml</c>). Its snapshots are not
    /// known from it alone: <see cref="DomainHardware.Snapshots"/> is null.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">The file is too large, malformed or not a domain.</exception>
    public static DomainHardware LoadFile(string path) => DomainXml.Parse(ReadCapped(path), path);

    /// <summary>
    /// Reads domain <paramref name="name"/>: with virsh (read-only, time-limited) from the URI
    /// of <paramref name="lookup"/>, else from the configuration directory.
    /// </summary>
    /// <exception cref="KeyNotFoundException">Neither place knows the domain; the message says where it looked.</exception>
    /// <exception cref="IOException">virsh failed for another reason, or nothing local can stand in for an unreachable URI.</exception>
    public static DomainHardware LoadByName(string name, DomainLookup? lookup = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/') || name.Contains('\0') || name is "." or "..")
        {
            throw new ArgumentException($"'{name}' cannot be a libvirt domain name", nameof(name));
        }

        lookup ??= new DomainLookup();
        string uri = lookup.EffectiveUri;
        var warnings = new List<string>();
        string? virshPath = Virsh.Find(lookup.VirshPath);
        string whyNotVirsh;
        if (virshPath is not null)
        {
            var virsh = new Virsh(virshPath, uri, lookup.VirshTimeout);
            var dump = virsh.Run("dumpxml", "--inactive", "--domain", name);
            if (dump.Succeeded)
            {
                var domain = DomainXml.Parse(dump.StdOut, virsh.Describe("dumpxml", "--inactive", name));
                var snapshots = VirshSnapshots(virsh, name, warnings);
                return domain with { Snapshots = snapshots, Warnings = warnings };
            }

            if (dump.DomainNotFound)
            {
                throw new KeyNotFoundException(
                    $"libvirt domain '{name}' not found: {virsh.Describe("dumpxml", name)} says {dump.ErrorText}");
            }

            if (!dump.CouldNotConnect)
            {
                throw new IOException($"{virsh.Describe("dumpxml", name)} failed (exit {dump.ExitCode}): {dump.ErrorText}");
            }

            whyNotVirsh = $"virsh could not connect to {uri} ({dump.ErrorText})";
        }
        else
        {
            whyNotVirsh = lookup.VirshPath is null ? "virsh is not installed" : $"there is no virsh at {lookup.VirshPath}";
        }

        if (lookup.ConfigDirectory is null && uri != DomainLookup.SystemUri)
        {
            throw new IOException(
                $"cannot read libvirt domain '{name}': {whyNotVirsh}, and {DomainLookup.SystemConfigDirectory} only holds {DomainLookup.SystemUri} domains, not {uri}'s");
        }

        string configDir = lookup.ConfigDirectory ?? DomainLookup.SystemConfigDirectory;
        string file = Path.Combine(configDir, name + ".xml");
        if (!File.Exists(file))
        {
            throw new KeyNotFoundException($"libvirt domain '{name}' not found: {whyNotVirsh}, and there is no {file}");
        }

        var fromConfig = DomainXml.Parse(ReadCapped(file), file);
        if (fromConfig.Name != name)
        {
            // libvirtd refuses such a file too (virDomainObjListLoadConfig).
            throw new InvalidDataException($"{file}: the domain inside is named '{fromConfig.Name}', not '{name}'");
        }

        warnings.Add($"{whyNotVirsh}; read {file} instead");
        string snapshotDir = Path.Combine(lookup.SnapshotDirectory ?? DomainLookup.SystemSnapshotDirectory, name);
        return fromConfig with { Snapshots = DirectorySnapshots(snapshotDir), Warnings = warnings };
    }

    /// <summary>
    /// snapshot-list, then snapshot-dumpxml for each and snapshot-current once. A failure here
    /// leaves the hardware usable: snapshots become null and a warning says why.
    /// </summary>
    private static List<DomainSnapshot>? VirshSnapshots(Virsh virsh, string domain, List<string> warnings)
    {
        var list = virsh.Run("snapshot-list", "--domain", domain, "--name");
        if (!list.Succeeded)
        {
            warnings.Add($"snapshots not read: {virsh.Describe("snapshot-list", domain, "--name")} failed: {list.ErrorText}");
            return null;
        }

        var names = list.StdOut.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length > MaxSnapshots)
        {
            warnings.Add($"snapshots not read: {domain} has {names.Length}, more than {MaxSnapshots}");
            return null;
        }

        bool? anyCurrent = null;
        string? currentName = null;
        if (names.Length > 0)
        {
            var current = virsh.Run("snapshot-current", "--domain", domain, "--name");
            if (current.Succeeded)
            {
                currentName = current.StdOut.Trim();
                anyCurrent = true;
            }
            else if (current.StdErr.Contains("no current snapshot", StringComparison.OrdinalIgnoreCase))
            {
                anyCurrent = false;
            }
        }

        var snapshots = new List<DomainSnapshot>(names.Length);
        foreach (var snapshotName in names)
        {
            var dump = virsh.Run("snapshot-dumpxml", "--domain", domain, "--snapshotname", snapshotName);
            string describe = virsh.Describe("snapshot-dumpxml", domain, snapshotName);
            if (!dump.Succeeded)
            {
                warnings.Add($"snapshots not read: {describe} failed: {dump.ErrorText}");
                return null;
            }

            var snapshot = DomainXml.ParseSnapshot(dump.StdOut, describe);
            snapshots.Add(snapshot with { Current = anyCurrent is null ? snapshot.Current : snapshot.Name == currentName });
        }

        return Ordered(snapshots);
    }

    /// <summary>libvirt's own metadata files, one &lt;domainsnapshot&gt; per NAME.xml; no directory means no snapshots.</summary>
    private static List<DomainSnapshot> DirectorySnapshots(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var files = Directory.EnumerateFiles(directory, "*.xml").Take(MaxSnapshots + 1).ToList();
        if (files.Count > MaxSnapshots)
        {
            throw new InvalidDataException($"{directory}: more than {MaxSnapshots} snapshot files");
        }

        return Ordered([.. files.Select(f => DomainXml.ParseSnapshot(ReadCapped(f), f))]);
    }

    private static List<DomainSnapshot> Ordered(List<DomainSnapshot> snapshots) =>
        [.. snapshots.OrderBy(s => s.CreationTime ?? DateTimeOffset.MinValue).ThenBy(s => s.Name, StringComparer.Ordinal)];

    /// <summary>
    /// Reads a text file of at most <see cref="XmlSource.MaxCharacters"/> characters, counting as
    /// it reads so a pipe or device path cannot make it allocate without bound.
    /// </summary>
    private static string ReadCapped(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var text = new StringBuilder();
        var buffer = new char[81920];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (text.Length + read > XmlSource.MaxCharacters)
            {
                throw new InvalidDataException(
                    $"{path}: more than the {XmlSource.MaxCharacters} characters a libvirt XML document can have");
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }
}
