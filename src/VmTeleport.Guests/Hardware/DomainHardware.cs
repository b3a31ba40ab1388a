namespace VmTeleport.Guests.Hardware;

/// <summary>
/// What a destination needs to re-create a libvirt domain: identity, CPUs, memory, firmware,
/// disks, NICs and the devices around them, plus the domain's snapshots. Read from the domain
/// XML (https://libvirt.org/formatdomain.html); an element the XML does not state is null.
/// </summary>
public sealed record DomainHardware
{
    /// <summary>Where the XML came from: a file path, "virsh -c URI dumpxml NAME", or a config file.</summary>
    public required string ReadFrom { get; init; }

    public required string Name { get; init; }

    /// <summary>The domain's UUID as written in &lt;uuid&gt; (lowercase).</summary>
    public string? Uuid { get; init; }

    /// <summary>The hypervisor type of &lt;domain type&gt;: "kvm", "qemu", "xen", ...</summary>
    public string? DomainType { get; init; }

    public string? Title { get; init; }

    /// <summary>Maximum vCPUs (&lt;vcpu&gt; text).</summary>
    public int? Vcpus { get; init; }

    /// <summary>vCPUs online at boot (&lt;vcpu current&gt;); null means all of <see cref="Vcpus"/>.</summary>
    public int? CurrentVcpus { get; init; }

    /// <summary>&lt;memory&gt;, the boot-time maximum, in bytes (rounded up to KiB as libvirt stores it).</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>&lt;currentMemory&gt;, the balloon target, in bytes.</summary>
    public long? CurrentMemoryBytes { get; init; }

    /// <summary>&lt;maxMemory&gt;, the hotplug ceiling, in bytes.</summary>
    public long? MaxMemoryBytes { get; init; }

    /// <summary>&lt;os&gt;&lt;type arch&gt;: "x86_64", "aarch64", ...</summary>
    public string? Arch { get; init; }

    /// <summary>&lt;os&gt;&lt;type machine&gt;: "pc-i440fx-7.2", "pc-q35-7.2", "q35", ...</summary>
    public string? MachineType { get; init; }

    /// <summary>&lt;os&gt;&lt;type&gt; text: "hvm" for full virtualization.</summary>
    public string? OsType { get; init; }

    public required DomainFirmware Firmware { get; init; }

    /// <summary>&lt;os&gt;&lt;boot dev&gt; in order ("hd", "cdrom", "network", "fd").</summary>
    public required IReadOnlyList<string> BootDevices { get; init; }

    public DomainCpu? Cpu { get; init; }

    /// <summary>Names of the elements under &lt;features&gt; ("acpi", "apic", "smm", ...).</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>&lt;devices&gt;&lt;emulator&gt;: the QEMU binary on the source host.</summary>
    public string? Emulator { get; init; }

    public required IReadOnlyList<DomainDisk> Disks { get; init; }

    public required IReadOnlyList<DomainInterface> Interfaces { get; init; }

    public required IReadOnlyList<DomainController> Controllers { get; init; }

    public required IReadOnlyList<DomainGraphics> Graphics { get; init; }

    public required IReadOnlyList<DomainVideo> Video { get; init; }

    public required IReadOnlyList<DomainTpm> Tpms { get; init; }

    /// <summary>The domain's snapshots, oldest first; null when they were not looked up (a lone XML file) or could not be read.</summary>
    public IReadOnlyList<DomainSnapshot>? Snapshots { get; init; }

    /// <summary>What could not be read or was read from a second-best place, one sentence each.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
