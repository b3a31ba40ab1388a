namespace VmTeleport.FileSystems;

/// <summary>
/// A read-only filesystem opened on a block source. Paths are absolute and never follow
/// symlinks (lstat semantics); "." and ".." are never returned. <see cref="OpenRead"/> may be
/// called from several threads at once (each stream used by one thread), so that files can be
/// hashed in parallel while <see cref="Walk"/> goes on.
/// </summary>
public interface IFileSystem : IDisposable
{
    /// <summary>"ext2", "ext3" or "ext4".</summary>
    string Type { get; }

    Guid Uuid { get; }

    string Label { get; }

    /// <summary>Things the reader noticed but could live with (for example "needs journal recovery").</summary>
    IReadOnlyList<string> Warnings { get; }

    FileSystemEntry Root { get; }

    /// <summary>The entry at <paramref name="path"/>; throws <see cref="FileNotFoundException"/> when absent.</summary>
    FileSystemEntry GetEntry(string path);

    /// <summary>The entries of a directory, sorted by the bytes of their names.</summary>
    IEnumerable<FileSystemEntry> ListDirectory(FileSystemEntry directory);

    /// <summary>Every entry, depth first, root first, each directory's entries sorted by the bytes of their names.</summary>
    IEnumerable<FileSystemEntry> Walk();

    /// <summary>A read-only stream of a regular file's content; holes read as zeros.</summary>
    Stream OpenRead(FileSystemEntry file);

    /// <summary>The ranges of a regular file that hold data (holes and uninitialized extents excluded).</summary>
    IEnumerable<FileRange> GetDataRanges(FileSystemEntry file);
}
