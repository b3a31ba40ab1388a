namespace VmTeleport.Content.Index;

/// <summary>One row of the index's sources table: a place whose content the destination holds.</summary>
public sealed record IndexedSource
{
    public required long Id { get; init; }

    public required SourceKind Kind { get; init; }

    /// <summary>Absolute path of the image or .deb (a URL for apt repositories).</summary>
    public required string Location { get; init; }

    /// <summary>The qcow2 internal snapshot's name for <see cref="SourceKind.Snapshot"/>, else null.</summary>
    public string? Snapshot { get; init; }

    /// <summary>"qcow2", "raw" or "deb".</summary>
    public required string Format { get; init; }

    /// <summary>Size of the file in bytes when it was indexed.</summary>
    public required long Size { get; init; }

    public required long MtimeNs { get; init; }

    /// <summary>What decides that the source is unchanged (size, mtime, qcow2 snapshot table).</summary>
    public required string Fingerprint { get; init; }

    /// <summary>os-release ID of the guest ("debian"), null for debs and guests without one.</summary>
    public string? Distro { get; init; }

    public string? DistroVersion { get; init; }

    public string? Codename { get; init; }

    /// <summary>
    /// The APT suite its packages belong to ("bookworm", "bookworm-security"), for .debs and APT
    /// repositories; null when unknown (and for images, whose release is <see cref="Codename"/>).
    /// </summary>
    public string? Suite { get; init; }

    /// <summary>"indexed": every row of the source is present (a source is written in one transaction).</summary>
    public required string State { get; init; }

    public required DateTimeOffset IndexedAt { get; init; }

    /// <summary>Regular files indexed (package files for debs).</summary>
    public required long Files { get; init; }

    /// <summary>Raw regions indexed (images only).</summary>
    public required long Regions { get; init; }

    /// <summary>Chunks of all files and regions, duplicates counted.</summary>
    public required long Chunks { get; init; }

    /// <summary>Bytes of all files and regions.</summary>
    public required long Bytes { get; init; }

    /// <summary>"image@snapshot" or the location.</summary>
    public string Spec => Snapshot is null ? Location : $"{Location}@{Snapshot}";
}
