using System.Text;
using VmTeleport.FileSystems;

namespace VmTeleport.Rebuild.Staging;

/// <summary>
/// A directory tree built from guest entries for <c>mkfs.ext4 -d</c>. Guest names are hostile
/// input: every entry is created relative to an open file descriptor of its parent, which was
/// itself opened component by component from the staging root with O_NOFOLLOW | O_DIRECTORY;
/// names are checked by <see cref="StagingName"/>; creation never follows or replaces anything
/// (mkdirat, symlinkat, mknodat, openat with O_CREAT | O_EXCL | O_NOFOLLOW). So a symlink `a -> /tmp`
/// followed by an entry `a/b`, or a name `..`, fails with <see cref="InvalidDataException"/> and
/// nothing is ever written outside the root. Entries must come parents first (walk order).
/// Entries are created in order on the caller's thread; a regular file's content and then its own
/// metadata go to <c>threads</c> workers (<c>StagingTree.Files.cs</c>).
/// </summary>
public sealed partial class StagingTree : IDisposable
{
    private const int SIfChr = 0x2000, SIfBlk = 0x6000, SIfIfo = 0x1000, SIfSock = 0xC000;
    private readonly string _root;
    private readonly int _rootFd;
    private readonly List<(byte[] Name, int Fd)> _open = [];
    private readonly List<FileSystemEntry> _directories = [];
    private readonly FileWriters _files;

    /// <param name="root">An existing, empty directory.</param>
    /// <param name="threads">Workers that write file content; 1 writes each file inside <see cref="Add"/>.</param>
    public StagingTree(string root, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _root = root;
        _rootFd = NativeMethods.OpenAt(NativeMethods.AtFdcwd, StagingName.Z(Encoding.UTF8.GetBytes(root)),
            NativeMethods.ORdonly | NativeMethods.ODirectory | NativeMethods.ONofollow | NativeMethods.OCloexec, 0);
        if (_rootFd < 0)
        {
            throw new IOException($"staging: cannot open the staging directory {root}: {NativeMethods.Error()}");
        }

        _files = new FileWriters(threads);
    }

    /// <summary>
    /// Creates <paramref name="entry"/> with its owner, mode, xattrs and times (directories' times in
    /// <see cref="Complete"/>). A regular file is created here; its content, owner, xattrs, mode and
    /// times may be set later on a worker, and a worker's failure is thrown by a later call.
    /// </summary>
    /// <param name="content">Writes a regular file's bytes; null for other types.</param>
    /// <param name="linkOf">For a further name of a hard-linked inode, the path created first; the new name becomes a hard link to it.</param>
    public void Add(FileSystemEntry entry, Action<IContentSink>? content = null, string? linkOf = null)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _files.ThrowIfFailed();
        var parts = StagingName.Split(entry.Path);
        if (parts.Count == 0)
        {
            ApplyMetadata(_rootFd, StagingName.Z([.. "."u8]), entry, isRoot: true);
            _directories.Add(entry);
            return;
        }

        int parent = Parent(parts, entry.Path);
        var name = StagingName.Z(parts[^1]);
        if (linkOf is not null)
        {
            var oldParts = StagingName.Split(linkOf);
            int oldParent = OpenChain(oldParts.Take(oldParts.Count - 1), linkOf);
            try
            {
                Check(NativeMethods.LinkAt(oldParent, StagingName.Z(oldParts[^1]), parent, name, 0), "link", entry.Path);
            }
            finally
            {
                NativeMethods.Close(oldParent);
            }

            return;
        }

        switch (entry.Type)
        {
            case EntryType.Directory:
                Check(NativeMethods.MkdirAt(parent, name, 0x1C0), "mkdir", entry.Path);
                _directories.Add(entry);
                break;
            case EntryType.File:
                int fd = NativeMethods.OpenAt(parent, name,
                    NativeMethods.OWronly | NativeMethods.OCreat | NativeMethods.OExcl | NativeMethods.ONofollow | NativeMethods.OCloexec, 0x180);
                Check(fd, "create", entry.Path);
                _files.Write(new StagedFile(fd, entry, content));
                return;
            case EntryType.Symlink:
                Check(NativeMethods.SymlinkAt(StagingName.Z(StagingName.Encode(entry.Target ?? "")), parent, name), "symlink", entry.Path);
                break;
            default:
                int type = entry.Type switch
                {
                    EntryType.CharDevice => SIfChr,
                    EntryType.BlockDevice => SIfBlk,
                    EntryType.Fifo => SIfIfo,
                    EntryType.Socket => SIfSock,
                    _ => throw new NotSupportedException($"staging: {entry.Path} has type {entry.Type}"),
                };
                Check(NativeMethods.MknodAt(parent, name, type | 0x180, NativeMethods.MakeDev(entry.RdevMajor, entry.RdevMinor)), "mknod", entry.Path);
                break;
        }

