namespace VmTeleport.Guests.Hardware;

/// <summary>A network interface from &lt;devices&gt;&lt;interface&gt; (formatdomain.html, "Network interfaces").</summary>
public sealed record DomainInterface
{
    /// <summary>&lt;interface type&gt;: "network", "bridge", "direct", "user", "ethernet", ...</summary>
    public required string Type { get; init; }

    /// <summary>&lt;source network&gt;: the libvirt virtual network (type network).</summary>
    public string? SourceNetwork { get; init; }

    /// <summary>&lt;source bridge&gt;: the host bridge (type bridge).</summary>
    public string? SourceBridge { get; init; }

    /// <summary>&lt;source dev&gt;: the host device a macvtap sits on (type direct).</summary>
    public string? SourceDevice { get; init; }

    /// <summary>&lt;source mode&gt;: "vepa", "bridge", "private", "passthrough" (type direct).</summary>
    public string? SourceMode { get; init; }

    /// <summary>&lt;source portgroup&gt;.</summary>
    public string? PortGroup { get; init; }

    /// <summary>&lt;model type&gt;: "virtio", "e1000e", "rtl8139", ...</summary>
    public string? Model { get; init; }

    /// <summary>&lt;mac address&gt;, lowercase.</summary>
    public string? Mac { get; init; }

    /// <summary>&lt;boot order&gt;.</summary>
    public int? BootOrder { get; init; }
}
