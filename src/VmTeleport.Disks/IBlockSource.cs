namespace VmTeleport.Disks;

/// <summary>
/// A read-only, random-access view of a virtual disk (or a part of one). Every reader in the
/// pipeline consumes this, so a qcow2 snapshot, a raw file and a partition all look alike.
/// </summary>
public interface IBlockSource : IDisposable
{
    /// <summary>What this is, for error messages: "disk.qcow2", "disk.qcow2@snap1", "disk.raw partition 2".</summary>
    string Description { get; }

    /// <summary>Virtual size in bytes.</summary>
    long Length { get; }

    /// <summary>
    /// Fills <paramref name="buffer"/> with the bytes at <paramref name="offset"/>. Unallocated and
    /// zero ranges read as zeros. Reading past <see cref="Length"/> throws
    /// <see cref="ArgumentOutOfRangeException"/>; corrupt metadata throws <see cref="InvalidDataException"/>.
    /// </summary>
    void ReadAt(long offset, Span<byte> buffer);

    /// <summary>
    /// The allocation map of [offset, offset + length): ordered, adjacent, non-overlapping extents
    /// that cover the range exactly. Consumers skip <see cref="ExtentKind.Zero"/> and
    /// <see cref="ExtentKind.Unallocated"/> extents without reading them.
    /// </summary>
    IEnumerable<DiskExtent> GetExtents(long offset, long length);
}
