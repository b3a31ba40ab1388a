using System.Xml.Linq;

namespace VmTeleport.Guests.Hardware;

/// <summary>&lt;domainsnapshot&gt; documents (https://libvirt.org/formatsnapshot.html).</summary>
public static partial class DomainXml
{
    /// <summary>
    /// Parses one &lt;domainsnapshot&gt;, as <c>virsh snapshot-dumpxml</c> prints it or as libvirt
    /// stores it under /var/lib/libvirt/qemu/snapshot/DOMAIN/. The copy of the domain inside it
    /// is not read: the snapshot's disks and state are what a destination needs.
    /// </summary>
    public static DomainSnapshot ParseSnapshot(string xml, string sourceName)
    {
        var source = XmlSource.Load(xml, sourceName, "domainsnapshot");
        var root = source.Root;
        var memory = root.Element("memory");
        var disks = root.Element("disks");
        return new DomainSnapshot
        {
            Name = XmlSource.Text(root.Element("name")) ?? throw source.Fail(root, "has no <name>"),
            CreationTime = ReadCreationTime(source, root.Element("creationTime")),
            State = XmlSource.Text(root.Element("state")),
            Description = XmlSource.Text(root.Element("description")),
            MemoryKind = XmlSource.Attr(memory, "snapshot"),
            MemoryFile = XmlSource.Attr(memory, "file"),
            Disks = disks is null ? [] : [.. disks.Elements("disk").Select(d => ReadSnapshotDisk(source, d))],
            Parent = XmlSource.Text(root.Element("parent")?.Element("name")),
            Current = ReadActive(source, root.Element("active")),
        };
    }

    private static DateTimeOffset? ReadCreationTime(XmlSource source, XElement? element)
    {
        ulong? seconds = source.UnsignedText(element);
        if (seconds is null)
        {
            return null;
        }

        // DateTimeOffset ends in year 9999 (253402300799 s); libvirt writes time(NULL).
        const ulong lastSecond = 253402300799;
        return seconds.Value <= lastSecond
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds.Value)
            : throw source.Fail(element!, $"{seconds} seconds since 1970 is after the year 9999");
    }

    /// <summary>
    /// libvirt's own snapshot files mark the current snapshot with &lt;active&gt;1&lt;/active&gt;
    /// (VIR_DOMAIN_SNAPSHOT_FORMAT_CURRENT); snapshot-dumpxml leaves it out.
    /// </summary>
    private static bool? ReadActive(XmlSource source, XElement? element) =>
        XmlSource.Text(element) switch
        {
            null => null,
            "1" => true,
            "0" => false,
            var other => throw source.Fail(element!, $"'{other}' is neither 0 nor 1"),
        };

    private static DomainSnapshotDisk ReadSnapshotDisk(XmlSource source, XElement disk) =>
        new()
        {
            Name = XmlSource.Attr(disk, "name") ?? throw source.Fail(disk, "has no name attribute"),
            Kind = XmlSource.Attr(disk, "snapshot"),
            SourceFile = XmlSource.Attr(disk.Element("source"), "file"),
            DriverType = XmlSource.Attr(disk.Element("driver"), "type"),
        };
}