        ApplyMetadata(parent, name, entry, isRoot: false);
        if (entry.Type != EntryType.Directory)
        {
            SetTimes(parent, name, entry);
        }
    }

    /// <summary>Sets every directory's times, deepest first, once nothing more will be created in them.</summary>
    public void Complete()
    {
        // Writing a file's content does not touch its directory, but a directory is complete only
        // once every file in it is.
        _files.Complete();
        foreach (var dir in _directories.OrderByDescending(d => d.Path.Count(c => c == '/')).ThenBy(d => d.Path, StringComparer.Ordinal))
        {
            var parts = StagingName.Split(dir.Path);
            if (parts.Count == 0)
            {
                SetTimes(_rootFd, StagingName.Z([.. "."u8]), dir);
                continue;
            }

            int parent = OpenChain(parts.Take(parts.Count - 1), dir.Path);
            try
            {
                SetTimes(parent, StagingName.Z(parts[^1]), dir);
            }
            finally
            {
                NativeMethods.Close(parent);
            }
        }
    }

    private void ApplyMetadata(int parent, byte[] name, FileSystemEntry entry, bool isRoot)
    {
        Check(NativeMethods.FchownAt(parent, name, entry.Uid, entry.Gid, isRoot ? 0 : NativeMethods.AtSymlinkNofollow), "chown", entry.Path);
        if (entry.ExtendedAttributes.Count > 0)
        {
            // /proc/self/fd/N names the parent we hold open; the last component is a plain name
            // that lsetxattr does not follow.
            var path = StagingName.Z([.. Encoding.ASCII.GetBytes($"/proc/self/fd/{parent}/"), .. name[..^1]]);
            foreach (var x in entry.ExtendedAttributes)
            {
                Check(NativeMethods.LSetXattr(path, StagingName.Z(Encoding.UTF8.GetBytes(x.Name)), x.Value, (nuint)x.Value.Length, 0),
                    $"set xattr {x.Name} on", entry.Path);
            }
        }

        if (entry.Type != EntryType.Symlink)
        {
            Check(NativeMethods.FchmodAt(parent, name, entry.Mode & 0xFFF, 0), "chmod", entry.Path);
        }
    }

    private static void SetTimes(int parent, byte[] name, FileSystemEntry entry)
    {
        long[] times = [.. Timespec(entry.AtimeNs), .. Timespec(entry.MtimeNs)];
        Check(NativeMethods.UtimensAt(parent, name, times, NativeMethods.AtSymlinkNofollow), "set times of", entry.Path);
    }

    private static long[] Timespec(long ns) => [Math.DivRem(ns, 1_000_000_000L, out long r) - (r < 0 ? 1 : 0), r < 0 ? r + 1_000_000_000L : r];

    /// <summary>The parent directory of an entry, from the cached chain of open directories.</summary>
    private int Parent(IReadOnlyList<byte[]> parts, string path)
    {
        int depth = parts.Count - 1;
        int keep = 0;
        while (keep < _open.Count && keep < depth && _open[keep].Name.AsSpan().SequenceEqual(parts[keep]))
        {
            keep++;
        }

        while (_open.Count > keep)
        {
            NativeMethods.Close(_open[^1].Fd);
            _open.RemoveAt(_open.Count - 1);
        }

        for (int i = keep; i < depth; i++)
        {
            int at = i == 0 ? _rootFd : _open[i - 1].Fd;
            int fd = OpenDirectory(at, parts[i], path);
            _open.Add((parts[i], fd));
        }

        return depth == 0 ? _rootFd : _open[depth - 1].Fd;
    }

    private int OpenChain(IEnumerable<byte[]> parts, string path)
    {
        int fd = NativeMethods.OpenAt(_rootFd, StagingName.Z([.. "."u8]), NativeMethods.ORdonly | NativeMethods.ODirectory | NativeMethods.OCloexec, 0);
        Check(fd, "open the staging root for", path);
        foreach (var part in parts)
        {
            int next = OpenDirectory(fd, part, path);
            NativeMethods.Close(fd);
            fd = next;
        }

        return fd;
    }

    private static int OpenDirectory(int at, byte[] name, string path)
    {
        int fd = NativeMethods.OpenAt(at, StagingName.Z(name), NativeMethods.ORdonly | NativeMethods.ODirectory | NativeMethods.ONofollow | NativeMethods.OCloexec, 0);
        if (fd < 0)
        {
            throw new InvalidDataException(
                $"staging: a parent of {System.Text.Json.JsonSerializer.Serialize(path)} is not a directory created by this rebuild (a symlink or missing: {NativeMethods.Error()})");
        }

        return fd;
    }

    private static void Check(int result, string what, string path)
    {
        if (result < 0)
        {
            throw new IOException($"staging: cannot {what} {System.Text.Json.JsonSerializer.Serialize(path)}: {NativeMethods.Error()}");
        }
    }

    public void Dispose()
    {
        _files.Dispose();
        foreach (var (_, fd) in _open)
        {
            NativeMethods.Close(fd);
        }

        _open.Clear();
        NativeMethods.Close(_rootFd);
    }

    public override string ToString() => _root;
}
