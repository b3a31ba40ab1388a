using VmTeleport.FileSystems;
using VmTeleport.Guests.Os;

namespace VmTeleport.Guests.Volumes;

/// <summary>
/// What a filesystem is for, judged from what is on it before fstab is read (libguestfs'
/// inspection does the same): each rule is a predicate on the paths at its top level.
/// </summary>
public static class VolumeRole
{
    public const string EspTypeGuid = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";

    public static string Of(IFileSystem fs)
    {
        ArgumentNullException.ThrowIfNull(fs);
        if (OsProbe.LooksLikeRoot(fs))
        {
            return "root";
        }

        HashSet<string> top;
        try
        {
            top = fs.ListDirectory(fs.Root).Select(e => e.Path.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return "unknown";
        }

        top.Remove("lost+found");
        if (top.Any(n => n.StartsWith("vmlinuz", StringComparison.Ordinal)) || top.Contains("grub") || top.Contains("grub2") ||
            top.Contains("loader") || top.Contains("efi") && top.Contains("config"))
        {
            return "boot";
        }

        if (top.Contains("lib") && (top.Contains("log") || top.Contains("cache") || top.Contains("spool")))
        {
            return "var";
        }

        if (top.Contains("bin") && top.Contains("share") && (top.Contains("lib") || top.Contains("lib64")))
        {
            return "usr";
        }

        // A /home holds one directory per user and little else.
        if (top.Count > 0 && fs.ListDirectory(fs.Root).Where(e => e.Path != "/lost+found")
                .All(e => e.Type == EntryType.Directory && e.Uid >= 1000))
        {
            return "home";
        }

        return "data";
    }
}
