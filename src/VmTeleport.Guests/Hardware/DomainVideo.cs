namespace VmTeleport.Guests.Hardware;

/// <summary>A &lt;devices&gt;&lt;video&gt;&lt;model&gt;: the emulated display adapter.</summary>
public sealed record DomainVideo
{
    /// <summary>&lt;model type&gt;: "virtio", "qxl", "vga", "cirrus", "bochs", "none".</summary>
    public required string Model { get; init; }

    /// <summary>&lt;model vram&gt;, given by libvirt in KiB, here in bytes.</summary>
    public long? VramBytes { get; init; }

    /// <summary>&lt;model heads&gt;.</summary>
    public int? Heads { get; init; }
}
