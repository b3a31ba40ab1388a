namespace VmTeleport.Guests.Hardware;

/// <summary>One libvirt snapshot of the domain (https://libvirt.org/formatsnapshot.html).</summary>
public sealed record DomainSnapshot
{
    public required string Name { get; init; }

    /// <summary>&lt;creationTime&gt; (seconds since the epoch, UTC).</summary>
    public DateTimeOffset? CreationTime { get; init; }

    /// <summary>&lt;state&gt;: the domain's state when taken, "shutoff", "running", "disk-snapshot", ...</summary>
    public string? State { get; init; }

    public string? Description { get; init; }

    /// <summary>&lt;memory snapshot&gt;: "no", "internal" or "external".</summary>
    public string? MemoryKind { get; init; }

    /// <summary>&lt;memory file&gt;: where an external memory snapshot was saved.</summary>
    public string? MemoryFile { get; init; }

    /// <summary>&lt;disks&gt;&lt;disk&gt;: how each disk was captured.</summary>
    public required IReadOnlyList<DomainSnapshotDisk> Disks { get; init; }

    /// <summary>&lt;parent&gt;&lt;name&gt;; null for a root snapshot.</summary>
    public string? Parent { get; init; }

    /// <summary>Whether this is the domain's current snapshot; null when the source does not say.</summary>
    public bool? Current { get; init; }
}
