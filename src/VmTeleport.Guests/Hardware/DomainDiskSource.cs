namespace VmTeleport.Guests.Hardware;

/// <summary>
/// Where a disk's or a backing store's bytes live: &lt;disk type&gt; (or &lt;backingStore type&gt;)
/// with the matching &lt;source&gt; attribute.
/// </summary>
public sealed record DomainDiskSource
{
    /// <summary>"file" (libvirt's default), "block", "volume", "network", "dir", "nvme", ...</summary>
    public required string Type { get; init; }

    /// <summary>&lt;source file&gt; (type file).</summary>
    public string? File { get; init; }

    /// <summary>&lt;source dev&gt; (type block).</summary>
    public string? Dev { get; init; }

    /// <summary>&lt;source dir&gt; (type dir).</summary>
    public string? Dir { get; init; }

    /// <summary>&lt;source pool&gt; (type volume).</summary>
    public string? Pool { get; init; }

    /// <summary>&lt;source volume&gt; (type volume).</summary>
    public string? Volume { get; init; }

    /// <summary>&lt;source protocol&gt;: "rbd", "nbd", "iscsi", "http", ... (type network).</summary>
    public string? Protocol { get; init; }

    /// <summary>&lt;source name&gt;: the image or export name (type network).</summary>
    public string? Name { get; init; }
}
