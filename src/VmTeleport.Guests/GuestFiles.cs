using System.Text;
using VmTeleport.FileSystems;

namespace VmTeleport.Guests;

/// <summary>
/// Reads small configuration files of a guest the way a probe should: symlinks followed inside the
/// guest only, sizes capped, and anything unreadable recorded as a problem instead of thrown.
/// </summary>
public static class GuestFiles
{
    /// <summary>The largest configuration file read into memory: 1 MiB, far above any real one.</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The most directory entries looked at in one configuration directory.</summary>
    public const int MaxDirectoryEntries = 4096;

    /// <summary>What <paramref name="path"/> finally names, or null when it does not exist (no problem recorded).</summary>
    public static FileSystemEntry? Resolve(IFileSystem fs, string path, ICollection<string> problems)
    {
        if (TryResolve(fs, path, out var entry, out var error))
        {
            return entry;
        }

        if (error is not null)
        {
            problems.Add(error);
        }

        return null;
    }

    /// <summary>
    /// Follows <paramref name="path"/> inside the guest. False with a null error when it (or a
    /// symlink's target) does not exist; false with the error for loops and damaged metadata.
    /// </summary>
    public static bool TryResolve(IFileSystem fs, string path, out FileSystemEntry? entry, out string? error)
    {
        entry = null;
        error = null;
        try
        {
            entry = SymlinkResolver.Resolve(fs, path);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            error = Prefix(path, e.Message);
            return false;
        }
    }

    /// <summary>"path: message", unless the message already starts with the path.</summary>
    public static string Prefix(string path, string message) =>
        message.StartsWith(path + ":", StringComparison.Ordinal) ? message : $"{path}: {message}";

    /// <summary>
    /// The entry a path names after following symlinks, or null when it does not exist; damaged
    /// metadata and symlink loops throw (callers that only probe use <see cref="TryResolve"/>).
    /// </summary>
    public static FileSystemEntry? Find(IFileSystem fs, string path)
    {
        ArgumentNullException.ThrowIfNull(fs);
        try
        {
            return SymlinkResolver.Resolve(fs, path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The text of a regular file (UTF-8, invalid bytes replaced), or null as
    /// <see cref="ReadAll(IFileSystem, string, ICollection{string}, long)"/> says.
    /// </summary>
    public static string? ReadText(IFileSystem fs, string path, long cap, ICollection<string> problems) =>
        ReadAll(fs, path, problems, cap) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>True when <paramref name="path"/> names something in the guest, following symlinks.</summary>
    public static bool Exists(IFileSystem fs, string path) => Resolve(fs, path, new List<string>()) is not null;

    /// <summary>
    /// The content of the regular file <paramref name="path"/> names, or null (with a problem when it
    /// exists but cannot be read: not a regular file, larger than <paramref name="cap"/>, damaged).
    /// </summary>
    public static byte[]? ReadAll(IFileSystem fs, string path, ICollection<string> problems, long cap = MaxFileBytes)
    {
        var entry = Resolve(fs, path, problems);
        return entry is null ? null : ReadAll(fs, entry, path, problems, cap);
    }

    /// <summary>As <see cref="ReadAll(IFileSystem, string, ICollection{string}, int)"/> for an entry already resolved.</summary>
    public static byte[]? ReadAll(IFileSystem fs, FileSystemEntry entry, string path, ICollection<string> problems, long cap = MaxFileBytes)
    {
        if (entry.Type != EntryType.File)
        {
            problems.Add($"{path}: is a {entry.Type.ToString().ToLowerInvariant()}, not a regular file");
            return null;
        }

        if (entry.Size > cap)
        {
            problems.Add($"{path}: {entry.Size} bytes, more than the {cap} bytes read; skipped");
            return null;
        }

        return ReadEntry(fs, entry, path, problems);
    }

    /// <summary>Reads a regular file already resolved (its size checked by the caller).</summary>
    private static byte[]? ReadEntry(IFileSystem fs, FileSystemEntry file, string path, ICollection<string> problems)
    {
        try
        {
            var bytes = new byte[file.Size];
            using var stream = fs.OpenRead(file);
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            problems.Add(Prefix(path, e.Message));
            return null;
        }
    }

    /// <summary>
    /// The names in directory <paramref name="path"/> (followed if a symlink) sorted by their bytes,
    /// or empty when it does not exist; at most <see cref="MaxDirectoryEntries"/>.
    /// </summary>
    public static IReadOnlyList<string> ListNames(IFileSystem fs, string path, ICollection<string> problems)
    {
        var dir = Resolve(fs, path, problems);
        if (dir is null)
        {
            return [];
        }

        if (dir.Type != EntryType.Directory)
        {
            problems.Add($"{path}: is a {dir.Type.ToString().ToLowerInvariant()}, not a directory");
            return [];
        }

        var names = new List<string>();
        try
        {
            foreach (var entry in fs.ListDirectory(dir))
            {
                if (names.Count == MaxDirectoryEntries)
                {
                    problems.Add($"{path}: more than {MaxDirectoryEntries} entries; the rest are not read");
                    break;
                }

                names.Add(entry.Path[(entry.Path.LastIndexOf('/') + 1)..]);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            problems.Add(Prefix(path, e.Message));
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Joins a directory path and a name.</summary>
    public static string Combine(string directory, string name) =>
        directory.EndsWith('/') ? directory + name : directory + "/" + name;
}
