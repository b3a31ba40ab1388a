namespace VmTeleport.Guests.Hardware;

/// <summary>A disk, cdrom or floppy from &lt;devices&gt;&lt;disk&gt; (formatdomain.html, "Hard drives, floppy disks, CDROMs").</summary>
public sealed record DomainDisk
{
    /// <summary>&lt;disk device&gt;: "disk" (libvirt's default), "cdrom", "floppy", "lun".</summary>
    public required string Device { get; init; }

    /// <summary>&lt;target bus&gt;: "virtio", "sata", "scsi", "ide", "usb", "fdc".</summary>
    public string? Bus { get; init; }

    /// <summary>&lt;target dev&gt;: "vda", "sda", "hdc", ...</summary>
    public string? TargetDev { get; init; }

    /// <summary>&lt;driver name&gt;: "qemu" for QEMU.</summary>
    public string? DriverName { get; init; }

    /// <summary>&lt;driver type&gt;: the image format, "qcow2", "raw", ...</summary>
    public string? DriverType { get; init; }

    /// <summary>&lt;source&gt;; null for an empty cdrom or floppy drive.</summary>
    public DomainDiskSource? Source { get; init; }

    /// <summary>&lt;readonly/&gt; present.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>&lt;shareable/&gt; present.</summary>
    public bool Shareable { get; init; }

    /// <summary>&lt;boot order&gt;.</summary>
    public int? BootOrder { get; init; }

    public string? Serial { get; init; }

    /// <summary>
    /// The &lt;backingStore&gt; chain, nearest first. Null when the XML does not state it (libvirt
    /// then probes the image); empty when it states there is none (&lt;backingStore/&gt;).
    /// </summary>
    public IReadOnlyList<DomainBackingStore>? BackingChain { get; init; }
}
