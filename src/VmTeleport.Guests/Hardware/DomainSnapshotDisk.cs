namespace VmTeleport.Guests.Hardware;

/// <summary>One &lt;disks&gt;&lt;disk&gt; of a snapshot.</summary>
public sealed record DomainSnapshotDisk
{
    /// <summary>&lt;disk name&gt;: the target dev ("vda") or source path of the disk.</summary>
    public required string Name { get; init; }

    /// <summary>&lt;disk snapshot&gt;: "no", "internal", "external" or "manual".</summary>
    public string? Kind { get; init; }

    /// <summary>&lt;source file&gt; of an external snapshot: the new overlay.</summary>
    public string? SourceFile { get; init; }

    /// <summary>&lt;driver type&gt; of an external snapshot's overlay.</summary>
    public string? DriverType { get; init; }
}
