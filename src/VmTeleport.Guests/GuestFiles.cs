using System.Text;
using VmTeleport.FileSystems;

namespace VmTeleport.Guests;

/// <summary>
/// Reads small configuration files out of a guest: symlinks followed inside the guest (never
/// outside), sizes capped so that a hostile guest cannot make the reader load gigabytes, and
/// every failure turned into a problem for the description instead of an abort.
/// </summary>
public static class GuestFiles
{
    /// <summary>The entry a path names after following symlinks, or null when it does not exist.</summary>
    public static FileSystemEntry? Find(IFileSystem guest, string path)
    {
        ArgumentNullException.ThrowIfNull(guest);
        try
        {
            return SymlinkResolver.Resolve(guest, path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The text of a regular file (UTF-8, invalid bytes replaced), or null when it is absent,
    /// not a regular file, larger than <paramref name="maxBytes"/> or unreadable; every case but
    /// absence is added to <paramref name="problems"/>.
    /// </summary>
    public static string? ReadText(IFileSystem guest, string path, long maxBytes, ICollection<string> problems)
    {
        var bytes = ReadBytes(guest, path, maxBytes, problems);
        return bytes is null ? null : Encoding.UTF8.GetString(bytes);
    }

    /// <inheritdoc cref="ReadText"/>
    public static byte[]? ReadBytes(IFileSystem guest, string path, long maxBytes, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        FileSystemEntry? entry;
        try
        {
            entry = Find(guest, path);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            problems.Add($"{path}: cannot be looked up: {e.Message}");
            return null;
        }

        if (entry is null)
        {
            return null;
        }

        if (entry.Type != EntryType.File)
        {
            problems.Add($"{path}: is a {entry.Type.ToString().ToLowerInvariant()}, not a regular file");
            return null;
        }

        if (entry.Size > maxBytes)
        {
            problems.Add($"{path}: {entry.Size} bytes, more than the {maxBytes} read for such a file; skipped");
            return null;
        }

        try
        {
            using var stream = guest.OpenRead(entry);
            var buffer = new byte[entry.Size];
            stream.ReadExactly(buffer);
            return buffer;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or EndOfStreamException)
        {
            problems.Add($"{path}: cannot be read: {e.Message}");
            return null;
        }
    }
}
