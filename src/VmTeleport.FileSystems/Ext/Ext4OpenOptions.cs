namespace VmTeleport.FileSystems.Ext;

/// <summary>How strictly <see cref="Ext4FileSystem"/> treats what it reads.</summary>
public sealed record Ext4OpenOptions
{
    public static Ext4OpenOptions Default { get; } = new();

    /// <summary>Verify metadata_csum checksums (superblock, group descriptors, inodes, extent, directory and xattr blocks).</summary>
    public bool VerifyChecksums { get; init; } = true;

    /// <summary>Report checksum mismatches in <see cref="IFileSystem.Warnings"/> instead of throwing.</summary>
    public bool ChecksumErrorsAsWarnings { get; init; }
}
