using VmTeleport.Content.Debs;
using VmTeleport.FileSystems;
using VmTeleport.Rebuild.Staging;

namespace VmTeleport.Rebuild.Functional;

/// <summary>
/// Makes the staged guest whole before its dpkg runs. The old versions' files of newer packages
/// were never fetched, and some of them are what dpkg and the maintainer scripts load (dpkg and
/// grep need libpcre2, every script needs the shell's libraries): a chroot missing them cannot run
/// anything. So every path a newer archive ships that the staging lacks is written there from the
/// archive first — the state a half-done upgrade would leave, which dpkg then installs over.
/// Paths are resolved through the guest's own directory symlinks (<see cref="GuestPathResolver"/>,
/// inside the guest's namespace) and created by <see cref="StagingTree"/>, which never follows a
/// symlink nor replaces a name: nothing is written outside the staged volumes.
/// Returns the guest paths placed for each package (by info name), so that a package dpkg then
/// refuses can have its placed paths taken away again.
/// </summary>
internal static class ArchivePreplacement
{
    public static Dictionary<string, List<string>> Place(IReadOnlyList<StagedVolume> volumes, IEnumerable<PackageUpgrade> upgrades, GuestPathResolver resolver)
    {
        var trees = new Dictionary<int, StagingTree>();
        var placedBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        try
        {
            foreach (var u in upgrades)
            {
                var placed = placedBy[u.InfoName] = [];
                var first = new Dictionary<string, string>(StringComparer.Ordinal); // archive path → canonical path placed
                using var deb = DebArchive.Open(u.DebPath);
                foreach (var e in deb.ReadData())
                {
                    if (e.Path == "/" || e.Type is not (DebEntryType.RegularFile or DebEntryType.Directory or DebEntryType.SymbolicLink or DebEntryType.HardLink))
                    {
                        continue;
                    }

                    var guest = resolver.Canonical(e.Path);
                    var (v, inVolume) = StagedVolume.Locate(volumes, guest);
                    var full = v.Lower + inVolume;
                    if (Directory.Exists(full) || File.Exists(full) || new FileInfo(full).LinkTarget is not null)
                    {
                        continue;
                    }

                    if (!trees.TryGetValue(v.Number, out var tree))
                    {
                        tree = trees[v.Number] = new StagingTree(v.Lower);
                    }

                    var entry = new FileSystemEntry
                    {
                        Path = inVolume,
                        Type = e.Type switch
                        {
                            DebEntryType.Directory => EntryType.Directory,
                            DebEntryType.SymbolicLink => EntryType.Symlink,
                            _ => EntryType.File,
                        },
                        Mode = (int)e.Mode,
                        Uid = (uint)e.Uid,
                        Gid = (uint)e.Gid,
                        Size = e.Size,
                        MtimeNs = e.ModificationTime.ToUnixTimeMilliseconds() * 1_000_000,
                        LinkCount = 1,
                        Inode = 0,
                        Target = e.LinkTarget,
                    };
                    if (e.Type == DebEntryType.HardLink)
                    {
                        if (e.LinkTarget is { } target && first.TryGetValue(target, out var at) && at.StartsWith(v.MountPoint == "/" ? "/" : v.MountPoint + "/", StringComparison.Ordinal))
                        {
                            tree.Add(entry, linkOf: v.MountPoint == "/" ? at : at[v.MountPoint.Length..]);
                            placed.Add(guest);
                        }

                        continue;
                    }

                    var content = e.Content;
                    tree.Add(entry, entry.Type == EntryType.File ? sink => Copy(content!, sink) : null);
                    first[e.Path] = guest;
                    placed.Add(guest);
                }
            }

            foreach (var tree in trees.Values)
            {
                tree.Complete();
            }
        }
        finally
        {
            foreach (var tree in trees.Values)
            {
                tree.Dispose();
            }
        }

        return placedBy;
    }

    private static void Copy(Stream content, IContentSink sink)
    {
        var buffer = new byte[1 << 16];
        long offset = 0;
        int n;
        while ((n = content.Read(buffer)) > 0)
        {
            sink.Write(offset, buffer.AsSpan(0, n));
            offset += n;
        }
    }
}
