namespace VmTeleport.Guests.Hardware;

/// <summary>
/// A &lt;devices&gt;&lt;controller&gt;: the buses disks and NICs hang on (sata, scsi with its
/// model, usb, virtio-serial) and, on q35, the PCIe root ports that bound how many devices
/// can be hot-plugged.
/// </summary>
public sealed record DomainController
{
    /// <summary>&lt;controller type&gt;: "sata", "scsi", "usb", "pci", "virtio-serial", "ide", ...</summary>
    public string? Type { get; init; }

    /// <summary>&lt;controller index&gt;.</summary>
    public int? Index { get; init; }

    /// <summary>&lt;controller model&gt;: "virtio-scsi", "qemu-xhci", "pcie-root-port", ...</summary>
    public string? Model { get; init; }
}
