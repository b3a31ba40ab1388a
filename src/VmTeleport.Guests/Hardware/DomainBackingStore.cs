namespace VmTeleport.Guests.Hardware;

/// <summary>One layer of a disk's &lt;backingStore&gt; chain: &lt;format type&gt; and &lt;source&gt;.</summary>
public sealed record DomainBackingStore
{
    /// <summary>&lt;format type&gt;: "qcow2", "raw", ...</summary>
    public string? Format { get; init; }

    public DomainDiskSource? Source { get; init; }
}
